import { type ProgressEvent } from "../api/client.js";
import { errorBox, h } from "../dom.js";
import { api, followProgress } from "../session.js";

/** Live progress of a generation (or of an outline edit's regeneration), from SSE. */
export async function progressView(root: HTMLElement, courseId: string,
                                   signal: AbortSignal): Promise<void> {
  const bar = h("progress", { max: "1", value: "0", id: "progress-bar",
                              "aria-label": "Generation progress" }) as HTMLProgressElement;
  const step = h("p", { id: "step" }, "queued");
  const sections = h("p", { id: "sections", class: "muted" });
  const eta = h("p", { id: "eta", class: "muted" });
  const log = h("ol", { id: "events", class: "events" });
  // which sections this run writes: all of them at first, only the affected ones after an edit
  const written = h("ul", { id: "regenerated", class: "events" });
  const seen = new Set<string>();
  const status = h("div", { id: "final" });
  const cancel = h("button", { type: "button", id: "cancel", onclick: async () => {
    const r = await api.POST("/api/courses/{courseId}/cancel", { params: { path: { courseId } } });
    if (!r.data) status.append(errorBox(r.error?.error.message ?? "Could not cancel."));
  } }, "Cancel");
  root.replaceChildren(h("section", { class: "card" }, h("h1", {}, "Generating your course"),
    bar, step, sections, eta, cancel, status,
    h("h2", {}, "Sections written in this run"), written, h("h2", {}, "Steps"), log));

  const show = (e: ProgressEvent): void => {
    bar.value = e.progress;
    step.textContent = `${e.step}${e.message ? ` — ${e.message}` : ""}`;
    step.dataset.type = e.type;
    if (e.sectionsTotal) sections.textContent = `Sections ${e.sectionsDone} / ${e.sectionsTotal}`;
    eta.textContent = e.eta != null && e.type !== "completed" ? `About ${Math.ceil(e.eta)} s left` : "";
    log.append(h("li", {}, `${e.type}: ${e.step}${e.message ? ` — ${e.message}` : ""}`));
    const sectionId = e.type === "section" ? e.data["sectionId"] : undefined;
    if (typeof sectionId === "string" && !seen.has(sectionId)) {
      seen.add(sectionId);
      written.append(h("li", { "data-section-id": sectionId }, e.message ?? sectionId));
    }
  };
  let last: ProgressEvent | null = null;
  try {
    await followProgress(courseId, (e) => { last = e; show(e); }, signal);
  } catch (err) {
    if (signal.aborted) return;
    status.append(errorBox(String(err)));
  }
  if (signal.aborted) return;
  cancel.remove();
  const final = (last as ProgressEvent | null)?.type;
  if (final === "completed") {
    status.append(h("p", { id: "done" }, "Completed. ", h("a", { href: `#/course/${courseId}` }, "Open the course")));
  } else {
    status.append(h("p", {}, `The generation ended: ${final ?? "unknown"}. `,
      h("a", { href: `#/course/${courseId}` }, "See the course")));
  }
}
