import { ApiError, fail } from "../api/client.js";
import { errorBox, failure, h, humanError, loading } from "../dom.js";
import { formatNumber, type MessageKey, t } from "../i18n.js";
import { api, go } from "../session.js";

type Difficulty = "beginner" | "intermediate" | "advanced";

/** Home: the learner's courses first (a failed list shows a retry, never a blank page), then
 * the form for a new one. */
export async function homeView(root: HTMLElement): Promise<void> {
  const list = h("section", { class: "card", id: "my-courses", "aria-labelledby": "my-courses-title" },
    h("h2", { id: "my-courses-title" }, t("myCourses")), loading());
  root.replaceChildren(h("h1", { class: "visually-hidden" }, t("myCourses")), list, newCourseForm());
  await loadCourses(list);
}

async function loadCourses(box: HTMLElement): Promise<void> {
  const title = box.firstElementChild as HTMLElement;
  box.replaceChildren(title, loading());
  try {
    const [list, progress] = await Promise.all([
      api.GET("/api/courses", { params: { query: { limit: 50 } } }),
      api.GET("/api/user/progress").catch(() => null),
    ]);
    if (!list.data) fail(list.response, list.error);
    const done = new Map((progress?.data?.courses ?? []).map((p) => [p.courseId, p]));
    const items = list.data.items.map((c) => {
      const p = done.get(c.id);
      const target = c.status === "processing" ? `#/progress/${c.id}` : `#/course/${c.id}`;
      return h("li", {},
        h("a", { href: target }, c.title), " ",
        h("span", { class: `badge ${c.status}` }, t(`status_${c.status}` as MessageKey)),
        p ? h("span", { class: "muted" }, ` · ${t("percentDone",
          { pct: formatNumber(p.progress, { style: "percent", maximumFractionDigits: 0 }) })}`) : null);
    });
    box.replaceChildren(title, items.length ? h("ul", { class: "courses" }, ...items)
      : h("p", { class: "muted" }, t("noCourses")));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    box.replaceChildren(title, failure(err, () => void loadCourses(box), t("coursesFailed")));
  }
}

function newCourseForm(): HTMLElement {
  const url = h("input", { type: "url", id: "url", placeholder: "https://www.youtube.com/watch?v=…" }) as HTMLInputElement;
  const transcript = h("textarea", { id: "transcript", rows: "8",
    placeholder: t("transcriptPlaceholder") }) as HTMLTextAreaElement;
  const file = h("input", { type: "file", id: "file", accept: ".srt,.vtt,.txt" }) as HTMLInputElement;
  const title = h("input", { type: "text", id: "title", maxlength: "300" }) as HTMLInputElement;
  const difficulty = h("select", { id: "difficulty" },
    ...(["beginner", "intermediate", "advanced"] as const).map((d) =>
      h("option", { value: d }, t(d)))) as HTMLSelectElement;
  const duration = h("input", { type: "number", id: "duration", min: "5", max: "1200",
                                placeholder: t("minutes") }) as HTMLInputElement;
  const status = h("div");
  const button = h("button", { type: "submit", id: "generate" }, t("generate")) as HTMLButtonElement;
  async function submit(): Promise<void> {
    status.replaceChildren();
    const upload = file.files?.[0];
    const text = upload ? await upload.text() : transcript.value;
    const preferences = { difficulty: difficulty.value as Difficulty,
                          ...(duration.value ? { duration: Number(duration.value) } : {}) };
    const common = { title: title.value || undefined, preferences };
    if (!text.trim() && !url.value) { status.append(errorBox(t("giveSource"))); return; }
    button.disabled = true;
    try {
      const result = await api.POST("/api/courses/generate", { body: text.trim()
        ? { ...common, transcript: text, url: url.value || undefined }
        : { ...common, url: url.value } });
      if (!result.data) fail(result.response, result.error);
      go(result.data.status === "completed" ? `#/course/${result.data.courseId}`
        : `#/progress/${result.data.courseId}`);
    } catch (err) {
      status.append(errorBox(humanError(err)));
    } finally {
      button.disabled = false;
    }
  }
  return h("form", { class: "card", id: "new-course", "aria-labelledby": "new-course-title",
                     onsubmit: (e) => { e.preventDefault(); void submit(); } },
    h("h2", { id: "new-course-title" }, t("newCourse")),
    h("label", { for: "url" }, t("youtubeUrl")), url,
    h("label", { for: "transcript" }, t("orTranscript")), transcript,
    h("label", { for: "file" }, t("orFile")), file,
    h("label", { for: "title" }, t("titleOptional")), title,
    h("div", { class: "row" },
      h("span", {}, h("label", { for: "difficulty" }, t("difficulty")), difficulty),
      h("span", {}, h("label", { for: "duration" }, t("studyTime")), duration)),
    button, status);
}
