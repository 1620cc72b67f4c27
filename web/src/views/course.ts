import { type CourseDetail, type CourseSection, fail, type Schemas } from "../api/client.js";
import { clock, errorBox, h } from "../dom.js";
import { renderMarkdown } from "../markdown.js";
import { type CourseModule, coursePlayer, localStamps, moduleOf, type Player, timeLabel } from "../player.js";
import { api, go } from "../session.js";
import { mindMapPanel } from "./mindmap.js";
import { outlineEditor } from "./outline.js";
import { tutorPanel } from "./tutor.js";

export async function courseView(root: HTMLElement, courseId: string, sectionId?: string
                                 ): Promise<void> {
  const [got, progress] = await Promise.all([
    api.GET("/api/courses/{courseId}", { params: { path: { courseId } } }),
    api.GET("/api/user/progress"),
  ]);
  if (!got.data) fail(got.response, got.error);
  // what the learner saved before (completion, quiz score), so a reload shows it again
  const saved = new Map((progress.data?.courses.find((c) => c.courseId === courseId)?.sections ?? [])
    .map((p) => [p.sectionId, p]));
  const course = got.data;
  const etag = got.response.headers.get("ETag") ?? "";
  if (course.status === "processing") { go(`#/progress/${courseId}`); return; }
  const header = h("section", { class: "card" }, h("h1", { id: "course-title" }, course.title),
    course.description ? h("p", {}, course.description) : null,
    h("p", { class: "muted" }, `${course.difficulty ?? ""} · status `,
      h("span", { class: `badge ${course.status}`, id: "course-status" }, course.status)));
  if (course.status === "failed" || course.status === "cancelled") {
    header.append(errorBox(course.error?.message ?? `The generation was ${course.status}.`),
      h("button", { type: "button", id: "retry", onclick: async () => {
        const r = await api.POST("/api/courses/{courseId}/retry", { params: { path: { courseId } } });
        if (r.data) go(`#/progress/${courseId}`);
        else header.append(errorBox(r.error?.error.message ?? "Retry failed."));
      } }, "Retry"));
  }
  const current = course.sections.find((s) => s.id === sectionId) ?? course.sections[0];
  const item = (s: CourseSection): HTMLElement => h("li", {}, h("a", {
    href: `#/course/${courseId}/${s.id}`, "aria-current": s.id === current?.id ? "page" : undefined,
  }, s.title), saved.get(s.id)?.completed ? h("span", { class: "done", title: "Completed" }, " ✓") : null);
  const nav = h("nav", { class: "sections", "aria-label": "Sections" }, ...course.modules.length
    ? moduleLists(course, item) : [h("ol", {}, ...course.sections.map(item))]);
  const mindMap = mindMapPanel(courseId);
  const tools = h("div", { class: "row" },
    h("button", { type: "button", id: "export-md", onclick: () => void download(course, "md") }, "Export Markdown"),
    h("button", { type: "button", id: "export-json", onclick: () => void download(course, "json") }, "Export JSON"),
    h("button", { type: "button", id: "export-apkg", onclick: () => void download(course, "apkg") }, "Anki deck"),
    h("button", { type: "button", id: "show-mind-map", onclick: () => void mindMap.toggle() }, "Mind map"),
    h("button", { type: "button", id: "export-mermaid", onclick: () => void download(course, "mermaid") }, "Mind map (.mmd)"),
    h("button", { type: "button", id: "edit-outline", onclick: () =>
      root.replaceChildren(outlineEditor(course, etag)) }, "Edit outline"));
  const player = coursePlayer(course, current && moduleOf(course, current.id));
  const tutor = course.status === "completed"
    ? tutorPanel(courseId, (seconds) => player.seek(seconds),
                 course.modules.length ? (s) => timeLabel(course, s) : undefined) : null;
  root.replaceChildren(header, tools, mindMap.panel, h("div", { class: `layout${tutor ? " with-tutor" : ""}` },
    nav, current ? sectionView(course, current, player, saved.get(current.id))
      : h("p", {}, "No sections yet."), tutor));
}

/** A playlist course's section list: a heading per module (its title, linking its video), in
 * playlist order, its sections under it, numbered through the course. */
function moduleLists(course: CourseDetail, item: (s: CourseSection) => HTMLElement): HTMLElement[] {
  const byId = new Map(course.sections.map((s, i) => [s.id, { s, n: i + 1 }]));
  return course.modules.map((m, i) => {
    const own = m.sectionIds.flatMap((id) => byId.get(id) ?? []);
    return h("section", { class: "module", "aria-label": `Module ${i + 1}` },
      h("h3", { class: "module-title" }, `Module ${i + 1}: `, h("a", { href: m.videoUrl,
        target: "_blank", rel: "noopener noreferrer" }, m.title)),
      h("ol", { start: String(own[0]?.n ?? 1) }, ...own.map(({ s }) => item(s))));
  });
}

type SavedSection = Schemas["SectionProgressItem"];

function sectionView(course: CourseDetail, s: CourseSection, player: Player,
                     saved: SavedSection | undefined): HTMLElement {
  // a playlist section's times are read, and played, on the clock of its module's video
  const module = moduleOf(course, s.id);
  const shift = module?.offsetSeconds ?? 0;
  const lesson = h("article", { class: "lesson", id: "lesson" });
  renderMarkdown(lesson, localStamps(s.content?.markdown ?? "_This lesson is being written._", module));
  const span = `${clock(Math.max(0, s.outline.startSeconds - shift))}–${clock(s.outline.endSeconds - shift)}`;
  const time = player.frame
    ? h("button", { type: "button", class: "link", id: "play-section",
                    onclick: () => player.seek(s.outline.startSeconds, module) }, `▶ ${span}`)
    : h("span", { class: "muted" }, `Transcript ${span}`);
  const keyPoints = s.content?.keyPoints.length
    ? h("ul", { class: "key-points" }, ...s.content.keyPoints.map((p) => h("li", {}, localStamps(p, module)))) : null;
  return h("section", { class: "card section", id: "section" }, player.frame,
    h("h2", {}, s.title), time, lesson, keyPoints, quizView(course, s, saved, module),
    flashcardsView(s, module));
}

function quizView(course: CourseDetail, s: CourseSection, saved: SavedSection | undefined,
                  module: CourseModule | undefined): HTMLElement | null {
  const questions = s.supplement?.quiz.questions ?? [];
  if (!questions.length) return null;
  const last = saved?.quizResults;
  const previous = last ? h("p", { class: "muted", id: "quiz-saved" },
    `Your saved score: ${last.score} / ${last.total}`) : null;
  const answers: string[] = questions.map(() => "");
  let answered = 0, score = 0;
  const result = h("p", { class: "score", id: "quiz-score" });
  const items = questions.map((q, i) => {
    const key = h("div", { class: "answer-key", hidden: true },
      h("strong", {}, "Answer: "), q.answer,
      q.explanation ? h("p", {}, localStamps(q.explanation, module)) : null);
    const grade = async (given: string): Promise<void> => {
      if (answers[i]) return;
      answers[i] = given || "(no answer)";
      const correct = given.trim().toLowerCase() === q.answer.trim().toLowerCase();
      answered += 1; score += correct ? 1 : 0;
      key.hidden = false;
      key.prepend(h("p", { class: correct ? "correct" : "wrong" }, correct ? "Correct." : "Not quite."));
      li.querySelectorAll("button, input").forEach((el) => el.setAttribute("disabled", ""));
      if (answered === questions.length) {
        result.textContent = `Score ${score} / ${questions.length}`;
        const r = await api.POST("/api/user/progress/{courseId}", {
          params: { path: { courseId: course.id } },
          body: { sectionId: s.id, completed: true,
                  quizResults: { score, total: questions.length, answers } },
        });
        result.append(r.data ? " · saved" : " · not saved");
      }
    };
    const choices = q.options.length
      ? h("div", { class: "options" }, ...q.options.map((o) =>
          h("button", { type: "button", class: "option", onclick: () => void grade(o) }, o)))
      : (() => {
          const input = h("input", { type: "text", "aria-label": "Your answer" }) as HTMLInputElement;
          return h("form", { onsubmit: (e) => { e.preventDefault(); void grade(input.value); } },
            input, h("button", { type: "submit" }, "Check"));
        })();
    const li = h("li", { class: "question" }, h("p", {}, localStamps(q.prompt, module)), choices, key);
    return li;
  });
  return h("section", { class: "quiz", id: "quiz" }, h("h3", {}, "Quiz"), previous,
    h("ol", {}, ...items), result);
}

function flashcardsView(s: CourseSection, module: CourseModule | undefined): HTMLElement | null {
  const cards = s.supplement?.flashcards ?? [];
  if (!cards.length) return null;
  return h("section", { class: "flashcards" }, h("h3", {}, "Flashcards"),
    h("div", { class: "cards" }, ...cards.map((c) => {
      const back = h("span", { class: "back", hidden: true }, localStamps(c.definition, module));
      const front = h("span", { class: "front" }, c.term);
      return h("button", { type: "button", class: "card-flip", "aria-pressed": "false",
        onclick: (e) => {
          const flipped = back.hidden;
          back.hidden = !flipped; front.hidden = flipped;
          (e.currentTarget as HTMLElement).setAttribute("aria-pressed", String(flipped));
        } }, front, back);
    })));
}

const EXTENSIONS = { md: "md", json: "json", apkg: "apkg", mermaid: "mmd" } as const;

async function download(course: CourseDetail, format: keyof typeof EXTENSIONS): Promise<void> {
  const r = await api.GET("/api/courses/{courseId}/export", {
    params: { path: { courseId: course.id }, query: { format } }, parseAs: "blob" });
  if (!r.data) fail(r.response, r.error);
  const a = h("a", { href: URL.createObjectURL(r.data), download: `${course.title}.${EXTENSIONS[format]}` });
  document.body.append(a);
  (a as HTMLAnchorElement).click();
  a.remove();
}
