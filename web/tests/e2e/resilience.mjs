// Browser e2e for what a learner meets when things go wrong, and in Spanish: Debian's Chromium
// (playwright-core) against a live API (API_URL). Failures are made with page.route: a network
// failure (abort) and a 5xx; the Spanish course is the real course with its language set to es.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.API_URL ?? "http://127.0.0.1:8000";
const transcript = readFileSync(process.env.TRANSCRIPT_FILE ?? "", "utf8");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// words a learner must never read: raw errors and English interface words in a Spanish course
const RAW = /Failed to fetch|Not Found|NetworkError|TypeError|HTTP \d|Internal Server Error/;
const ENGLISH = /\b(Quiz|Check|Correct|Not quite|True|False|Ask the video|Ask|Sign out|Score|Flashcards|Export|Edit outline|Review cards|Answer|saved|Previous|Next|Mind map|status|ready|Transcript|Loading|Try again)\b/;

function check(condition, message) {
  if (!condition) throw new Error(`e2e: ${message}`);
  console.log(`ok - ${message}`);
}

async function axe(name) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`));
  check(violations.length === 0, `axe: no violation on ${name} ${violations.join("; ")}`);
}

/** The interface's own words: the page's text without the course's content ([data-content]). */
const uiText = () => page.evaluate(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("[data-content], [hidden], script, style")) continue;
    out.push(n.textContent);
  }
  const labels = [...document.querySelectorAll("[aria-label], [placeholder], [title]")]
    .filter((el) => !el.closest("[data-content]"))
    .map((el) => `${el.getAttribute("aria-label") ?? ""} ${el.getAttribute("placeholder") ?? ""} ${el.getAttribute("title") ?? ""}`);
  return [...out, ...labels].join(" ");
});

const profile = mkdtempSync(join(tmpdir(), "coursegen-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, locale: "en-US",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
  viewport: { width: Number(process.env.VIEWPORT_WIDTH ?? 1280), height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(30_000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
const notFound = [];
page.on("response", (r) => { if (r.status() === 404 && !r.url().includes("/api/")) notFound.push(r.url()); });

try {
  // The landing page says what the app does; Enter for a new user hints to create an account.
  await page.goto(base);
  await page.waitForSelector("#signup");
  check((await page.textContent("h1")).includes("lecture"), "the landing page says what the app does");
  check(await page.$eval("link[rel=icon]", (l) => l.href.startsWith("data:image/svg")), "a favicon");
  check(await page.$eval("a.skip", (a) => a.getAttribute("href") === "#app"), "a skip link");
  await axe("landing");
  const email = `e2e-res-${Date.now()}@example.com`;
  await page.fill("#email", email);
  await page.fill("#password", "correct horse battery staple");
  await page.press("#password", "Enter");
  await page.waitForSelector("#auth-status .error");
  const hint = await page.textContent("#auth-status");
  check(hint.includes("Create account") && !/^\s*incorrect/i.test(hint),
        `Enter for a new user hints to create an account: ${hint.slice(0, 60)}`);
  await page.click("#signup");
  await page.waitForSelector("#new-course");
  check(await page.locator("h1").count() === 1, "the home page has an h1");

  // A 5xx on the course list: a human message and a retry; the page (and its form) stays.
  await page.route(/\/api\/courses\?/, (route) => route.fulfill({ status: 503,
    contentType: "application/json", body: '{"error":{"code":"unavailable","message":"Service Unavailable"}}' }));
  await page.reload();
  await page.waitForSelector("#my-courses .error");
  const listError = await page.textContent("#my-courses .error");
  check(!RAW.test(listError) && listError.includes("server"), `a 5xx on the list reads: ${listError}`);
  check(await page.$("#new-course") !== null, "a failed list does not blank the home page");
  await page.unroute(/\/api\/courses\?/);
  await page.click("#my-courses button.retry");
  await page.waitForSelector("#my-courses p.muted:not(.loading), #my-courses ul.courses");
  check(await page.$("#my-courses .error") === null, "retry loads the list");
  await axe("home");

  // The progress stream drops (network) right away: the view follows it again to the end.
  let streams = 0;
  await page.route(/\/api\/courses\/[^/]+\/events$/, (route) => {
    streams += 1;
    return streams === 1 ? route.abort("internetdisconnected") : route.continue();
  });
  await page.fill("#transcript", `${transcript.trimEnd()}\n\n99\n00:59:00,000 --> 00:59:02,000\nRun ${Date.now()}.\n`);
  await page.click("#generate");
  await page.waitForSelector("#done", { timeout: 120_000 });
  check(streams >= 2 && !RAW.test(await page.textContent("#app")),
        `the progress view reconnects after a dropped stream (${streams} streams)`);
  await page.unroute(/\/api\/courses\/[^/]+\/events$/);
  await page.goto(`${base}/#/`);
  await page.waitForSelector("#new-course");

  // A course (the sample lecture), made through the API with the page's session.
  const courseId = await page.evaluate(async (text) => {
    const headers = { "Content-Type": "application/json",
                      Authorization: `Bearer ${localStorage.getItem("coursegen.token")}` };
    const r = await fetch("/api/courses/generate", { method: "POST", headers,
      body: JSON.stringify({ transcript: `${text}\n`, title: `Resilience ${Date.now()}` }) });
    const { courseId } = await r.json();
    for (let i = 0; i < 240; i += 1) {
      const s = await (await fetch(`/api/courses/status/${courseId}`, { headers })).json();
      if (s.status !== "processing") return courseId;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    return courseId;
  }, transcript);
  const coursePath = new RegExp(`/api/courses/${courseId}$`);

  // The network drops while the course loads: a human message and a retry that works.
  await page.route(coursePath, (route) => route.abort("internetdisconnected"));
  await page.goto(`${base}/#/course/${courseId}`);
  await page.waitForSelector("#app .error button.retry");
  const netError = await page.textContent("#app .error");
  check(!RAW.test(netError) && netError.includes("cannot be reached"), `a network failure reads: ${netError}`);
  check(await page.locator("h1").count() === 1, "the failure page has an h1");
  await page.unroute(coursePath);
  await page.click("#app .error button.retry");
  await page.waitForSelector("#lesson");
  check(true, "retry opens the course");
  await axe("course");

  // The quiz score cannot be saved (network down): kept on the device, saved when back.
  await page.route(/\/api\/user\/progress\/[^/]+$/, (route) => route.abort("internetdisconnected"));
  const answer = async () => {
    for (const q of await page.$$("#quiz .question")) {
      const option = await q.$("button.option");
      if (option) await option.click();
      else { await (await q.$("input")).fill("my answer"); await (await q.$("input")).press("Enter"); }
    }
  };
  await answer();
  await page.waitForSelector("#quiz-score[data-saved]");
  const kept = await page.textContent("#quiz-score");
  check(await page.$eval("#quiz-score", (el) => el.dataset.saved) === "kept" && !RAW.test(kept),
        `an unsaved score is kept on the device: ${kept}`);
  const score = kept.match(/Score (\d+) \/ (\d+)/);
  check(await page.evaluate(() => JSON.parse(localStorage.getItem("coursegen.pendingScores")).length) === 1,
        "the score waits in localStorage");
  check(await page.$$eval("#quiz button.option.is-answer", (els) => els.length) > 0,
        "the correct options are highlighted");
  await page.unroute(/\/api\/user\/progress\/[^/]+$/);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.waitForFunction(() => localStorage.getItem("coursegen.pendingScores") === null);
  await page.reload();
  await page.waitForSelector("#quiz-saved");
  check((await page.textContent("#quiz-saved")).includes(`${score[1]} / ${score[2]}`),
        "the kept score reached the server once it answered");

  // Right answers (a short answer in capitals with a trailing period counts), then a worse
  // retake: the better saved score stays.
  // on the first section whose quiz has a short answer (a section gets the questions it can
  // support, so not every quiz has one; when none has, the first question is shown as one)
  await page.route(new RegExp(`/api/courses/${courseId}$`), async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    const questions = body.sections.flatMap((s) => s.supplement.quiz.questions);
    if (!questions.some((q) => !q.options?.length)) {
      Object.assign(body.sections[0].supplement.quiz.questions[0], { type: "short", options: [] });
    }
    await route.fulfill({ response, json: body });
  });
  const { sectionId, quiz } = await page.evaluate(async (id) => {
    const headers = { Authorization: `Bearer ${localStorage.getItem("coursegen.token")}` };
    const course = await (await fetch(`/api/courses/${id}`, { headers })).json();
    const section = course.sections.find((s) => s.supplement.quiz.questions.some((q) => !q.options?.length))
      ?? course.sections[0];
    return { sectionId: section.id,
             quiz: section.supplement.quiz.questions.map((q) => ({ answer: q.answer, short: !q.options?.length })) };
  }, courseId);
  await page.goto(`${base}/#/course/${courseId}/${sectionId}`);
  await page.waitForSelector("#quiz .question");
  const take = async (right) => {
    const items = await page.$$("#quiz .question");
    for (const [i, q] of items.entries()) {
      const { answer: key, short } = quiz[i];
      if (short) {
        await (await q.$("input")).fill(right ? `${key.toUpperCase()}.` : "zzz");
        await (await q.$("input")).press("Enter");
      } else {
        const options = await q.$$("button.option");
        for (const o of options) {
          if ((await o.getAttribute("data-value") === key) === right) { await o.click(); break; }
        }
      }
    }
    await page.waitForSelector("#quiz-score[data-saved]");
    return page.$eval("#quiz-score", (el) => el.dataset.saved);
  };
  check(quiz.some((q) => q.short), "the quiz has a short-answer question");
  check(await take(true) === "saved" && await page.locator("#quiz .correct").count() === quiz.length,
        `every right answer marked correct, the short one with a trailing period (${quiz.length})`);
  await page.reload();
  await page.waitForSelector("#quiz-saved");
  check(await take(false) === "saved" && await page.locator("#quiz .correct").count() === 0, "a worse retake");
  await page.reload();
  await page.waitForSelector("#quiz-saved");
  check((await page.textContent("#quiz-saved")).includes(`${quiz.length} / ${quiz.length}`),
        "a worse retake keeps the better saved score");

  // Review: the course's cards (new ones included), rated, with the next due date.
  await page.goto(`${base}/#/review/${courseId}`);
  await page.waitForSelector("#review-card");
  const before = Number((await page.textContent("#review-count")).match(/(\d+) cards due/)[1]);
  await page.click("#review-show");
  await page.click("button.rating.good");
  await page.waitForSelector("#next-due");
  const after = Number((await page.textContent("#review-count")).match(/(\d+) cards due/)[1]);
  check(before > 0 && after === before - 1 && /Next review: \w/.test(await page.textContent("#next-due")),
        `a card rated: ${before} → ${after} due, ${await page.textContent("#next-due")}`);
  check((await page.textContent("#review-count")).includes("Reviewed today: 1"), "the count of reviews");
  await axe("review");

  // The same course in Spanish: no English interface word, lang="es".
  await page.route(coursePath, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.outline.language = "es";
    await route.fulfill({ response, json });
  });
  await page.goto(`${base}/#/course/${courseId}`);
  await page.waitForSelector("#lesson");
  await answer();
  await page.waitForSelector("#quiz-score[data-saved]");
  await page.click("#show-mind-map");
  check(await page.evaluate(() => document.documentElement.lang) === "es", 'lang="es" on a Spanish course');
  const words = await uiText();
  const english = words.match(new RegExp(ENGLISH.source, "g"));
  check(english === null, `no English interface word in the Spanish course (${english})`);
  check(words.includes("Cuestionario") && words.includes("Pregunta al vídeo"), "the Spanish words are there");
  await axe("Spanish course");
  await page.goto(`${base}/#/review/${courseId}`);
  await page.waitForSelector("#review-card");
  await page.click("#review-show");
  const reviewWords = await uiText();
  check(!ENGLISH.test(reviewWords) && reviewWords.includes("Otra vez"), "the review screen is in Spanish");
  await page.unroute(coursePath);
  await page.goto(`${base}/#/`);
  await page.waitForSelector("#new-course");
  check(await page.evaluate(() => document.documentElement.lang) === "en", "home is back in the browser's language");

  check(notFound.length === 0, `no 404 for the page's own files (${notFound})`);
  check(pageErrors.length === 0, `no page errors ${pageErrors}`);
} catch (err) {
  await page.screenshot({ path: "test-results/resilience-failure.png", fullPage: true }).catch(() => {});
  console.error(err);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
