import { errorBox, h } from "../dom.js";
import { api, go, session } from "../session.js";

export function authView(root: HTMLElement): void {
  const email = h("input", { type: "email", name: "email", id: "email", required: true,
                             autocomplete: "email" }) as HTMLInputElement;
  const password = h("input", { type: "password", name: "password", id: "password",
                                required: true, autocomplete: "current-password" }) as HTMLInputElement;
  const status = h("div");
  async function submit(kind: "signup" | "signin"): Promise<void> {
    status.replaceChildren();
    const body = { email: email.value, password: password.value };
    const result = kind === "signup"
      ? await api.POST("/api/auth/signup", { body })
      : await api.POST("/api/auth/signin", { body });
    if (!result.data) {
      const message = result.error && "error" in result.error ? result.error.error.message
        : `HTTP ${result.response.status}`;
      status.append(errorBox(message));
      return;
    }
    session.token = result.data.token;
    go("#/");
  }
  const form: HTMLFormElement = h("form", { class: "card", onsubmit: (e) => { e.preventDefault(); void submit("signin"); } },
    h("h1", {}, "Sign in or create an account"),
    h("label", { for: "email" }, "Email"), email,
    h("label", { for: "password" }, "Password"), password,
    h("div", { class: "row" },
      h("button", { type: "submit" }, "Sign in"),
      h("button", { type: "button", id: "signup",
                    onclick: () => { if (form.reportValidity()) void submit("signup"); } },
        "Sign up")),
    status) as HTMLFormElement;
  root.replaceChildren(form);
}
