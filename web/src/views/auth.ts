import { errorBox, h, humanError } from "../dom.js";
import { t } from "../i18n.js";
import { api, go, session } from "../session.js";

/** The landing page: what the app does, then sign in or create an account. */
export function authView(root: HTMLElement): void {
  const email = h("input", { type: "email", name: "email", id: "email", required: true,
                             autocomplete: "email" }) as HTMLInputElement;
  const password = h("input", { type: "password", name: "password", id: "password",
                                required: true, autocomplete: "current-password" }) as HTMLInputElement;
  const status = h("div", { id: "auth-status" });
  const buttons: HTMLButtonElement[] = [];
  async function submit(kind: "signup" | "signin"): Promise<void> {
    status.replaceChildren();
    const body = { email: email.value, password: password.value };
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const result = kind === "signup"
        ? await api.POST("/api/auth/signup", { body })
        : await api.POST("/api/auth/signin", { body });
      if (!result.data) {
        const status401 = kind === "signin" && result.response.status === 401;
        const message = status401 ? t("signInUnknown")
          : result.response.status >= 500 ? t("errServer")
            : result.error && "error" in result.error ? result.error.error.message : t("errGeneric");
        status.append(errorBox(message));
        return;
      }
      session.token = result.data.token;
      go("#/");
    } catch (err) {
      status.append(errorBox(humanError(err)));
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }
  const signIn = h("button", { type: "submit", id: "signin" }, t("signIn")) as HTMLButtonElement;
  const signUp = h("button", { type: "button", id: "signup", class: "secondary",
    onclick: () => { if (form.reportValidity()) void submit("signup"); } }, t("signUp")) as HTMLButtonElement;
  buttons.push(signIn, signUp);
  const form: HTMLFormElement = h("form", { class: "card auth", "aria-labelledby": "auth-title",
    onsubmit: (e) => { e.preventDefault(); void submit("signin"); } },
    h("h2", { id: "auth-title" }, t("authTitle")),
    h("p", { class: "muted" }, t("authNew")),
    h("label", { for: "email" }, t("email")), email,
    h("label", { for: "password" }, t("password")), password,
    h("div", { class: "row" }, signIn, signUp),
    status) as HTMLFormElement;
  root.replaceChildren(h("div", { class: "landing" },
    h("section", { class: "hero" }, h("h1", {}, t("landingTitle")), h("p", {}, t("landingLead")),
      h("ul", { class: "features" }, ...t("landingFeatures").split("|").map((f) => h("li", {}, f)))),
    form));
}
