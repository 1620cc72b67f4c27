// The tutor panel beside the lesson: ask the video, read the answer as it streams, and jump
// to the moments it cites. Answers are untrusted text: built from text nodes only.
import { type Schemas } from "../api/client.js";
import { clock, errorBox, h } from "../dom.js";
import { api, readFrames } from "../session.js";

type TutorAnswer = Schemas["TutorAnswer"];
type TutorTurn = Schemas["TutorTurn"];
type SourceRef = Schemas["TutorSourceRef"];
const STAMP = /\[(?:(\d+):)?(\d{1,2}):(\d{2})\]/g;

function stampButton(label: string, seconds: number, seek: (s: number) => void,
                     title?: string): HTMLElement {
  return h("button", { type: "button", class: "link stamp", "data-seconds": String(seconds),
    title, onclick: () => seek(seconds) }, label);
}

/** How a course time reads: a playlist's on its module video's clock; absent for a single
 * video, whose stamps read as the tutor wrote them. */
type Label = ((seconds: number) => string) | undefined;

/** The answer with every [mm:ss] as a button that seeks the video. */
function answerText(text: string, seek: (s: number) => void, label: Label): HTMLElement {
  const p = h("p", { class: "answer" });
  let last = 0;
  for (const m of text.matchAll(STAMP)) {
    p.append(text.slice(last, m.index));
    const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    p.append(stampButton(label ? `[${label(seconds)}]` : m[0], seconds, seek));
    last = (m.index ?? 0) + m[0].length;
  }
  p.append(text.slice(last));
  return p;
}

function sources(refs: SourceRef[], seek: (s: number) => void, label: Label): HTMLElement | null {
  if (!refs.length) return null;
  return h("ul", { class: "sources" }, ...refs.map((r) => h("li", {},
    stampButton(`▶ ${(label ?? clock)(r.startSeconds)}`, r.startSeconds, seek, r.quote), " ",
    h("span", { class: "muted" }, r.quote.length > 140 ? `${r.quote.slice(0, 140)}…` : r.quote))));
}

function turnView(t: { role: string; content: string; sourceRefs: SourceRef[];
                       covered?: boolean | null }, seek: (s: number) => void,
                  label: Label): HTMLElement {
  if (t.role === "user") return h("li", { class: "turn user" }, h("p", {}, t.content));
  return h("li", { class: `turn tutor${t.covered === false ? " declined" : ""}` },
    answerText(t.content, seek, label), sources(t.sourceRefs, seek, label));
}

export function tutorPanel(courseId: string, seek: (s: number) => void,
                           label?: Label): HTMLElement {
  const log = h("ol", { class: "tutor-log", id: "tutor-log", "aria-live": "polite" });
  const status = h("div", { id: "tutor-status" });
  const input = h("input", { type: "text", id: "question", maxlength: "1000", required: true,
    "aria-label": "Your question", placeholder: "Ask about this video…" }) as HTMLInputElement;
  const submit = h("button", { type: "submit", id: "ask" }, "Ask") as HTMLButtonElement;

  const ask = async (question: string): Promise<void> => {
    status.replaceChildren();
    log.append(turnView({ role: "user", content: question, sourceRefs: [] }, seek, label));
    const streaming = h("p", { class: "answer streaming" });
    const pending = h("li", { class: "turn tutor", id: "tutor-pending" }, streaming);
    log.append(pending);
    const r = await api.POST("/api/courses/{courseId}/ask", {
      params: { path: { courseId } }, body: { question }, parseAs: "stream" });
    if (!r.response.ok || !r.data) {
      pending.remove();
      const body = await r.response.json().catch(() => null) as Schemas["ErrorResponse"] | null;
      status.append(errorBox(body?.error.message ?? `HTTP ${r.response.status}`));
      return;
    }
    await readFrames(r.data, (event, data) => {
      if (event === "chunk") streaming.append((JSON.parse(data) as { text: string }).text);
      else if (event === "answer") {
        const a = JSON.parse(data) as TutorAnswer;
        pending.replaceWith(turnView({ role: "tutor", content: a.answer,
                                       sourceRefs: a.sourceRefs, covered: a.covered }, seek, label));
      } else if (event === "error") {
        pending.remove();
        status.append(errorBox((JSON.parse(data) as Schemas["ErrorResponse"]).error.message));
      }
    });
  };

  const form = h("form", { class: "ask", onsubmit: (e) => {
    e.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    input.value = "";
    submit.disabled = true;
    void ask(question).finally(() => { submit.disabled = false; input.focus(); });
  } }, input, submit);

  void api.GET("/api/courses/{courseId}/conversation", { params: { path: { courseId } } })
    .then((r) => {
      if (r.data) log.prepend(...r.data.turns.map((t: TutorTurn) => turnView(t, seek, label)));
    });
  return h("aside", { class: "card tutor", id: "tutor", "aria-label": "Tutor" },
    h("h2", {}, "Ask the video"),
    h("p", { class: "muted" }, "Answers come only from the video, with the moments they cite."),
    log, status, form);
}
