import { fail } from "../api/client.js";
import { failure, h } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../session.js";

// The course's Mermaid mind map (the API's `export?format=mermaid`), drawn in the page.
// mermaid is large, so it is imported on first use and stays out of the main bundle.
let counter = 0;

export function mindMapPanel(courseId: string): { panel: HTMLElement; toggle: () => Promise<void> } {
  const body = h("div", { class: "mind-map-body", id: "mind-map-body", "data-content": true });
  const panel = h("section", { class: "card mind-map", id: "mind-map", hidden: true },
    h("h2", {}, t("mindMap")), body);
  let loaded = false;
  const toggle = async (): Promise<void> => {
    panel.hidden = !panel.hidden;
    if (panel.hidden || loaded) return;
    loaded = true;
    body.replaceChildren(h("p", { class: "muted" }, t("drawingMap")));
    try {
      body.replaceChildren(await drawMindMap(courseId));
    } catch (e) {
      loaded = false;
      body.replaceChildren(failure(e, () => { panel.hidden = true; void toggle(); }, t("mapFailed")));
    }
  };
  return { panel, toggle };
}

async function drawMindMap(courseId: string): Promise<Element> {
  const [r, { default: mermaid }] = await Promise.all([
    api.GET("/api/courses/{courseId}/export", {
      params: { path: { courseId }, query: { format: "mermaid" } }, parseAs: "text" }),
    // the prebuilt, already minified ESM build: bundling mermaid's sources took a minute
    import("mermaid/dist/mermaid.esm.min.mjs"),
  ]);
  if (r.data === undefined) fail(r.response, r.error);
  // Labels come from the (untrusted) transcript: "strict" makes mermaid encode them as text,
  // sanitise its output and allow no click handlers.
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  const { svg } = await mermaid.render(`mind-map-svg-${++counter}`, r.data);
  return adopt(svg);
}

// The page's CSP forbids inline <style> elements and style attributes (style-src 'self'),
// so mermaid's styles move into a constructed stylesheet and the CSSOM, which CSP allows.
// The SVG is parsed as XML and imported: no HTML parser, no innerHTML.
function adopt(svgText: string): Element {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") throw new Error(t("mapFailed"));
  const css = [...root.querySelectorAll("style")].map((s) => { s.remove(); return s.textContent ?? ""; });
  const inline = [...root.querySelectorAll("[style]")].map((el) => {
    const value = el.getAttribute("style") ?? "";
    el.removeAttribute("style");
    return [el, value] as const;
  });
  const rootStyle = root.getAttribute("style") ?? "";
  root.removeAttribute("style");
  const svg = document.importNode(root, true) as unknown as SVGSVGElement;
  // imported copies keep the parsed order, so the i-th styled element maps to the i-th copy
  const copies = [root, ...root.querySelectorAll("*")];
  const imported = [svg, ...svg.querySelectorAll("*")];
  for (const [el, value] of inline) {
    (imported[copies.indexOf(el)] as unknown as ElementCSSInlineStyle).style.cssText = value;
  }
  svg.style.cssText = rootStyle;
  svg.style.maxWidth = "100%";
  if (css.length) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css.join("\n"));
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  return svg;
}
