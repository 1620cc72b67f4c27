// Spaced repetition on the API's FSRS schedule: the cards due now (with a course, its new cards
// too), one at a time; the learner shows the answer and rates it, and sees when it comes back.
import { ApiError, fail, type Schemas } from "../api/client.js";
import { failure, h, loading } from "../dom.js";
import { formatDate, localeOf, type MessageKey, setLocale, t } from "../i18n.js";
import { api } from "../session.js";

type Rating = Schemas["ReviewRequest"]["rating"];
const RATINGS: Rating[] = ["again", "hard", "good", "easy"];

export async function reviewView(root: HTMLElement, courseId?: string): Promise<void> {
  const body = h("div", { id: "review-body" }, loading());
  const title = h("h1", {}, t("reviewTitle"));
  root.replaceChildren(h("section", { class: "card review", id: "review" }, title, body));
  if (courseId) {
    // the course's language, as on its other pages
    const course = await api.GET("/api/courses/{courseId}", { params: { path: { courseId } } });
    if (!course.data) fail(course.response, course.error);
    setLocale(localeOf(course.data.outline?.language));
    title.replaceChildren(`${t("reviewTitle")}: `, h("span", { "data-content": true }, course.data.title));
  }
  let reviewed = 0;
  const load = async (): Promise<void> => {
    body.replaceChildren(loading());
    try {
      const r = await api.GET("/api/user/reviews/due", { params: { query: {
        ...(courseId ? { courseId, includeNew: true } : {}), limit: 100 } } });
      if (!r.data) fail(r.response, r.error);
      show(r.data.cards, 0, null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      body.replaceChildren(failure(err, () => void load()));
    }
  };
  const show = (cards: Schemas["DueCard"][], i: number, lastDue: string | null): void => {
    const count = h("p", { id: "review-count", class: "muted" },
      t("reviewDue", { n: cards.length - i }), " · ", t("reviewed", { n: reviewed }));
    const next = lastDue ? h("p", { id: "next-due", role: "status" }, t("nextDue", { date: formatDate(lastDue) })) : null;
    const card = cards[i];
    if (!card) { body.replaceChildren(count, next ?? "", h("p", { id: "review-done" }, t("reviewNone"))); return; }
    const back = h("div", { class: "review-back", hidden: true },
      h("p", { "data-content": true }, card.card.back));
    const status = h("div");
    const rate = async (rating: Rating): Promise<void> => {
      status.replaceChildren();
      ratings.querySelectorAll("button").forEach((b) => b.setAttribute("disabled", ""));
      try {
        const r = await api.POST("/api/user/reviews", { body: { courseId: card.review.courseId,
          cardId: card.card.id, rating } });
        if (!r.data) fail(r.response, r.error);
        reviewed += 1;
        show(cards, i + 1, r.data.due);
      } catch (err) {
        ratings.querySelectorAll("button").forEach((b) => b.removeAttribute("disabled"));
        status.append(failure(err, () => void rate(rating), t("reviewFailed")));
      }
    };
    const ratings = h("div", { class: "row ratings", hidden: true }, ...RATINGS.map((rating) =>
      h("button", { type: "button", class: `rating ${rating}`, "data-rating": rating,
        onclick: () => void rate(rating) }, t(`rate_${rating}` as MessageKey))));
    const reveal = h("button", { type: "button", id: "review-show", onclick: () => {
      back.hidden = false; ratings.hidden = false; reveal.remove();
      (ratings.querySelector("button") as HTMLElement | null)?.focus();
    } }, t("reviewShow"));
    body.replaceChildren(count, next ?? "",
      h("article", { class: "review-card", id: "review-card" },
        h("p", { class: "muted", "data-content": true }, card.card.sectionTitle),
        h("p", { class: "review-front", "data-content": true }, card.card.front), back),
      reveal, ratings, status);
  };
  await load();
}
