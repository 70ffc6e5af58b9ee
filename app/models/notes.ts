/**
 * Notes: the rules and shapes shared by the server and the browser (pure, no database, and no zod, so
 * that the browser bundle stays small). Input schemas are in notes-input.ts; the domain service is
 * notes.server.ts; the attribution guard is guard.ts.
 */
import type { Finding } from "./guard";

export const NOTE_KINDS = ["point", "proposal", "question", "concern"] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
export type NoteStatus = "visible" | "flagged" | "hidden" | "merged";
export type AttributionMode = "chatham_house" | "anonymous" | "on_the_record";

/** Notes may be written, and edited or withdrawn by their authors, while the room is live and late until finalisation. */
export const NOTES_WRITABLE: readonly string[] = ["live", "ended"];
/** Curation goes on after finalisation: the summary is drafted from curated key points. */
export const NOTES_CURATABLE: readonly string[] = ["live", "ended", "finalised"];

/** The default limit (SPEC section 3), counted in characters as people see them (code points). */
export const NOTE_MAX_CHARS = 1000;
export const MAX_THEMES_PER_NOTE = 5;
/** How many notes a room's snapshot carries (the most recent). */
export const FEED_LIMIT = 1000;

/** Characters as a person counts them: code points of the NFC form (any script). */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text.normalize("NFC")) n++;
  return n;
}

/** Text as stored: NFC, trimmed, line endings unified, no control characters but newlines and tabs. */
export function cleanNoteText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    // Control characters (C0 and DEL) other than tab and newline are dropped.
    .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : ""))
    .trim();
}

export const CLIENT_ID_RE = /^[0-9a-f]{32}$/;
export const isClientId = (v: unknown): v is string => typeof v === "string" && CLIENT_ID_RE.test(v);

/** A client id: 32 hex characters, random, made on the device (crypto.getRandomValues; no secure context needed). */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const CURATE_ACTIONS = ["hide", "show", "highlight", "unhighlight", "dismissFlag"] as const;
export type CurateAction = (typeof CURATE_ACTIONS)[number];

/** A note as an audience sees it. Never carries authorship, except the name on on-the-record notes. */
export type NoteView = {
  id: string;
  itemId: string;
  kind: NoteKind;
  themeIds: string[];
  text: string;
  status: NoteStatus;
  highlighted: boolean;
  attributionMode: AttributionMode;
  /** The author's display name, on notes written on the record only. */
  author: string | null;
  /** The minute it was written (ms since the epoch, floored): no finer, so nothing marks a device's flush. */
  minute: number;
  edited: boolean;
  mergedIntoId: string | null;
  /** For staff, on flagged notes: what the guard found, with spans and rewordings. */
  findings?: Finding[];
};

/** What the author is told on submit or edit: only what they may know. */
export type NoteReceipt = {
  note: NoteView;
  /** True when the same client id had already been stored (a resend from an outbox). */
  duplicate: boolean;
  /** "held": the guard found identifying text and the note waits for a rapporteur; "sent" otherwise. */
  outcome: "sent" | "held";
  findings: Finding[];
};

export type NotesChange = { sessionId: string; upsert: NoteView[]; remove: string[] };

export const MINUTE_MS = 60_000;
export const floorToMinute = (t: number) => Math.floor(t / MINUTE_MS) * MINUTE_MS;
