// Browser e2e of a playlist course: Debian's Chromium (playwright-core) against an API whose
// YouTube is an offline fake two-video playlist (PLAYLIST_URL). The course page lists each
// video's sections under its heading, and plays every time (outline, tutor source) in its own
// video at (time − the video's offset on the playlist's timeline). Exits non-zero on failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.API_URL ?? "http://127.0.0.1:8000";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// the page's clock (web/src/dom.ts) and [mm:ss] stamps moved onto a module video's clock
function clock(seconds) {
  const s = Math.floor(seconds);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${Math.floor(s / 60)}:${ss}`;
}
function shifted(text, offset) {
  return text.replace(/\[(?:(\d+):)?(\d{1,2}):(\d{2})\]/g, (_, hh, mm, ss) =>
    `[${clock(Math.max(0, Number(hh ?? 0) * 3600 + Number(mm) * 60 + Number(ss) - offset))}]`);
}

function check(condition, message) {
  if (!condition) throw new Error(`e2e: ${message}`);
  console.log(`ok - ${message}`);
}

const profile = mkdtempSync(join(tmpdir(), "coursegen-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
  viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(30_000);
// the fake videos do not exist: keep the embeds from reaching YouTube
await page.route(/youtube(-nocookie)?\.com/, (route) => route.fulfill({ status: 204, body: "" }));
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
let dialogs = 0;
page.on("dialog", (d) => { dialogs += 1; void d.dismiss(); });
const frameSrc = () => page.$eval("#section iframe.player", (f) => f.getAttribute("src"));
const seeks = () => page.evaluate(() => window.__seeks);
// hash routes keep the document: one listener, its record emptied before each step
const listen = () => page.evaluate(() => {
  if (!window.__seeks) document.addEventListener("coursegen:seek", (e) => window.__seeks.push(e.detail));
  window.__seeks = [];
});

try {
  await page.goto(base);
  await page.waitForSelector("#signup");
  await page.fill("#email", `playlist-${Date.now()}@example.com`);
  await page.fill("#password", "correct horse battery staple");
  await page.click("#signup");
  await page.waitForSelector("#new-course");
  await page.fill("#url", process.env.PLAYLIST_URL ?? "");
  await page.click("#generate");
  await page.waitForSelector("#done", { timeout: 120_000 });
  await page.click("#done a");
  await page.waitForSelector("#lesson");
  // the course as the API returns it: what the page must show
  const courseId = page.url().split("#/course/")[1].split("/")[0];
  const course = await page.evaluate(async (id) => (await fetch(`/api/courses/${id}`, {
    headers: { Authorization: `Bearer ${localStorage.getItem("coursegen.token")}` } })).json(), courseId);
  check(course.modules.length === 2, `the API returns two modules (${course.modules.length})`);
  const [m1, m2] = course.modules;

  const headings = await page.$$eval("nav.sections .module-title", (els) => els.map((e) => e.textContent));
  check(JSON.stringify(headings) === JSON.stringify(course.modules.map((m, i) => `Module ${i + 1}: ${m.title}`)),
        `module headings: ${headings.join(" | ")}`);
  const videoLinks = await page.$$eval("nav.sections .module-title a", (as) => as.map((a) => a.href));
  check(JSON.stringify(videoLinks) === JSON.stringify(course.modules.map((m) => m.videoUrl)),
        "each heading links its video");
  const listed = await page.$$eval("nav.sections .module", (ms) => ms.map((m) =>
    [...m.querySelectorAll("li a")].map((a) => a.getAttribute("href").split("/").pop())));
  check(JSON.stringify(listed[0]) === JSON.stringify(m1.sectionIds), "module 1's section lists under its heading");
  check(JSON.stringify(listed[1]) === JSON.stringify(m2.sectionIds), "module 2's section lists under its heading");

  // A section of module 2 (its last: well inside the video): its embed and its time.
  // (its last section with a stamped card: cards come only from definitions, so some have none)
  const stamped = (id) => course.sections.find((s) => s.id === id).supplement.flashcards
    .some((c) => /\[\d+:\d{2}\]/.test(c.definition));
  const sectionId = [...m2.sectionIds].reverse().find(stamped) ?? m2.sectionIds[m2.sectionIds.length - 1];
  const section = course.sections.find((s) => s.id === sectionId);
  const local = section.outline.startSeconds - m2.offsetSeconds;
  await page.goto(`${base}/#/course/${courseId}/${sectionId}`);
  await page.waitForSelector(`nav.sections a[aria-current="page"][href="#/course/${courseId}/${sectionId}"]`);
  check((await frameSrc()).includes(`/embed/${m2.videoId}?`), `the module 2 section embeds ${m2.videoId}`);
  await listen();
  await page.click("#play-section");
  const s2 = await seeks();
  check(JSON.stringify(s2) === JSON.stringify([local]) && local < section.outline.startSeconds &&
        (await frameSrc()).includes(`/embed/${m2.videoId}?`),
        `its time seeks module 2's video at ${local} s (course time ${section.outline.startSeconds})`);
  // its cards' and answer keys' [mm:ss] read on module 2's clock too, as the lesson's do
  const cards = await page.$$eval("#section .flashcards .back", (els) => els.map((e) => e.textContent));
  const wanted = section.supplement.flashcards.map((c) => shifted(c.definition, m2.offsetSeconds));
  // cards come only from definitions: a module whose sections define nothing has none to check
  if (!section.supplement.flashcards.length) console.log("# module 2 has no flashcard: card stamps not checked");
  else check(cards.length > 0 && JSON.stringify(cards) === JSON.stringify(wanted) &&
        section.supplement.flashcards.some((c) => /\[\d+:\d{2}\]/.test(c.definition)) &&
        JSON.stringify(cards) !== JSON.stringify(section.supplement.flashcards.map((c) => c.definition)),
        `module 2's flashcard stamps on its video's clock (${cards[0]})`);
  const keys = await page.$$eval("#quiz .answer-key p", (els) => els.map((e) => e.textContent));
  const explained = section.supplement.quiz.questions.filter((q) => q.explanation)
    .map((q) => shifted(q.explanation, m2.offsetSeconds));
  check(JSON.stringify(keys) === JSON.stringify(explained), "module 2's answer keys on its video's clock");

  // On module 1's section, a tutor source in module 2 loads module 2's video at its own time.
  await page.goto(`${base}/#/course/${courseId}/${m1.sectionIds[0]}`);
  await page.waitForSelector(`nav.sections a[aria-current="page"][href="#/course/${courseId}/${m1.sectionIds[0]}"]`);
  check((await frameSrc()).includes(`/embed/${m1.videoId}?`), `the module 1 section embeds ${m1.videoId}`);
  await listen();
  await page.fill("#question", process.env.QUESTION ?? "");
  await page.click("#ask");
  await page.waitForSelector("#tutor-log .turn.tutor .sources button.stamp");
  const stamp = page.locator("#tutor-log .turn.tutor .sources button.stamp").first();
  const at = Number(await stamp.getAttribute("data-seconds"));
  check(at >= m2.offsetSeconds, `the tutor cites module 2 (course time ${at})`);
  const label = await stamp.textContent();
  check(label === `▶ M2 ${clock(at - m2.offsetSeconds)}`, `the source reads on module 2's clock (${label})`);
  await stamp.click();
  const src = await frameSrc();
  const s1 = await seeks();
  check(JSON.stringify(s1) === JSON.stringify([at - m2.offsetSeconds]) && s1[0] === at - m2.offsetSeconds &&
        src.includes(`/embed/${m2.videoId}?`) && src.includes(`start=${Math.floor(at - m2.offsetSeconds)}`),
        `a tutor source in module 2 loads ${m2.videoId} at ${Math.floor(at - m2.offsetSeconds)} s (${src})`);
  check(dialogs === 0 && pageErrors.length === 0, `no dialogs or page errors ${pageErrors}`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
