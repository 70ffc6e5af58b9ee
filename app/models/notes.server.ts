/**
 * Notes under the Chatham House Rule: capture, the attribution guard on submit, curation, the feed
 * each audience may see, and unlinkable authorship (SPEC sections 3 and 7).
 *
 * Authorship. While a session is open or ended, each non-attributed note stores
 * HMAC-SHA256(session secret, userId || "|" || noteId): different for every note, so nothing in the
 * table groups one person's notes, yet the server can tell an author their own notes by recomputing
 * the tag. At finalisation the secret is deleted, tags and client ids are nulled, timestamps are
 * floored to the minute and the WAL is truncated (checked, and retried while a reader holds it).
 * Notes written on the record store their author's id instead, and show the name.
 *
 * What the server still sees: who sends what, while the session is live (docs/threat-model.md).
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { agendaItems, dialogueSessions, notes, rosterEntries, themes, users } from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Actor, SignedInActor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import { buildRosterIndex, checkForParticipant, checkForStaff, type Finding, type RosterIndex } from "./guard";
import {
  CURATE_ACTIONS,
  FEED_LIMIT,
  floorToMinute,
  NOTE_MAX_CHARS,
  NOTE_KINDS,
  NOTES_CURATABLE,
  NOTES_WRITABLE,
  type NoteReceipt,
  type NoteStatus,
  type NoteView,
} from "./notes";
import { noteEditSchema, noteInputSchema, noteTextSchema } from "./notes-input";
import { parseOrThrow } from "./parse";
import type { Secrets } from "./secrets.server";
import type { LimiterFactory } from "./stores.server";
import { sessionRoleCan, type SessionStanding } from "./permissions";
import { newId } from "./tokens.server";
import { prepared } from "./prepared.server";

type NoteRow = typeof notes.$inferSelect;
export type NoteAudience = "staff" | "room";

/** An item a note may be written against: one that has started. */
const ITEM_WRITABLE = ["running", "paused", "done"];

export const NOTE_RATE = { points: 120, duration: 60 };
export const CHECK_RATE = { points: 240, duration: 60 };

const curateSchema = z.object({ action: z.enum(CURATE_ACTIONS, { errorMap: () => ({ message: "choice_invalid" }) }) });
const mergeSchema = z.object({
  targetId: z.string().uuid("note_not_found"),
  noteIds: z.array(z.string().uuid("note_not_found")).min(1, "required").max(50, "too_many"),
  text: noteTextSchema.optional(),
});

export type WalResult = { truncated: boolean; attempts: number };

export function createNotes(deps: {
  db: Db;
  now: () => number;
  access: Access;
  audit: Audit;
  events: DomainEventBus;
  secrets: Secrets;
  databaseFile?: string | null;
  limiter: LimiterFactory;
}) {
  const { db, now, access, audit, events, secrets } = deps;
  const sqlite = db.$client;
  // Per-person rate-limit state lives in memory only (this process's, or Redis's without persistence
  // when several processes share it), never in the database: SPEC section 7.
  const noteLimiter = deps.limiter({ keyPrefix: "notes", ...NOTE_RATE });
  const checkLimiter = deps.limiter({ keyPrefix: "notes-check", ...CHECK_RATE });
  const rosterCache = new Map<string, { stamp: string; index: RosterIndex }>();

  // ---- Statements of the hot paths (a submit, a fan-out tick), prepared once ----

  const NOTE_COLUMNS = ["id", "sessionId", "itemId", "kind", "themeIds", "text", "attributionMode", "authorTag", "authorUserId", "clientId", "status", "mergedIntoId", "highlighted", "createdAt", "updatedAt"] as const;
  const q = {
    session: prepared(() => db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sql.placeholder("sessionId"))).prepare()),
    note: prepared(() => db.select().from(notes).where(and(eq(notes.id, sql.placeholder("id")), eq(notes.sessionId, sql.placeholder("sessionId")))).prepare()),
    feed: prepared(() => db.select().from(notes).where(eq(notes.sessionId, sql.placeholder("sessionId"))).orderBy(desc(notes.createdAt)).limit(FEED_LIMIT).prepare()),
    byClientId: prepared(() => db.select().from(notes).where(and(eq(notes.sessionId, sql.placeholder("sessionId")), eq(notes.clientId, sql.placeholder("clientId")))).prepare()),
    item: prepared(() => db.select().from(agendaItems).where(and(eq(agendaItems.id, sql.placeholder("id")), eq(agendaItems.sessionId, sql.placeholder("sessionId")))).prepare()),
    roster: prepared(() =>
      db
        .select({ name: rosterEntries.name, shortForms: rosterEntries.shortForms, organisation: rosterEntries.organisation, acronyms: rosterEntries.acronyms, title: rosterEntries.title, country: rosterEntries.country, id: rosterEntries.id })
        .from(rosterEntries)
        .where(eq(rosterEntries.sessionId, sql.placeholder("sessionId")))
        .prepare(),
    ),
    insert: prepared(() =>
      db
        .insert(notes)
        .values(Object.fromEntries(NOTE_COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as NoteRow)
        .prepare(),
    ),
  };

  // ---- Tags ----

  const { secretOf, tagOf } = secrets;

  function isAuthor(secret: Buffer | null, userId: string, row: Pick<NoteRow, "id" | "authorTag" | "authorUserId">): boolean {
    if (row.authorUserId) return row.authorUserId === userId;
    return secrets.matches(secret, userId, row.id, row.authorTag);
  }

  // ---- The guard ----

  function rosterIndex(sessionId: string): RosterIndex {
    const rows = q.roster().all({ sessionId });
    // Rebuilt when the roster changes (its ids and contents), not on every note. An empty roster
    // (most rooms until the organiser fills it) needs no digest.
    const stamp = rows.length ? `${rows.length}:${createHmac("sha1", "roster").update(JSON.stringify(rows)).digest("hex")}` : "0";
    const cached = rosterCache.get(sessionId);
    if (cached && cached.stamp === stamp) return cached.index;
    const index = buildRosterIndex(rows);
    rosterCache.set(sessionId, { stamp, index });
    return index;
  }

  /** Everything the guard finds, roster included: what decides whether a note is held. */
  function staffFindings(session: SessionRow, text: string, mode: string): Finding[] {
    if (mode === "on_the_record") return [];
    return checkForStaff(text, rosterIndex(session.id));
  }

  /**
   * Whether the guard may tell this person about roster matches: the moderation team (who see held
   * notes and must know why they are held) and anyone the session shows the roster to.
   */
  const seesRosterFindings = (standing: SessionStanding, session: SessionRow) => sessionRoleCan(standing, "notes.curate") || sessionRoleCan(standing, "session.roster.view", session);

  /** What this person may be told: roster matches only for those above, generic findings for others. */
  function findingsFor(standing: SessionStanding, session: SessionRow, text: string, mode: string): Finding[] {
    if (mode === "on_the_record") return [];
    return seesRosterFindings(standing, session) ? staffFindings(session, text, mode) : checkForParticipant(text);
  }

  // ---- Views ----

  function authorNames(rows: NoteRow[]): Map<string, string | null> {
    const ids = [...new Set(rows.map((r) => r.authorUserId).filter((v): v is string => !!v))];
    if (!ids.length) return new Map();
    return new Map(db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).all().map((u) => [u.id, u.name]));
  }

  function baseView(row: NoteRow, names: Map<string, string | null>): NoteView {
    return {
      id: row.id,
      itemId: row.itemId,
      kind: row.kind,
      themeIds: row.themeIds,
      text: row.text,
      status: row.status,
      highlighted: row.highlighted,
      attributionMode: row.attributionMode,
      author: row.attributionMode === "on_the_record" && row.authorUserId ? (names.get(row.authorUserId) ?? null) : null,
      minute: floorToMinute(row.createdAt),
      edited: row.updatedAt !== null,
      mergedIntoId: row.mergedIntoId,
    };
  }

  /** A note as an audience sees it, or null if that audience may not see it. */
  function viewFor(session: SessionRow, row: NoteRow, audience: NoteAudience, names: Map<string, string | null>): NoteView | null {
    if (audience === "staff") {
      const v = baseView(row, names);
      return row.status === "flagged" ? { ...v, findings: staffFindings(session, row.text, row.attributionMode) } : v;
    }
    if (session.noteVisibility !== "participants" || row.status !== "visible") return null;
    return baseView(row, names);
  }

  /**
   * The author's own view. A note held only because of the roster shows as sent to someone who may not
   * see the roster, so that the answer never tells whether a name is on it.
   */
  function ownView(session: SessionRow, standing: SessionStanding, row: NoteRow, names: Map<string, string | null>): NoteView {
    const v = baseView(row, names);
    if (row.status === "flagged") {
      const own = findingsFor(standing, session, row.text, row.attributionMode);
      return own.length ? { ...v, findings: own } : { ...v, status: "visible" };
    }
    return v;
  }

  function sessionRow(sessionId: string): SessionRow | null {
    return q.session().get({ sessionId }) ?? null;
  }

  function rowsOf(sessionId: string, ids?: string[]): NoteRow[] {
    // A tick's few ids, one prepared lookup each (a query built per call costs more than the lookups).
    if (ids) return ids.length <= 32 ? ids.map((id) => q.note().get({ id, sessionId })).filter((r): r is NoteRow => !!r) : db.select().from(notes).where(and(eq(notes.sessionId, sessionId), inArray(notes.id, ids))).all();
    return q.feed().all({ sessionId });
  }

  function requireNote(sessionId: string, noteId: unknown): NoteRow {
    const id = parseOrThrow(z.string().uuid("note_not_found"), noteId);
    const row = q.note().get({ id, sessionId });
    if (!row) throw new DomainError("not_found", "note_not_found");
    return row;
  }

  function requireWritable(session: SessionRow) {
    if (NOTES_WRITABLE.includes(session.status)) return;
    if (["finalised", "published", "archived", "purged"].includes(session.status)) throw new DomainError("conflict", "session_finalised");
    throw new DomainError("conflict", "session_not_live");
  }

  function requireCuratable(session: SessionRow) {
    if (!NOTES_CURATABLE.includes(session.status)) throw new DomainError("conflict", "session_locked");
  }

  function checkThemes(session: SessionRow, themeIds: string[]) {
    if (!themeIds.length) return;
    const known = db.select({ id: themes.id }).from(themes).where(and(eq(themes.programmeId, session.programmeId), inArray(themes.id, themeIds))).all();
    if (known.length !== themeIds.length) throw new DomainError("invalid", "theme_unknown", { themeIds: ["choice_invalid"] });
  }

  const changed = (sessionId: string, noteIds: string[], authorUserId?: string) => events.emit("notes.changed", { sessionId, noteIds, ...(authorUserId ? { authorUserId } : {}) });

  async function limit(limiter: RateLimiterAbstract, key: string) {
    try {
      await limiter.consume(key);
    } catch (e) {
      if (e instanceof Error) throw e; // the store failed: not the person's fault
      throw new DomainError("rate_limited", "notes_rate_limited");
    }
  }

  // ---- Writing ----

  /** Stores a note once per client id and tells the author only what they may know. */
  async function submit(actor: Actor, sessionId: string, input: unknown): Promise<NoteReceipt> {
    const { actor: a, session, standing } = access.requireSession(actor, sessionId, "notes.write");
    const data = parseOrThrow(noteInputSchema, input);
    const names = new Map<string, string | null>([[a.userId, a.displayName]]);
    // A resend from an outbox: answer as for the first time, without storing it again. The client id
    // is only matched together with the author, so nobody can learn of another person's note with it.
    const existing = q.byClientId().get({ sessionId, clientId: data.clientId });
    if (existing) {
      const secret = secretOf(sessionId, false);
      if (!isAuthor(secret, a.userId, existing)) throw new DomainError("conflict", "client_id_taken");
      const view = ownView(session, standing, existing, authorNames([existing]));
      return { note: view, duplicate: true, outcome: view.status === "flagged" ? "held" : "sent", findings: view.findings ?? [] };
    }
    requireWritable(session);
    const item = q.item().get({ id: data.itemId, sessionId });
    if (!item) throw new DomainError("not_found", "item_not_found", { itemId: ["item_not_found"] });
    if (!ITEM_WRITABLE.includes(item.state)) throw new DomainError("conflict", "item_not_started", { itemId: ["item_not_started"] });
    checkThemes(session, data.themeIds);
    await limit(noteLimiter, `${sessionId}:${a.userId}`);
    const mode = item.attributionMode ?? session.attributionMode;
    const held = staffFindings(session, data.text, mode).length > 0;
    const id = newId();
    const onRecord = mode === "on_the_record";
    const row: NoteRow = {
      id,
      sessionId,
      itemId: item.id,
      kind: data.kind,
      themeIds: data.themeIds,
      text: data.text,
      attributionMode: mode,
      authorTag: onRecord ? null : tagOf(secretOf(sessionId, true)!, a.userId, id),
      authorUserId: onRecord ? a.userId : null,
      clientId: data.clientId,
      status: held ? "flagged" : "visible",
      mergedIntoId: null,
      highlighted: false,
      createdAt: now(),
      updatedAt: null,
    };
    try {
      q.insert().run(row);
    } catch (e) {
      // Two sends of one client id racing: the first one won.
      if (String((e as Error).message).includes("UNIQUE")) return submit(actor, sessionId, input);
      throw e;
    }
    changed(sessionId, [id], a.userId);
    const view = ownView(session, standing, row, names);
    return { note: view, duplicate: false, outcome: view.status === "flagged" ? "held" : "sent", findings: view.findings ?? [] };
  }

  /** The guard while typing: the same answer the author would get on submit. */
  async function check(actor: Actor, sessionId: string, input: unknown): Promise<{ findings: Finding[] }> {
    const { actor: a, session, standing } = access.requireSession(actor, sessionId, "notes.write");
    const { text, itemId } = parseOrThrow(z.object({ text: z.string().max(NOTE_MAX_CHARS * 4, "too_long"), itemId: z.string().uuid().optional() }), input);
    await limit(checkLimiter, `${sessionId}:${a.userId}`);
    const item = itemId ? db.select({ mode: agendaItems.attributionMode }).from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.sessionId, sessionId))).get() : undefined;
    const mode = item?.mode ?? session.attributionMode;
    return { findings: findingsFor(standing, session, text, mode) };
  }

  function requireOwn(a: SignedInActor, session: SessionRow, noteId: unknown): NoteRow {
    const row = requireNote(session.id, noteId);
    // Someone else's note answers as a note that does not exist.
    if (!isAuthor(secretOf(session.id, false), a.userId, row)) throw new DomainError("not_found", "note_not_found");
    return row;
  }

  /** The author edits their own note until finalisation; the guard runs again. */
  function editOwn(actor: Actor, sessionId: string, noteId: unknown, input: unknown): NoteReceipt {
    const { actor: a, session, standing } = access.requireSession(actor, sessionId, "notes.write");
    requireWritable(session);
    const row = requireOwn(a, session, noteId);
    const data = parseOrThrow(noteEditSchema, input);
    checkThemes(session, data.themeIds);
    if (row.status === "merged") throw new DomainError("conflict", "note_merged");
    const held = staffFindings(session, data.text, row.attributionMode).length > 0;
    // A hidden note stays hidden; otherwise the guard decides again.
    const status: NoteStatus = row.status === "hidden" ? "hidden" : held ? "flagged" : "visible";
    const next: NoteRow = { ...row, text: data.text, kind: data.kind, themeIds: data.themeIds, status, updatedAt: now() };
    db.update(notes).set({ text: next.text, kind: next.kind, themeIds: next.themeIds, status, updatedAt: next.updatedAt }).where(eq(notes.id, row.id)).run();
    changed(sessionId, [row.id], a.userId);
    const view = ownView(session, standing, next, authorNames([next]));
    return { note: view, duplicate: false, outcome: view.status === "flagged" ? "held" : "sent", findings: view.findings ?? [] };
  }

  /** The author withdraws their own note: it is deleted (secure_delete), not flagged. */
  function withdraw(actor: Actor, sessionId: string, noteId: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "notes.write");
    requireWritable(session);
    const row = requireOwn(a, session, noteId);
    const revived = db.select({ id: notes.id }).from(notes).where(and(eq(notes.sessionId, sessionId), eq(notes.mergedIntoId, row.id))).all();
    db.transaction((tx) => {
      // Notes merged into this one come back to the feed as they were.
      tx.update(notes).set({ status: "visible", mergedIntoId: null }).where(and(eq(notes.sessionId, sessionId), eq(notes.mergedIntoId, row.id))).run();
      tx.delete(notes).where(eq(notes.id, row.id)).run();
    });
    changed(sessionId, [row.id, ...revived.map((r) => r.id)], a.userId);
  }

  // ---- Curation (rapporteurs and moderators) ----

  function curate(actor: Actor, sessionId: string, noteId: unknown, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "notes.curate");
    requireCuratable(session);
    const row = requireNote(sessionId, noteId);
    const { action } = parseOrThrow(curateSchema, input);
    const set: Partial<NoteRow> = {};
    if (action === "hide") {
      if (row.status === "merged") throw new DomainError("conflict", "note_merged");
      set.status = "hidden";
    } else if (action === "show") {
      if (row.status !== "hidden") throw new DomainError("conflict", "note_not_hidden");
      set.status = staffFindings(session, row.text, row.attributionMode).length ? "flagged" : "visible";
    } else if (action === "highlight" || action === "unhighlight") {
      set.highlighted = action === "highlight";
    } else if (action === "dismissFlag") {
      if (row.status !== "flagged") throw new DomainError("conflict", "note_not_flagged");
      set.status = "visible";
      // The decision is recorded; the text that was flagged is not.
      audit.record({ action: "note.flag_dismissed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id });
    }
    db.update(notes).set(set).where(eq(notes.id, row.id)).run();
    // Moderation is recorded (which note, by whom); the note's text and author never are.
    if (action === "hide" || action === "show") audit.record({ action: action === "hide" ? "note.hidden" : "note.shown", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id });
    changed(sessionId, [row.id]);
  }

  /**
   * A curator rewrites a note (for anonymity, or to tidy it). The text it replaces is kept nowhere:
   * no history row, no audit text; secure_delete zeroes the old cell and the WAL is checkpointed.
   */
  function curatorEdit(actor: Actor, sessionId: string, noteId: unknown, input: unknown): { note: NoteView } {
    const { actor: a, session } = access.requireSession(actor, sessionId, "notes.curate");
    requireCuratable(session);
    const row = requireNote(sessionId, noteId);
    const data = parseOrThrow(noteEditSchema, input);
    checkThemes(session, data.themeIds);
    const wasFlagged = row.status === "flagged";
    const held = staffFindings(session, data.text, row.attributionMode).length > 0;
    const status: NoteStatus = row.status === "flagged" || row.status === "visible" ? (held ? "flagged" : "visible") : row.status;
    const next: NoteRow = { ...row, text: data.text, kind: data.kind, themeIds: data.themeIds, status, updatedAt: now() };
    db.update(notes).set({ text: next.text, kind: next.kind, themeIds: next.themeIds, status, updatedAt: next.updatedAt }).where(eq(notes.id, row.id)).run();
    audit.record({ action: "note.curated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { resolvedFlag: wasFlagged && status !== "flagged" } });
    if (wasFlagged) truncateWal();
    changed(sessionId, [row.id]);
    const view = viewFor(session, next, "staff", authorNames([next]))!;
    return { note: view };
  }

  /** Merges duplicates into one note (same item); the merged ones leave the feed. */
  function merge(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "notes.curate");
    requireCuratable(session);
    const data = parseOrThrow(mergeSchema, input);
    const target = requireNote(sessionId, data.targetId);
    const ids = [...new Set(data.noteIds)].filter((id) => id !== target.id);
    if (!ids.length) throw new DomainError("invalid", "merge_needs_two", { noteIds: ["merge_needs_two"] });
    const others = rowsOf(sessionId, ids);
    if (others.length !== ids.length) throw new DomainError("not_found", "note_not_found");
    if (others.some((o) => o.itemId !== target.itemId)) throw new DomainError("conflict", "merge_other_item");
    if (target.status === "merged" || others.some((o) => o.status === "merged")) throw new DomainError("conflict", "note_merged");
    const text = data.text ?? target.text;
    const held = staffFindings(session, text, target.attributionMode).length > 0 || others.some((o) => o.status === "flagged" && !data.text);
    db.transaction((tx) => {
      tx.update(notes).set({ status: "merged", mergedIntoId: target.id, highlighted: false }).where(inArray(notes.id, ids)).run();
      // Notes already merged into the ones merged now follow them.
      tx.update(notes).set({ mergedIntoId: target.id }).where(and(eq(notes.sessionId, sessionId), inArray(notes.mergedIntoId, ids))).run();
      tx.update(notes)
        .set({ text, status: target.status === "hidden" ? "hidden" : held ? "flagged" : "visible", themeIds: [...new Set([...target.themeIds, ...others.flatMap((o) => o.themeIds)])], updatedAt: now() })
        .where(eq(notes.id, target.id))
        .run();
    });
    audit.record({ action: "note.merged", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: target.id, details: { merged: ids.length } });
    changed(sessionId, [target.id, ...ids]);
  }

  // ---- Reading ----

  /** The feed this person's audience may see, and their own notes (theirs only). */
  function feed(actor: Actor, sessionId: string, audience: NoteAudience) {
    const { actor: a, session, standing } = access.requireSession(actor, sessionId, "session.room.join");
    const rows = rowsOf(sessionId);
    const names = authorNames(rows);
    const secret = secretOf(sessionId, false);
    const feed = rows.map((r) => viewFor(session, r, audience, names)).filter((v): v is NoteView => !!v);
    const mine = rows.filter((r) => isAuthor(secret, a.userId, r)).map((r) => ownView(session, standing, r, names));
    return { feed, mine };
  }

  /** What changed for an audience: notes to show (again) and notes to take away. */
  function changesFor(sessionId: string, noteIds: string[], audience: NoteAudience): { upsert: NoteView[]; remove: string[] } {
    const session = sessionRow(sessionId);
    if (!session) return { upsert: [], remove: [] };
    const rows = rowsOf(sessionId, noteIds);
    const names = authorNames(rows);
    // Where notes are for staff only, the room is told nothing at all (not even that a note exists).
    if (audience === "room" && session.noteVisibility !== "participants") return { upsert: [], remove: [] };
    const upsert: NoteView[] = [];
    const remove: string[] = [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of noteIds) {
      const row = byId.get(id);
      const v = row ? viewFor(session, row, audience, names) : null;
      if (v) upsert.push(v);
      // The room is only told to take away what it may have seen: a note just held by the guard
      // (never shown) is not announced to it.
      else if (!row || audience === "staff" || row.status !== "flagged" || row.updatedAt !== null) remove.push(id);
    }
    return { upsert, remove };
  }

  /** The author's own view of changed notes (for their devices only). */
  function ownChanges(sessionId: string, userId: string, noteIds: string[]): { upsert: NoteView[]; remove: string[] } {
    const session = sessionRow(sessionId);
    if (!session) return { upsert: [], remove: noteIds };
    const standing = access.standingOf({ userId }, session);
    const rows = rowsOf(sessionId, noteIds);
    const secret = secretOf(sessionId, false);
    const names = authorNames(rows);
    const own = standing ? rows.filter((r) => isAuthor(secret, userId, r)) : [];
    const kept = new Set(own.map((r) => r.id));
    return { upsert: own.map((r) => ownView(session, standing!, r, names)), remove: noteIds.filter((id) => !kept.has(id) && !rows.some((r) => r.id === id)) };
  }

  /** Which of these people wrote this note (to tell their own devices after a curator's change). */
  function authorAmong(sessionId: string, noteId: string, userIds: Iterable<string>): string | null {
    const row = db.select({ id: notes.id, authorTag: notes.authorTag, authorUserId: notes.authorUserId }).from(notes).where(and(eq(notes.id, noteId), eq(notes.sessionId, sessionId))).get();
    if (!row) return null;
    const secret = secretOf(sessionId, false);
    for (const userId of userIds) if (isAuthor(secret, userId, row)) return userId;
    return null;
  }

  /** What the composer needs: items, themes, limits, and what this person may do. */
  function composer(actor: Actor, sessionId: string) {
    const { session, can } = access.requireSession(actor, sessionId, "session.room.join");
    const themeRows = db.select({ id: themes.id, labelEn: themes.labelEn, labelFr: themes.labelFr }).from(themes).where(eq(themes.programmeId, session.programmeId)).all();
    return {
      kinds: NOTE_KINDS,
      themes: themeRows,
      maxChars: NOTE_MAX_CHARS,
      noteVisibility: session.noteVisibility,
      canWrite: can.includes("notes.write"),
      canCurate: can.includes("notes.curate"),
      rosterFindings: can.includes("notes.curate") || can.includes("session.roster.view"),
      writable: NOTES_WRITABLE.includes(session.status),
      status: session.status,
    };
  }

  // ---- Finalisation ----

  /**
   * Destroys what links notes to their authors. Runs inside the finalising transaction
   * (sessions.server.ts); call truncateWal() once it has committed.
   */
  function destroyAuthorship(sessionId: string) {
    secrets.destroy(sessionId);
    db.update(notes)
      .set({ authorTag: null, clientId: null, updatedAt: null, createdAt: sql`(${notes.createdAt} / 60000) * 60000` })
      .where(eq(notes.sessionId, sessionId))
      .run();
    for (const key of [...rosterCache.keys()]) if (key === sessionId) rosterCache.delete(key);
  }

  /** wal_checkpoint(TRUNCATE), checked: true when the WAL is empty afterwards. */
  function truncateWal(): boolean {
    // A reader holding the WAL would make the checkpoint wait for the whole busy timeout, blocking the
    // process: try without waiting, and let the caller retry.
    const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
    sqlite.pragma("busy_timeout = 0");
    let res: { busy: number; log: number; checkpointed: number } | undefined;
    try {
      [res] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number; checkpointed: number }[];
    } finally {
      sqlite.pragma(`busy_timeout = ${timeout}`);
    }
    if (!res || res.busy !== 0) return false;
    if (res.log === -1) return true; // not in WAL mode (an in-memory database): nothing to truncate
    const file = deps.databaseFile;
    if (file && file !== ":memory:") {
      try {
        return fs.statSync(`${file}-wal`).size === 0;
      } catch {
        return true; // no WAL file at all
      }
    }
    return res.log === 0;
  }

  /** Retries the truncation while a reader holds the WAL (another process, a backup). */
  async function truncateWalWithRetry(sessionId: string, attempts = 40, delayMs = 250): Promise<WalResult> {
    for (let i = 1; i <= attempts; i++) {
      // Nothing is written after a successful truncation, so the WAL stays empty.
      try {
        if (truncateWal()) return { truncated: true, attempts: i };
      } catch {
        return { truncated: false, attempts: i }; // the database was closed (shutting down)
      }
      await new Promise((r) => setTimeout(r, delayMs));
    }
    audit.record({ action: "session.wal_truncate_failed", actorUserId: null, programmeId: sessionRow(sessionId)?.programmeId ?? null, sessionId, targetId: sessionId, details: { attempts } });
    return { truncated: false, attempts };
  }

  /** Whether any note of the session can still be linked to its author (tests and the status page). */
  function authorshipDestroyed(sessionId: string): boolean {
    const secret = secretOf(sessionId, false);
    const tagged = db.select({ id: notes.id }).from(notes).where(and(eq(notes.sessionId, sessionId), isNotNull(notes.authorTag))).limit(1).all();
    return !secret && tagged.length === 0;
  }

  // Forget cached rosters of sessions that finish.
  events.on("session.updated", ({ sessionId }) => {
    const s = sessionRow(sessionId);
    if (!s || !NOTES_WRITABLE.includes(s.status)) rosterCache.delete(sessionId);
  });

  /** The guard with the roster, on any staff text (the summary): generic findings and roster matches. */
  function guardForStaff(sessionId: string, text: string): Finding[] {
    return checkForStaff(text, rosterIndex(sessionId));
  }

  return {
    guardForStaff,
    submit,
    check,
    editOwn,
    withdraw,
    curate,
    curatorEdit,
    merge,
    feed,
    changesFor,
    ownChanges,
    authorAmong,
    composer,
    destroyAuthorship,
    truncateWal,
    truncateWalWithRetry,
    authorshipDestroyed,
  };
}
export type Notes = ReturnType<typeof createNotes>;
