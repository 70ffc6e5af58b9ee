/**
 * The notes feed in the browser, pure: applying the server's changes, and arranging notes for the
 * page (the current item first, then earlier items, newest first within each).
 */
import type { Finding } from "../models/guard";
import type { NotesChange, NoteView } from "../models/notes";

/** Upserts and removes by id; an upserted note replaces the one with its id, new ones come first. */
export function applyNotesChange(list: readonly NoteView[], change: Pick<NotesChange, "upsert" | "remove">): NoteView[] {
  if (!change.upsert.length && !change.remove.length) return list as NoteView[];
  const gone = new Set(change.remove);
  const byId = new Map(change.upsert.map((n) => [n.id, n]));
  const kept = list.filter((n) => !gone.has(n.id) || byId.has(n.id)).map((n) => byId.get(n.id) ?? n);
  const known = new Set(list.map((n) => n.id));
  const added = change.upsert.filter((n) => !known.has(n.id));
  return [...added, ...kept];
}

export type FeedNote = NoteView & { mine: boolean };
export type FeedGroup = { itemId: string; current: boolean; notes: FeedNote[] };

/**
 * The notes a person sees: the audience's feed plus their own (which may be held or hidden, and so
 * missing from the feed), in groups by agenda item: the current item first, then the others in
 * reverse agenda order (the most recent first). Within a group, newest first.
 */
export function arrangeFeed(feed: readonly NoteView[], mine: readonly NoteView[], itemOrder: readonly string[], currentItemId: string | null): FeedGroup[] {
  const mineIds = new Set(mine.map((n) => n.id));
  const all = new Map<string, FeedNote>();
  for (const n of feed) all.set(n.id, { ...n, mine: mineIds.has(n.id) });
  // One's own view wins for one's own notes (it says "held" where the room sees nothing).
  for (const n of mine) if (!all.has(n.id)) all.set(n.id, { ...n, mine: true });
  const groups = new Map<string, FeedNote[]>();
  for (const n of all.values()) groups.set(n.itemId, [...(groups.get(n.itemId) ?? []), n]);
  const rank = (itemId: string) => {
    if (itemId === currentItemId) return -1;
    const i = itemOrder.indexOf(itemId);
    return i === -1 ? Number.MAX_SAFE_INTEGER : itemOrder.length - i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([itemId, notes]) => ({ itemId, current: itemId === currentItemId, notes: notes.sort((a, b) => b.minute - a.minute) }));
}

export type Segment = { text: string; finding: Finding | null };

/** Splits a text into plain parts and the parts the guard found (non-overlapping, in order). */
export function segmentsOf(text: string, findings: readonly Finding[]): Segment[] {
  const sorted = [...findings].filter((f) => f.end > f.start && f.start >= 0 && f.end <= text.length).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const f of sorted) {
    if (f.start < at) continue;
    if (f.start > at) out.push({ text: text.slice(at, f.start), finding: null });
    out.push({ text: text.slice(f.start, f.end), finding: f });
    at = f.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), finding: null });
  return out;
}

/** The agenda items a note may be moved to in capture mode: started ones, in agenda order. */
export function startedItems<T extends { id: string; state: string }>(items: readonly T[]): T[] {
  return items.filter((i) => i.state === "running" || i.state === "paused" || i.state === "done");
}

/** The next (+1) or previous (-1) started item from `from`, staying put at either end. */
export function stepItem(started: readonly { id: string }[], from: string | null, by: 1 | -1): string | null {
  if (!started.length) return null;
  const at = from ? started.findIndex((i) => i.id === from) : -1;
  if (at === -1) return started[by === 1 ? 0 : started.length - 1].id;
  return started[Math.min(started.length - 1, Math.max(0, at + by))].id;
}
