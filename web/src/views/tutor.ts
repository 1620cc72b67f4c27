// The tutor panel beside the lesson: ask the video, read the answer as it streams, and jump
// to the moments it cites. Answers are untrusted text: built from text nodes only.
import { ApiError, fail, type Schemas } from "../api/client.js";
import { clock, errorBox, failure, h, humanError } from "../dom.js";
import { t } from "../i18n.js";
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
  const p = h("p", { class: "answer", "data-content": true });
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
    h("span", { class: "muted", "data-content": true }, r.quote.length > 140 ? `${r.quote.slice(0, 140)}…` : r.quote))));
}

function turnView(turn: { role: string; content: string; sourceRefs: SourceRef[];
                       covered?: boolean | null }, seek: (s: number) => void,
                  label: Label): HTMLElement {
  if (turn.role === "user") return h("li", { class: "turn user" }, h("p", { "data-content": true }, turn.content));
  return h("li", { class: `turn tutor${turn.covered === false ? " declined" : ""}` },
    answerText(turn.content, seek, label), sources(turn.sourceRefs, seek, label));
}

export function tutorPanel(courseId: string, seek: (s: number) => void,
                           label?: Label): HTMLElement {
  const log = h("ol", { class: "tutor-log", id: "tutor-log", "aria-live": "polite" });
  const status = h("div", { id: "tutor-status" });
  const input = h("input", { type: "text", id: "question", maxlength: "1000", required: true,
    "aria-label": t("yourQuestion"), placeholder: t("askPlaceholder") }) as HTMLInputElement;
  const submit = h("button", { type: "submit", id: "ask" }, t("ask")) as HTMLButtonElement;

  const ask = async (question: string): Promise<void> => {
    status.replaceChildren();
    log.append(turnView({ role: "user", content: question, sourceRefs: [] }, seek, label));
    const streaming = h("p", { class: "answer streaming" });
    const pending = h("li", { class: "turn tutor", id: "tutor-pending" }, streaming);
    log.append(pending);
    const retry = (): void => { question && void ask(question); };
    const broke = (err: unknown): void => {
      pending.remove();
      input.value ||= question;  // the question is not lost: it is back in the box
      status.replaceChildren(failure(err, () => { status.replaceChildren(); input.value = ""; retry(); },
        t("tutorFailed")));
    };
    let r;
    try {
      r = await api.POST("/api/courses/{courseId}/ask", {
        params: { path: { courseId } }, body: { question }, parseAs: "stream" });
    } catch (err) { broke(err); return; }
    if (!r.response.ok || !r.data) {
      pending.remove();
      const body = await r.response.json().catch(() => null) as Schemas["ErrorResponse"] | null;
      if (r.response.status >= 500 || !body) {
        broke(new ApiError(r.response.status, "http_error", ""));
        return;
      }
      status.append(errorBox(r.response.status === 404 ? humanError(new ApiError(404, "", "")) : body.error.message));
      return;
    }
    let answered = false;
    await readFrames(r.data, (event, data) => {
      if (event === "chunk") streaming.append((JSON.parse(data) as { text: string }).text);
      else if (event === "answer") {
        const a = JSON.parse(data) as TutorAnswer;
        answered = true;
        pending.replaceWith(turnView({ role: "tutor", content: a.answer,
                                       sourceRefs: a.sourceRefs, covered: a.covered }, seek, label));
      } else if (event === "error") {
        answered = true;
        pending.remove();
        status.append(errorBox((JSON.parse(data) as Schemas["ErrorResponse"]).error.message));
      }
    }).catch((err: unknown) => { answered = true; broke(err); });
    if (!answered) broke(new TypeError("stream ended"));
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
      if (!r.data) fail(r.response, r.error);
      log.prepend(...r.data.turns.map((turn: TutorTurn) => turnView(turn, seek, label)));
    }).catch((err: unknown) => status.append(failure(err, undefined, t("conversationFailed"))));
  return h("aside", { class: "card tutor", id: "tutor", "aria-label": t("tutor") },
    h("h2", {}, t("askTitle")),
    h("p", { class: "muted" }, t("askLead")),
    log, status, form);
}
