// Browser e2e: Debian's Chromium driven by playwright-core (no browser download) against a
// live API that serves web/dist (API_URL) with the scripted fake LLM. Exits non-zero on failure.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const base = process.env.API_URL ?? "http://127.0.0.1:8000";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const transcript = readFileSync(process.env.TRANSCRIPT_FILE ?? "", "utf8");
// Transcript cleaning drops tags and unescapes entities (a cue is cleaned twice on its way to
// the lesson), so doubly escaped markup is how a transcript gets a real `<script>` and
// `<img onerror>` into the text the (fake) model's lesson repeats.
const PLANT = "Beware &amp;lt;script&amp;gt;window.__pwned = 1&amp;lt;/script&amp;gt; and " +
  "&amp;lt;img src=x onerror=\"window.__pwned = 2\"&amp;gt; here.";

function check(condition, message) {
  if (!condition) throw new Error(`e2e: ${message}`);
  console.log(`ok - ${message}`);
}

// axe-core, evaluated in the page (not a <script> tag: the page's CSP allows only 'self').
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// Screenshots of each screen, when SCREENSHOT_DIR is set (the desktop run writes docs/screenshots).
const shots = process.env.SCREENSHOT_DIR;
if (shots) mkdirSync(shots, { recursive: true });

/** One main screen: no serious or critical axe violation, and its screenshot when asked. */
async function screen(name) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`));
  check(violations.length === 0, `axe: no serious violation on ${name} ${violations.join("; ")}`);
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

const profile = mkdtempSync(join(tmpdir(), "coursegen-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
  viewport: { width: Number(process.env.VIEWPORT_WIDTH ?? 1280), height: 900 },
  acceptDownloads: true,
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(30_000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
let dialogs = 0;
page.on("dialog", (d) => { dialogs += 1; void d.dismiss(); });

try {
  await page.goto(base);
  await page.waitForSelector("#signup");
  await screen("sign-in");
  await page.fill("#email", `e2e-${Date.now()}@example.com`);
  await page.fill("#password", "correct horse battery staple");
  await page.click("#signup");
  await page.waitForSelector("#new-course");
  check(true, "signed up");
  await screen("new-course");

  // A planted script in the transcript: the fake LLM's lesson repeats its slice of it.
  const lines = transcript.trimEnd().split("\n");
  lines.splice(Math.min(3, lines.length), 0, `${PLANT} Run ${Date.now()}.`);  // unique: no cache hit
  await page.fill("#transcript", lines.join("\n"));
  await page.click("#generate");
  await page.waitForSelector("#progress-bar");
  check(true, "progress screen opened");
  await page.waitForSelector("#done", { timeout: 120_000 });
  check(await page.$eval("#progress-bar", (el) => el.value) === 1, "progress reached 1");
  check(await page.$eval("#step", (el) => el.dataset.step === "persist" || el.dataset.type === "completed"),
        "last step is completed");
  const steps = await page.$$eval("#events li", (els) => els.map((e) => e.dataset.type));
  check(steps.some((s) => s === "section"), `per-section events (${steps.length} events)`);
  await screen("progress");

  await page.click("#done a");
  await page.waitForSelector("#lesson");
  const lesson = await page.textContent("#lesson");
  check(lesson.trim().length > 20, "lesson rendered");

  // Take the first section's quiz: every question answered, the score saved.
  const questions = await page.$$("#quiz .question");
  for (const q of questions) {
    const option = await q.$("button.option");
    if (option) await option.click();
    else { await (await q.$("input")).fill("my answer"); await (await q.$("input")).press("Enter"); }
  }
  await page.waitForSelector("#quiz .answer-key:not([hidden])");
  check((await page.textContent("#quiz .answer-key:not([hidden])")).includes("Answer:"),
        "answer key revealed after answering");
  await page.waitForFunction(() => /saved/.test(document.querySelector("#quiz-score")?.textContent ?? ""));
  const score = (await page.textContent("#quiz-score")).match(/Score (\d+) \/ (\d+)/);
  check(score && Number(score[2]) === questions.length, `quiz graded: ${score?.[0]}`);
  await page.reload();
  await page.waitForSelector("#quiz-saved");
  check((await page.textContent("#quiz-saved")).includes(`${score[1]} / ${score[2]}`),
        "the saved quiz score is shown after a reload");
  check(await page.$eval(`nav.sections a[aria-current="page"] + .done`, () => true)
        .catch(() => false), "the quizzed section is marked completed after a reload");
  await screen("course");

  // The tutor beside the lesson: a streamed, cited answer whose timestamps seek the video.
  await page.waitForSelector("#tutor");
  await page.evaluate(() => {
    window.__seeks = [];
    document.addEventListener("coursegen:seek", (e) => window.__seeks.push(e.detail));
  });
  await page.fill("#question", "What does max-age do?");
  await page.click("#ask");
  await page.waitForSelector("#tutor-log .turn.tutor .sources button.stamp");
  const answer = await page.textContent("#tutor-log .turn.tutor .answer");
  check(answer.includes("max-age") && /\[\d\d:\d\d\]/.test(answer), `cited answer: ${answer.slice(0, 80)}`);
  const stamp = page.locator("#tutor-log .turn.tutor .sources button.stamp").first();
  const seconds = Number(await stamp.getAttribute("data-seconds"));
  await stamp.click();
  await page.locator("#tutor-log .turn.tutor .answer button.stamp").first().click();
  const seeks = await page.evaluate(() => window.__seeks);
  check(seeks.length === 2 && seeks[0] === seconds && seeks[1] === Math.floor(seconds),
        `timestamps seek the video (${seeks})`);
  await page.fill("#question", "How do I bake sourdough bread?");
  await page.click("#ask");
  await page.waitForSelector("#tutor-log .turn.declined");
  check((await page.textContent("#tutor-log .turn.declined")).includes("does not cover"),
        "a question the video does not cover is declined");
  await page.reload();
  await page.waitForSelector("#tutor-log .turn.declined");
  check(await page.locator("#tutor-log .turn").count() === 4, "the conversation survives a reload");

  // Visit every section: a lesson gets the planted line (the server strips its tags).
  const links = await page.$$eval("nav.sections a", (as) => as.map((a) => a.getAttribute("href")));
  let plantedSeen = false;
  for (const href of links) {
    await page.goto(`${base}/${href}`);
    await page.waitForSelector(`nav.sections a[aria-current="page"][href="${href}"]`);
    const text = await page.textContent("#lesson");
    if (process.env.E2E_DEBUG) console.log(text.slice(0, 600));
    if (text.includes("Beware")) plantedSeen = true;
    const injected = await page.$$eval("#app script, #app img, #app [onerror]", (els) => els.length);
    check(injected === 0, `no script or img element from untrusted text (${href})`);
  }
  check(plantedSeen, "the planted line reached a lesson");

  // Edit the outline: rename one section (to markup, which must stay text); only it regenerates.
  const sectionIds = links.map((href) => href.split("/").pop());
  const target = Math.min(1, sectionIds.length - 1);
  const renamed = `Renamed <img src=x onerror="window.__pwned = 3"> ${Date.now()}`;
  await page.click("#edit-outline");
  await page.waitForSelector("#outline-editor");
  await screen("outline-editor");
  await page.fill(`#outline-editor li:nth-child(${target + 1}) input.section-title`, renamed);
  await page.click("#save-outline");
  await page.waitForSelector("#progress-bar");
  check(true, "outline saved; the regeneration's progress is shown");
  await page.waitForSelector("#done", { timeout: 120_000 });
  const regenerated = await page.$$eval("#regenerated li", (els) => els.map((e) => e.dataset.sectionId));
  check(JSON.stringify(regenerated) === JSON.stringify([sectionIds[target]]),
        `only the renamed section regenerated (${regenerated.length} of ${sectionIds.length})`);
  await page.click("#done a");
  await page.waitForSelector("#lesson");
  const titles = await page.$$eval("nav.sections a", (as) => as.map((a) => a.textContent));
  // the API keeps a typed title's words and drops its markup (core/markdown_safety.py: safe_text)
  const shown = renamed.replace(/<[^>]*>/g, "");
  check(titles[target] === shown, "the new title is shown without its markup");
  check(await page.$$eval("#app img", (els) => els.length) === 0, "no img element from the title");

  // Export: both formats download and carry the new title.
  for (const [button, format] of [["#export-md", "md"], ["#export-json", "json"]]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    const body = readFileSync(await download.path(), "utf8");
    check(download.suggestedFilename().endsWith(`.${format}`) &&
          (format === "json" ? JSON.stringify(JSON.parse(body)) : body).includes(
            format === "json" ? JSON.stringify(shown).slice(1, -1) : shown),
          `${format} export downloaded with the renamed section`);
  }
  // The mind map, drawn in the page by the lazily loaded mermaid (strict): an SVG naming
  // every section, the renamed one's markup included as text only.
  await page.click("#show-mind-map");
  await page.waitForSelector("#mind-map svg", { timeout: 60_000 });
  const mapText = await page.textContent("#mind-map svg");
  // the API's labels drop quotes, brackets and angle brackets and collapse spaces
  const label = (t) => t.replace(/["`()[\]{}<>]/g, " ").replace(/\s+/g, " ").trim().slice(0, 30);
  const missing = titles.filter((t) => !mapText.includes(label(t)));
  check(missing.length === 0, `mind map SVG shows all ${titles.length} section titles (missing: ${missing})`);
  check(await page.$$eval("#app img, #app script, #app [onerror]", (els) => els.length) === 0,
        "no script or img element from the mind map's labels");
  check(await page.evaluate(() => window.__pwned) === undefined, "planted script never ran");
  check(dialogs === 0 && pageErrors.length === 0, `no dialogs or page errors ${pageErrors}`);
} catch (err) {
  await page.screenshot({ path: "test-results/failure.png", fullPage: true }).catch(() => {});
  console.error(err);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
