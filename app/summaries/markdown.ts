/**
 * Markdown for summaries, rendered the same on the server (published pages, exports) and in the
 * editor's preview: markdown-it with raw HTML off (tags are shown as text), no autolinking, and
 * links limited to http(s) and mailto (markdown-it already refuses javascript:, vbscript:, file: and
 * most data: links). What people typed can never become markup or script.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

const SAFE_LINK = /^(https?:|mailto:|#|\/(?!\/))/i;
const defaultValidate = md.validateLink.bind(md);
md.validateLink = (url: string) => defaultValidate(url) && SAFE_LINK.test(url.trim());

// Links open as ordinary links, without passing on who sent the reader.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// No images: a summary is text, and an image would fetch from wherever it points.
md.disable(["image"]);

export function renderMarkdown(source: string): string {
  return md.render(source);
}
