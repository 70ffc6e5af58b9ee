/**
 * Markdown safety for text people wrote (notes, titles, names, labels) put into generated Markdown
 * (the summary draft, exports): pure. Escaped text renders as the same characters and never as
 * syntax: no emphasis, link, image, autolink, raw HTML, entity, code, table cell, heading, list,
 * block quote or thematic break, whatever renderer options (HTML on or off) are used.
 */

/** Characters that may start Markdown or HTML syntax anywhere in a line (CommonMark and GFM). */
const INLINE_SPECIAL = /[\\`*_[\]<>#|~&]/g;

/** One line: every run of whitespace (newlines included) becomes one space; no-break spaces stay. */
export function oneLine(text: string): string {
  return text.replace(/[^\S\u00A0\u202F]+/gu, " ").trim();
}

/** Text as inert inline Markdown, on one line. */
export function escapeInline(text: string): string {
  return oneLine(text).replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/**
 * Text that starts a block (a paragraph, a list item's content): also no list marker ("- ", "+ ",
 * "1. ", "1) ") or setext underline ("=") at its start. (# > and * are escaped inline already.)
 */
export function escapeBlock(text: string): string {
  return escapeInline(text)
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d{1,9})([.)])/, "$1\\$2");
}
