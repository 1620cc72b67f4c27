import { ApiError, fail, type ProgressEvent } from "../api/client.js";
import { errorBox, failure, h, humanError } from "../dom.js";
import { stepName, t } from "../i18n.js";
import { api, followProgress } from "../session.js";

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Live progress of a generation (or of an outline edit's regeneration), from SSE. */
export async function progressView(root: HTMLElement, courseId: string,
                                   signal: AbortSignal): Promise<void> {
  const bar = h("progress", { max: "1", value: "0", id: "progress-bar",
                              "aria-label": t("progressLabel") }) as HTMLProgressElement;
  const step = h("p", { id: "step" }, t("queued"));
  const sections = h("p", { id: "sections", class: "muted" });
  const eta = h("p", { id: "eta", class: "muted" });
  const log = h("ol", { id: "events", class: "events" });
  // which sections this run writes: all of them at first, only the affected ones after an edit
  const written = h("ul", { id: "regenerated", class: "events" });
  const seen = new Set<string>();
  const status = h("div", { id: "final" });
  const cancel = h("button", { type: "button", id: "cancel", onclick: async () => {
    try {
      const r = await api.POST("/api/courses/{courseId}/cancel", { params: { path: { courseId } } });
      if (!r.data) fail(r.response, r.error);
    } catch (err) { status.append(errorBox(`${t("cancelFailed")} ${humanError(err)}`)); }
  } }, t("cancel"));
  root.replaceChildren(h("section", { class: "card" }, h("h1", {}, t("generating")),
    bar, step, sections, eta, cancel, status,
    h("h2", {}, t("sectionsWritten")), written, h("h2", {}, t("steps")), log));

  const show = (e: ProgressEvent): void => {
    bar.value = e.progress;
    // the step as a learner reads it; the section's title (the event's message) after it
    const words = e.type === "section" && e.message ? `${stepName("write_section")}: ${e.message}`
      : stepName(FINAL.has(e.type) ? e.type : e.step);
    step.textContent = words;
    step.dataset.type = e.type;
    step.dataset.step = e.step;
    if (e.sectionsTotal) sections.textContent = t("sectionsDone", { done: e.sectionsDone, total: e.sectionsTotal });
    eta.textContent = e.eta != null && e.type !== "completed" ? t("secondsLeft", { n: Math.ceil(e.eta) }) : "";
    log.append(h("li", { "data-type": e.type, "data-step": e.step }, words));
    const sectionId = e.type === "section" ? e.data["sectionId"] : undefined;
    if (typeof sectionId === "string" && !seen.has(sectionId)) {
      seen.add(sectionId);
      written.append(h("li", { "data-section-id": sectionId }, e.message ?? ""));
    }
  };
  let last: ProgressEvent | null = null;
  const resume: { lastId?: string } = {};
  // a dropped stream (network, server restart) is followed again, a few times, before giving up
  for (let attempt = 0; ; attempt += 1) {
    let dropped: unknown = null;
    try {
      await followProgress(courseId, (e) => { last = e; show(e); }, signal, resume);
    } catch (err) {
      dropped = err;
    }
    if (signal.aborted) return;
    const lastType = (last as ProgressEvent | null)?.type;
    if (lastType && FINAL.has(lastType)) break;
    // a 4xx will not change by asking again; a stream that ended early or broke may
    if (dropped instanceof ApiError && dropped.status < 500) attempt = 4;
    if (attempt >= 4) {
      status.append(failure(dropped ?? new Error("ended"),
        () => { status.replaceChildren(); void progressView(root, courseId, signal); }, t("progressLost")));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    if (signal.aborted) return;
  }
  if (signal.aborted) return;
  cancel.remove();
  const final = (last as ProgressEvent | null)?.type;
  if (final === "completed") {
    status.append(h("p", { id: "done" }, t("progressDone"), h("a", { href: `#/course/${courseId}` }, t("openCourse"))));
  } else {
    status.append(h("p", {}, t("progressEnded"),
      h("a", { href: `#/course/${courseId}` }, t("seeCourse"))));
  }
}
