/**
 * The guard on a summary reads the whole text, including what the session itself made public: its
 * title, co-hosts and agenda item titles (a title such as "Drivers of Mass Atrocity", co-hosts named
 * as conveners, "Opening remarks"). Findings that lie entirely within those public texts (joined by
 * "and", "the", "et", "le"…) are not findings about a speaker. Pure, for unit tests.
 */
import type { Finding } from "./guard";

const CONNECTIVES = new Set(["and", "the", "of", "et", "le", "la", "les", "l", "du", "de", "des", "d"]);

/** The public texts a session gives its summary: title, each co-host, each agenda item title. */
export function publicTextsOf(session: { title: string; coHosts: string }, itemTitles: readonly string[]): string[] {
  const coHosts = session.coHosts.split(/[;\n]|,(?=\s)/).map((s) => s.trim());
  return [session.title, ...coHosts, ...itemTitles].map((s) => s.trim()).filter((s) => s.length >= 3);
}

/** Whether the finding's words are all inside occurrences of public texts (or connectives between them). */
export function withinPublicText(markdown: string, finding: Pick<Finding, "start" | "end">, publicTexts: readonly string[]): boolean {
  const lower = markdown.toLowerCase();
  const covered = new Uint8Array(finding.end - finding.start);
  for (const p of publicTexts) {
    const needle = p.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
      const from = Math.max(at, finding.start);
      const to = Math.min(at + needle.length, finding.end);
      for (let i = from; i < to; i++) covered[i - finding.start] = 1;
    }
  }
  const words = /[\p{L}\p{N}]+/gu;
  const span = markdown.slice(finding.start, finding.end);
  for (let m = words.exec(span); m; m = words.exec(span)) {
    const inside = covered.subarray(m.index, m.index + m[0].length).every((c) => c === 1);
    if (!inside && !CONNECTIVES.has(m[0].toLowerCase())) return false;
  }
  return true;
}
