import { fail } from "../api/client.js";
import { errorBox, h } from "../dom.js";
import { api, go } from "../session.js";

type Difficulty = "beginner" | "intermediate" | "advanced";

export async function homeView(root: HTMLElement): Promise<void> {
  const [list, progress] = await Promise.all([
    api.GET("/api/courses", { params: { query: { limit: 50 } } }),
    api.GET("/api/user/progress"),
  ]);
  if (!list.data) fail(list.response, list.error);
  const done = new Map((progress.data?.courses ?? []).map((p) => [p.courseId, p]));
  const courses = h("ul", { class: "courses" }, ...list.data.items.map((c) => {
    const p = done.get(c.id);
    const target = c.status === "processing" ? `#/progress/${c.id}` : `#/course/${c.id}`;
    return h("li", {},
      h("a", { href: target }, c.title), " ",
      h("span", { class: `badge ${c.status}` }, c.status),
      p ? h("span", { class: "muted" }, ` · ${Math.round(p.progress * 100)}% done`) : null);
  }));
  root.replaceChildren(newCourseForm(),
    h("section", { class: "card" }, h("h2", {}, "My courses"),
      list.data.items.length ? courses : h("p", { class: "muted" }, "No courses yet.")));
}

function newCourseForm(): HTMLElement {
  const url = h("input", { type: "url", id: "url", placeholder: "https://www.youtube.com/watch?v=…" }) as HTMLInputElement;
  const transcript = h("textarea", { id: "transcript", rows: "8",
    placeholder: "Paste an .srt, .vtt or plain-text transcript" }) as HTMLTextAreaElement;
  const file = h("input", { type: "file", id: "file", accept: ".srt,.vtt,.txt" }) as HTMLInputElement;
  const title = h("input", { type: "text", id: "title", maxlength: "300" }) as HTMLInputElement;
  const difficulty = h("select", { id: "difficulty" },
    ...["beginner", "intermediate", "advanced"].map((d) => h("option", { value: d }, d))) as HTMLSelectElement;
  const duration = h("input", { type: "number", id: "duration", min: "5", max: "1200",
                                placeholder: "minutes" }) as HTMLInputElement;
  const status = h("div");
  async function submit(): Promise<void> {
    status.replaceChildren();
    const upload = file.files?.[0];
    const text = upload ? await upload.text() : transcript.value;
    const preferences = { difficulty: difficulty.value as Difficulty,
                          ...(duration.value ? { duration: Number(duration.value) } : {}) };
    const common = { title: title.value || undefined, preferences };
    const result = text.trim()
      ? await api.POST("/api/courses/generate", { body: { ...common, transcript: text,
                                                           url: url.value || undefined } })
      : url.value
        ? await api.POST("/api/courses/generate", { body: { ...common, url: url.value } })
        : null;
    if (result === null) {
      status.append(errorBox("Give a YouTube URL, a transcript file or transcript text."));
      return;
    }
    if (!result.data) {
      const err = result.error;
      status.append(errorBox(err && "error" in err ? err.error.message : `HTTP ${result.response.status}`));
      return;
    }
    go(result.data.status === "completed" ? `#/course/${result.data.courseId}`
      : `#/progress/${result.data.courseId}`);
  }
  return h("form", { class: "card", id: "new-course",
                     onsubmit: (e) => { e.preventDefault(); void submit(); } },
    h("h2", {}, "New course"),
    h("label", { for: "url" }, "YouTube URL"), url,
    h("label", { for: "transcript" }, "…or a transcript"), transcript,
    h("label", { for: "file" }, "…or upload a transcript file"), file,
    h("label", { for: "title" }, "Title (optional)"), title,
    h("div", { class: "row" },
      h("span", {}, h("label", { for: "difficulty" }, "Difficulty"), difficulty),
      h("span", {}, h("label", { for: "duration" }, "Study time"), duration)),
    h("button", { type: "submit", id: "generate" }, "Generate"), status);
}
