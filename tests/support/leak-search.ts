/**
 * Searching recorded traffic, files and raw database bytes for canary strings: case-insensitively, in
 * UTF-8 (as text, and as bytes read as Latin-1) and in UTF-16 (both byte orders), also HTML- and
 * JSON-escaped. Used by the leak-canary and unlinkability tests.
 */

/** The strings to look for from one canary value: the whole value and each of its distinctive words. */
export function needlesOf(value: string, distinctive: RegExp = /canary|\d{4}/i): string[] {
  const words = value.split(/\s+/).filter((w) => w.length >= 5 && distinctive.test(w));
  return [...new Set([value, ...words])];
}

const htmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);
const asciiEscape = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const entityEscape = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every form in which a string may travel in text. */
export function textForms(s: string): string[] {
  return [...new Set([s, s.normalize("NFD"), htmlEscape(s), jsonEscape(s), asciiEscape(s), entityEscape(s), encodeURIComponent(s)])];
}

/** Where, if anywhere, a text holds one of the needles (case-insensitive); returns the needle and some context. */
export function findIn(text: string, needles: string[]): { needle: string; context: string } | null {
  const hay = text.toLowerCase();
  for (const needle of needles)
    for (const form of textForms(needle)) {
      const at = hay.indexOf(form.toLowerCase());
      if (at >= 0) return { needle, context: text.slice(Math.max(0, at - 120), at + form.length + 120) };
    }
  return null;
}

/** Occurrences of a needle in raw bytes: UTF-8 and UTF-16 (LE and BE), case-insensitive for ASCII letters. */
export function countInBytes(bytes: Buffer, needle: string, hay = bytes.toString("latin1").toLowerCase()): number {
  const count = (form: Buffer) => {
    const f = form.toString("latin1").toLowerCase();
    let n = 0;
    for (let at = hay.indexOf(f); at >= 0; at = hay.indexOf(f, at + 1)) n++;
    return n;
  };
  const le = Buffer.from(needle.toLowerCase(), "utf16le");
  // UTF-16 in either byte order (one text matches both, shifted by a byte: counted once).
  return count(Buffer.from(needle.toLowerCase(), "utf8")) + Math.max(count(le), count(Buffer.from(le).swap16()));
}

/** Case-insensitive occurrences of a needle in a string. */
export function countInText(text: string, needle: string): number {
  const hay = text.toLowerCase();
  const n = needle.toLowerCase();
  let count = 0;
  for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + 1)) count++;
  return count;
}

/** Every string value inside a JSON value (keys included). */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  return out;
}
