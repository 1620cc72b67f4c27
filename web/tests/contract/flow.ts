// The whole flow through the typed client, compiled with `tsc --strict` and run against a live
// API (API_URL; tests/web/test_contract.py starts it with the scripted fake LLM).
import { readFileSync } from "node:fs";
import { ApiError, fail, makeClient } from "../../src/api/client.js";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000";
const transcript = readFileSync(process.env.TRANSCRIPT_FILE ?? "", "utf8");
let token: string | null = null;
const api = makeClient(baseUrl, () => token);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`contract: ${message}`);
}

async function waitUntilDone(courseId: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const { data, error, response } = await api.GET("/api/courses/status/{courseId}", {
      params: { path: { courseId } },
    });
    if (!data) fail(response, error);
    check(data.progress >= 0 && data.progress <= 1, "progress within 0..1");
    if (data.status !== "processing") return data.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("generation did not finish");
}

async function main(): Promise<void> {
  const email = `contract-${Date.now()}@example.com`;
  const signup = await api.POST("/api/auth/signup", {
    body: { email, password: "correct horse battery staple" },
  });
  if (!signup.data) fail(signup.response, signup.error);
  token = signup.data.token;

  // A source is required by the schema: `{}` would not compile here.
  const started = await api.POST("/api/courses/generate", {
    body: { transcript, title: "Contract course", preferences: { difficulty: "beginner" } },
  });
  if (!started.data) fail(started.response, started.error);
  const courseId = started.data.courseId;
  check(await waitUntilDone(courseId) === "completed", "generation completes");

  const got = await api.GET("/api/courses/{courseId}", { params: { path: { courseId } } });
  if (!got.data) fail(got.response, got.error);
  const course = got.data;
  const etag = got.response.headers.get("ETag");
  check(etag, "GET course sends an ETag");
  check(course.status === "completed" && course.sections.length > 0, "course has sections");
  check(course.generation.usage !== null && course.generation.usage.totals.calls > 0,
    "typed generation usage");
  const first = course.sections[0];
  check(first !== undefined && first.content !== null, "first section has a lesson");
  check(first.content.markdown.length > 0, "lesson markdown");

  // Outline edit: rename the first section, keep the others by id, add one by title only.
  const sections = course.sections.map((s) => ({ id: s.id, title: s.title }));
  sections[0] = { id: first.id, title: `${first.title} (renamed)` };
  const edited = await api.PUT("/api/courses/outline/{courseId}", {
    params: { path: { courseId }, header: { "If-Match": etag } },
    body: { outline: { sections: [...sections, { title: "New section" }] } },
  });
  if (!edited.data) fail(edited.response, edited.error);
  check(edited.data.course.sections.length === course.sections.length + 1, "section added");
  check(edited.data.validationIssues.some((i) => i.kind === "added"), "impact: added");

  // A stale ETag is a 409 with a machine-readable code.
  const stale = await api.PUT("/api/courses/outline/{courseId}", {
    params: { path: { courseId }, header: { "If-Match": etag } },
    body: { outline: { title: "Stale edit" } },
  });
  check(stale.response.status === 409 && stale.error?.error.code === "version_conflict"
    || stale.error?.error.code === "course_busy", "stale edit is a 409");
  check(await waitUntilDone(courseId) === "completed", "regeneration completes");

  const md = await api.GET("/api/courses/{courseId}/export", {
    params: { path: { courseId }, query: { format: "md" } }, parseAs: "text",
  });
  if (md.data === undefined) fail(md.response, md.error);
  check(md.data.includes("New section") && md.data.includes("## Answer key"), "markdown export");

  const json = await api.GET("/api/courses/{courseId}/export", {
    params: { path: { courseId }, query: { format: "json" } },
  });
  if (!json.data) fail(json.response, json.error);
  // the 200 is application/json or text/markdown, by `format`
  check(typeof json.data !== "string", "JSON export is JSON");
  check(json.data.outline.sections.length === sections.length + 1, "typed JSON export");

  const bad = await api.GET("/api/courses/{courseId}", {
    params: { path: { courseId: "00000000-0000-4000-8000-000000000000" } },
  });
  check(bad.response.status === 404 && bad.error?.error.code === "course_not_found",
    "unknown course is a typed 404");
  console.log(`contract flow ok: ${course.sections.length} sections, course ${courseId}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ApiError ? `${err.status} ${err.code}: ${err.message}` : err);
  process.exit(1);
});
