/**
 * Applying the attribution guard's neutral rewordings to a text: small and pure, kept apart from the
 * guard (app/models/guard.ts) so that the live room can use it without loading the guard's word lists.
 */
import type { Finding } from "./guard";

function startsSentence(text: string, at: number): boolean {
  return /(^|[.!?:;\n])[\s"“«(]*$/u.test(text.slice(0, at));
}

/** Apply the suggestions right to left (non-overlapping), capitalising at a sentence start. */
export function rewrite(text: string, findings: readonly Finding[]): string {
  const chosen: Finding[] = [];
  for (const f of [...findings].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = chosen[chosen.length - 1];
    if (!last || f.start >= last.end) chosen.push(f);
  }
  let out = text;
  for (const f of chosen.reverse()) {
    let s = f.suggestion;
    if (startsSentence(text, f.start) || /^\p{Lu}/u.test(f.text) && /^(as|according|selon|comme|the|a|an|le|la|l')\b/iu.test(f.text) && startsSentence(text, f.start)) {
      s = s.charAt(0).toUpperCase() + s.slice(1);
    }
    out = out.slice(0, f.start) + s + out.slice(f.end);
  }
  return out;
}
