import "./style.css";
import { ApiError } from "./api/client.js";
import { errorBox, h } from "./dom.js";
import { api, go, session } from "./session.js";
import { authView } from "./views/auth.js";
import { courseView } from "./views/course.js";
import { homeView } from "./views/home.js";
import { progressView } from "./views/progress.js";

const app = document.getElementById("app") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
let running = new AbortController();

async function route(): Promise<void> {
  running.abort();
  running = new AbortController();
  const [, page, id, section] = window.location.hash.split("/");
  nav.replaceChildren(session.token ? h("button", { type: "button", id: "signout", onclick: async () => {
    await api.POST("/api/auth/signout");
    session.token = null;
    go("#/");
  } }, "Sign out") : "");
  if (!session.token) { authView(app); return; }
  try {
    if (page === "progress" && id) await progressView(app, id, running.signal);
    else if (page === "course" && id) await courseView(app, id, section);
    else await homeView(app);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { session.token = null; go("#/"); return; }
    app.replaceChildren(errorBox(err instanceof Error ? err.message : String(err)));
  }
}

window.addEventListener("hashchange", () => void route());
void route();
