// Browser e2e: Debian's Chromium driven by playwright-core (no browser download) against a
// live API that serves web/dist (API_URL) with the scripted fake LLM. Exits non-zero on failure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const profile = mkdtempSync(join(tmpdir(), "coursegen-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
  viewport: { width: Number(process.env.VIEWPORT_WIDTH ?? 1280), height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(30_000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
let dialogs = 0;
page.on("dialog", (d) => { dialogs += 1; void d.dismiss(); });

try {
  await page.goto(base);
  await page.fill("#email", `e2e-${Date.now()}@example.com`);
  await page.fill("#password", "correct horse battery staple");
  await page.click("#signup");
  await page.waitForSelector("#new-course");
  check(true, "signed up");

  // A planted script in the transcript: the fake LLM's lesson repeats its slice of it.
  const lines = transcript.trimEnd().split("\n");
  lines.splice(Math.min(3, lines.length), 0, `${PLANT} Run ${Date.now()}.`);  // unique: no cache hit
  await page.fill("#transcript", lines.join("\n"));
  await page.click("#generate");
  await page.waitForSelector("#progress-bar");
  check(true, "progress screen opened");
  await page.waitForSelector("#done", { timeout: 120_000 });
  check(await page.$eval("#progress-bar", (el) => el.value) === 1, "progress reached 1");
  check((await page.textContent("#step")).startsWith("persist") ||
        await page.$eval("#step", (el) => el.dataset.type) === "completed", "last step is completed");
  const steps = await page.$$eval("#events li", (els) => els.map((e) => e.textContent));
  check(steps.some((s) => s.startsWith("section")), `per-section events (${steps.length} events)`);

  await page.click("#done a");
  await page.waitForSelector("#lesson");
  const lesson = await page.textContent("#lesson");
  check(lesson.trim().length > 20, "lesson rendered");

  await page.click("#quiz .question >> nth=0 >> button >> nth=0");
  await page.waitForSelector("#quiz .answer-key:not([hidden])");
  const key = await page.textContent("#quiz .answer-key:not([hidden])");
  check(key.includes("Answer:"), "answer key revealed after answering");

  // Visit every section so the planted line's lesson is rendered too.
  const links = await page.$$eval("nav.sections a", (as) => as.map((a) => a.getAttribute("href")));
  let plantedSeen = false;
  for (const href of links) {
    await page.goto(`${base}/${href}`);
    await page.waitForSelector("#lesson");
    const text = await page.textContent("#lesson");
    if (process.env.E2E_DEBUG) console.log(text.slice(0, 600));
    if (text.includes("<img src=x onerror=") && text.includes("<script>")) plantedSeen = true;
    const injected = await page.$$eval("#app script, #app img[onerror], #lesson img", (els) => els.length);
    check(injected === 0, `no script or img element from untrusted text (${href})`);
  }
  check(plantedSeen, "the planted markup is shown as text in a lesson");
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
