import { ApiError, type CourseDetail, type OutlineSectionInput } from "../api/client.js";
import { errorBox, failure, h } from "../dom.js";
import { t } from "../i18n.js";
import { api, go } from "../session.js";

/** Rename, reorder, add and remove sections; saved with If-Match so a concurrent change is a
 *  409 (then the course is reloaded and the conflict shown). Only affected sections regenerate. */
export function outlineEditor(course: CourseDetail, etag: string): HTMLElement {
  const rows: OutlineSectionInput[] = course.sections.map((s) => ({ id: s.id, title: s.title }));
  const list = h("ol", { class: "outline-editor", id: "outline-editor" });
  const status = h("div", { id: "outline-status" });
  const render = (): void => {
    list.replaceChildren(...rows.map((row, i) => {
      const input = h("input", { type: "text", value: row.title, "aria-label": t("sectionTitle", { n: i + 1 }),
        class: "section-title", required: true, maxlength: "300" }) as HTMLInputElement;
      input.addEventListener("input", () => { row.title = input.value; });
      const move = (to: number) => () => {
        if (to < 0 || to >= rows.length) return;
        const [moved] = rows.splice(i, 1);
        if (moved) rows.splice(to, 0, moved);
        render();
      };
      return h("li", {}, input,
        h("button", { type: "button", "aria-label": t("moveUp"), onclick: move(i - 1) }, "↑"),
        h("button", { type: "button", "aria-label": t("moveDown"), onclick: move(i + 1) }, "↓"),
        h("button", { type: "button", "aria-label": t("remove"), disabled: rows.length === 1,
                      onclick: () => { rows.splice(i, 1); render(); } }, "✕"));
    }));
  };
  render();
  const save = async (): Promise<void> => {
    status.replaceChildren();
    let r;
    try {
      r = await api.PUT("/api/courses/outline/{courseId}", {
        params: { path: { courseId: course.id }, header: { "If-Match": etag } },
        body: { outline: { sections: rows } },
      });
    } catch (err) { status.append(failure(err, () => void save(), t("saveFailed"))); return; }
    if (r.response.status === 409) {
      status.append(errorBox(t("conflict")),
        h("a", { href: `#/course/${course.id}` }, t("backToCourse")));
      return;
    }
    if (!r.data) {
      status.append(r.response.status >= 500
        ? failure(new ApiError(r.response.status, "", ""), () => void save(), t("saveFailed"))
        : errorBox(`${t("saveFailed")} ${r.error?.error.message ?? ""}`));
      return;
    }
    const impacts = r.data.validationIssues;
    status.append(h("ul", { class: "impacts", id: "impacts" }, ...impacts.map((i) =>
      h("li", { class: i.severity }, `${i.kind}: ${i.message}`))));
    if (r.data.course.status === "processing") go(`#/progress/${course.id}`);
  };
  return h("section", { class: "card" }, h("h1", {}, t("editTitle")), list,
    h("div", { class: "row" },
      h("button", { type: "button", id: "add-section", onclick: () => {
        rows.push({ title: t("newSection") }); render(); } }, t("addSection")),
      h("button", { type: "button", id: "save-outline", onclick: () => void save() }, t("save")),
      h("a", { href: `#/course/${course.id}` }, t("cancel"))),
    status);
}
