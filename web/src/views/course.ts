import { type CourseDetail, type CourseSection, fail, type Schemas } from "../api/client.js";
import { clock, errorBox, failure, h } from "../dom.js";
import { localeOf, type MessageKey, setLocale, t } from "../i18n.js";
import { saveScore } from "../pending.js";
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
  // a course page speaks the course's language, whatever the browser's
  setLocale(localeOf(got.data.outline?.language));
  // what the learner saved before (completion, quiz score), so a reload shows it again
  const saved = new Map((progress.data?.courses.find((c) => c.courseId === courseId)?.sections ?? [])
    .map((p) => [p.sectionId, p]));
  const course = got.data;
  const etag = got.response.headers.get("ETag") ?? "";
  if (course.status === "processing") { go(`#/progress/${courseId}`); return; }
  const header = h("section", { class: "card" }, h("h1", { id: "course-title", "data-content": true }, course.title),
    course.description ? h("p", { "data-content": true }, course.description) : null,
    h("p", { class: "muted" }, `${course.difficulty ? t(course.difficulty) : ""} · ${t("courseStatus")} `,
      h("span", { class: `badge ${course.status}`, id: "course-status", "data-status": course.status },
        t(`status_${course.status}` as MessageKey))));
  if (course.status === "failed" || course.status === "cancelled") {
    header.append(errorBox(t(course.status === "failed" ? "generationFailed" : "generationCancelled")),
      h("button", { type: "button", id: "retry", onclick: async () => {
        try {
          const r = await api.POST("/api/courses/{courseId}/retry", { params: { path: { courseId } } });
          if (!r.data) fail(r.response, r.error);
          go(`#/progress/${courseId}`);
        } catch (err) { header.append(failure(err)); }
      } }, t("retryGeneration")));
  }
  const current = course.sections.find((s) => s.id === sectionId) ?? course.sections[0];
  const item = (s: CourseSection): HTMLElement => h("li", {}, h("a", {
    href: `#/course/${courseId}/${s.id}`, "aria-current": s.id === current?.id ? "page" : undefined,
    "data-content": true,
  }, s.title), saved.get(s.id)?.completed ? h("span", { class: "done", title: t("completed") }, " ✓") : null);
  const nav = h("nav", { class: "sections", "aria-label": t("sections") }, ...course.modules.length
    ? moduleLists(course, item) : [h("ol", {}, ...course.sections.map(item))]);
  const mindMap = mindMapPanel(courseId);
  const toolStatus = h("div", { id: "tool-status" });
  const exporting = (format: keyof typeof EXTENSIONS) => () => {
    toolStatus.replaceChildren();
    download(course, format).catch((err: unknown) =>
      toolStatus.append(failure(err, exporting(format), t("exportFailed"))));
  };
  const tools = h("div", { class: "row tools" },
    h("a", { class: "button", id: "review-cards", href: `#/review/${courseId}` }, t("review")),
    h("button", { type: "button", id: "export-md", onclick: exporting("md") }, t("exportMd")),
    h("button", { type: "button", id: "export-json", onclick: exporting("json") }, t("exportJson")),
    h("button", { type: "button", id: "export-apkg", onclick: exporting("apkg") }, t("ankiDeck")),
    h("button", { type: "button", id: "show-mind-map", onclick: () => void mindMap.toggle() }, t("mindMap")),
    h("button", { type: "button", id: "export-mermaid", onclick: exporting("mermaid") }, t("mindMapFile")),
    h("button", { type: "button", id: "edit-outline", onclick: () =>
      root.replaceChildren(outlineEditor(course, etag)) }, t("editOutline")), toolStatus);
  const player = coursePlayer(course, current && moduleOf(course, current.id));
  const tutor = course.status === "completed"
    ? tutorPanel(courseId, (seconds) => player.seek(seconds),
                 course.modules.length ? (s) => timeLabel(course, s) : undefined) : null;
  root.replaceChildren(header, tools, mindMap.panel, h("div", { class: `layout${tutor ? " with-tutor" : ""}` },
    nav, current ? sectionView(course, current, player, saved.get(current.id))
      : h("p", {}, t("noSections")), tutor));
}

/** A playlist course's section list: a heading per module (its title, linking its video), in
 * playlist order, its sections under it, numbered through the course. */
function moduleLists(course: CourseDetail, item: (s: CourseSection) => HTMLElement): HTMLElement[] {
  const byId = new Map(course.sections.map((s, i) => [s.id, { s, n: i + 1 }]));
  return course.modules.map((m, i) => {
    const own = m.sectionIds.flatMap((id) => byId.get(id) ?? []);
    return h("section", { class: "module", "aria-label": t("module", { n: i + 1 }) },
      h("h3", { class: "module-title" }, `${t("module", { n: i + 1 })}: `, h("a", { href: m.videoUrl, "data-content": true,
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
  const lesson = h("article", { class: "lesson", id: "lesson", "data-content": true });
  renderMarkdown(lesson, localStamps(s.content?.markdown ?? t("lessonPending"), module));
  const span = `${clock(Math.max(0, s.outline.startSeconds - shift))}–${clock(s.outline.endSeconds - shift)}`;
  const time = player.frame
    ? h("button", { type: "button", class: "link", id: "play-section",
                    onclick: () => player.seek(s.outline.startSeconds, module) }, `▶ ${span}`)
    : h("span", { class: "muted" }, t("transcriptSpan", { span }));
  const keyPoints = s.content?.keyPoints.length
    ? h("ul", { class: "key-points", "data-content": true }, ...s.content.keyPoints.map((p) => h("li", {}, localStamps(p, module)))) : null;
  const index = course.sections.indexOf(s);
  const before = course.sections[index - 1], after = course.sections[index + 1];
  const pager = h("nav", { class: "pager row", "aria-label": t("pager") },
    before ? h("a", { class: "button secondary", id: "previous-section", rel: "prev",
      href: `#/course/${course.id}/${before.id}` }, t("previous", { title: before.title })) : null,
    after ? h("a", { class: "button", id: "next-section", rel: "next",
      href: `#/course/${course.id}/${after.id}` }, t("next", { title: after.title })) : null);
  return h("section", { class: "card section", id: "section" }, player.frame,
    h("h2", { "data-content": true }, s.title), time, lesson, keyPoints, quizView(course, s, saved, module),
    flashcardsView(s, module), pager);
}

/** A short answer as compared: case, surrounding space and closing punctuation do not count. */
export function normalAnswer(text: string): string {
  return text.trim().toLowerCase().replace(/[\s.!?;:,。¡¿]+$/u, "").replace(/^[¡¿\s]+/u, "")
    .replace(/\s+/g, " ");
}

/** An option as shown: a true/false question's two options in the interface's language. */
function optionLabel(q: Schemas["QuizQuestion"], option: string): string {
  if (q.type !== "true_false") return option;
  const key = normalAnswer(option);
  return key === "true" || key === "verdadero" ? t("true") : key === "false" || key === "falso" ? t("false") : option;
}

function quizView(course: CourseDetail, s: CourseSection, saved: SavedSection | undefined,
                  module: CourseModule | undefined): HTMLElement | null {
  const questions = s.supplement?.quiz.questions ?? [];
  if (!questions.length) return null;
  const last = saved?.quizResults;
  const previous = last ? h("p", { class: "muted", id: "quiz-saved" },
    t("savedScore", { score: last.score, total: last.total })) : null;
  const answers: string[] = questions.map(() => "");
  let answered = 0, score = 0;
  const result = h("p", { class: "score", id: "quiz-score", role: "status" });
  const items = questions.map((q, i) => {
    const key = h("div", { class: "answer-key", hidden: true },
      h("strong", {}, t("answerLabel")), h("span", { "data-content": true }, optionLabel(q, q.answer)),
      q.explanation ? h("p", { "data-content": true }, localStamps(q.explanation, module)) : null);
    const grade = async (given: string, chosen?: HTMLElement): Promise<void> => {
      if (answers[i]) return;
      answers[i] = given || t("noAnswer");
      const correct = normalAnswer(given) === normalAnswer(q.answer);
      answered += 1; score += correct ? 1 : 0;
      key.hidden = false;
      key.prepend(h("p", { class: correct ? "correct" : "wrong" }, correct ? t("correct") : t("notQuite")));
      chosen?.classList.add("chosen", correct ? "is-correct" : "is-wrong");
      li.querySelectorAll<HTMLElement>("button.option").forEach((el) => {
        if (normalAnswer(el.dataset.value ?? "") === normalAnswer(q.answer)) el.classList.add("is-answer");
      });
      li.querySelectorAll("button, input").forEach((el) => el.setAttribute("disabled", ""));
      if (answered === questions.length) await finish();
    };
    const choices = q.options.length
      ? h("div", { class: "options" }, ...q.options.map((o) => {
          const b: HTMLElement = h("button", { type: "button", class: "option", "data-value": o,
            "data-content": q.type !== "true_false", onclick: () => void grade(o, b) }, optionLabel(q, o));
          return b;
        }))
      : (() => {
          const input = h("input", { type: "text", "aria-label": t("yourAnswer") }) as HTMLInputElement;
          return h("form", { onsubmit: (e) => { e.preventDefault(); void grade(input.value, input); } },
            input, h("button", { type: "submit" }, t("check")));
        })();
    const li = h("li", { class: "question" },
      h("p", { "data-content": true }, localStamps(q.prompt, module)), choices, key);
    return li;
  });
  const finish = async (): Promise<void> => {
    result.textContent = `${t("score", { score, total: questions.length })} · ${t("saving")}`;
    // a retake never replaces a better saved score: the better of the two is what is kept
    const better = last && last.total === questions.length && last.score > score;
    const quizResults = better ? { score: last.score, total: last.total, answers: last.answers }
      : { score, total: questions.length, answers };
    const outcome = await saveScore({ courseId: course.id,
      update: { sectionId: s.id, completed: true, quizResults } });
    result.textContent = `${t("score", { score, total: questions.length })} · ${
      outcome === "saved" ? t("saved") : outcome === "kept" ? t("keptLocally") : t("saveFailed")}`;
    result.dataset.saved = outcome;
  };
  return h("section", { class: "quiz", id: "quiz" }, h("h3", {}, t("quiz")), previous,
    h("ol", {}, ...items), result);
}

function flashcardsView(s: CourseSection, module: CourseModule | undefined): HTMLElement | null {
  const cards = s.supplement?.flashcards ?? [];
  if (!cards.length) return null;
  return h("section", { class: "flashcards" }, h("h3", {}, t("flashcards")),
    h("div", { class: "cards" }, ...cards.map((c) => {
      const back = h("span", { class: "back", hidden: true, "data-content": true }, localStamps(c.definition, module));
      const front = h("span", { class: "front", "data-content": true }, c.term);
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
