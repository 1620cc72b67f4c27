// Lessons are untrusted text (model output over a transcript anyone can upload). markdown-it
// with `html: false` escapes every raw HTML tag, and its validateLink refuses javascript:,
// vbscript:, file: and data: (except images) URLs; links open without an opener.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) =>
  self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet("rel", "noopener noreferrer nofollow");
    token.attrSet("target", "_blank");
  }
  return defaultLink(tokens, idx, options, env, self);
};

export function renderMarkdown(target: HTMLElement, text: string): void {
  target.innerHTML = md.render(text);
}
