// DOM building with text nodes only: untrusted text (titles, lessons, quiz answers) can never
// become markup here. The one exception is markdown.ts, whose renderer escapes raw HTML.
import { ApiError } from "./api/client.js";
import { t } from "./i18n.js";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | boolean | ((ev: Event) => void) | undefined>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${Math.floor(s / 60)}:${ss}`;
}

export function errorBox(message: string): HTMLElement {
  return h("p", { class: "error", role: "alert" }, message);
}

/** What went wrong, in words a learner reads: never "Failed to fetch", "Not Found" or a status
 * code. A 4xx keeps the server's own message (it says what to change). */
export function humanError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status >= 500) return t("errServer");
    if (err.status === 404) return t("errNotFound");
    return err.message || t("errGeneric");
  }
  // fetch rejects with a TypeError when the server cannot be reached at all
  if (err instanceof TypeError) return t("errNetwork");
  return t("errGeneric");
}

/** A failure with a human message and a way to try again. */
export function failure(err: unknown, retry?: () => void, lead?: string): HTMLElement {
  return h("div", { class: "error", role: "alert" },
    h("p", {}, lead ? `${lead} ${humanError(err)}` : humanError(err)),
    retry ? h("button", { type: "button", class: "retry", onclick: retry }, t("retry")) : null);
}

export function loading(): HTMLElement {
  return h("p", { class: "muted loading", role: "status" }, t("loading"));
}
