import "./style.css";
import { ApiError } from "./api/client.js";
import { failure, h, loading } from "./dom.js";
import { browserLocale, onLocaleChange, setLocale, t } from "./i18n.js";
import { flushPendingScores } from "./pending.js";
import { api, go, session } from "./session.js";
import { authView } from "./views/auth.js";
import { courseView } from "./views/course.js";
import { homeView } from "./views/home.js";
import { progressView } from "./views/progress.js";
import { reviewView } from "./views/review.js";

const app = document.getElementById("app") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
const skip = document.getElementById("skip") as HTMLAnchorElement;
let running = new AbortController();

// the skip link focuses <main> without touching the hash (the hash is the route)
skip.addEventListener("click", (e) => { e.preventDefault(); app.focus(); });

function drawChrome(): void {
  skip.textContent = t("skip");
  nav.replaceChildren(session.token ? h("button", { type: "button", id: "signout", onclick: async () => {
    await api.POST("/api/auth/signout").catch(() => undefined);
    session.token = null;
    go("#/");
  } }, t("signOut")) : "");
}
onLocaleChange(drawChrome);

async function route(): Promise<void> {
  running.abort();
  running = new AbortController();
  const [, page, id, section] = window.location.hash.split("/");
  // course pages switch to the course's language once it is known
  setLocale(browserLocale());
  drawChrome();
  if (!session.token) { authView(app); return; }
  app.replaceChildren(loading());
  await flushPendingScores();  // before the views read progress back
  try {
    if (page === "progress" && id) await progressView(app, id, running.signal);
    else if (page === "course" && id) await courseView(app, id, section);
    else if (page === "review") await reviewView(app, id);
    else await homeView(app);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { session.token = null; go("#/"); return; }
    app.replaceChildren(h("h1", {}, t("errGeneric")), failure(err, () => void route()));
  }
}

// a score kept on this device is saved as soon as the browser is back online
window.addEventListener("online", () => void flushPendingScores());
window.addEventListener("hashchange", () => void route());
void route();
