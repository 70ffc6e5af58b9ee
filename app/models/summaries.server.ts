/**
 * Summaries (SPEC section 5): the draft generated from the session, edited by staff with a version
 * check, the attribution guard over the whole text (publishing blocked while findings are open; an
 * organiser may override one finding with a written reason), review by the session's participants
 * (comments and objections, non-attributed under a secret destroyed at publication), and immutable
 * numbered publications with their visibility.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import {
  agendaItems,
  COMMENT_KINDS,
  dialogueSessions,
  notices,
  programmes,
  publications,
  sessionMembers,
  SUMMARY_LANGUAGES,
  SUMMARY_VISIBILITIES,
  summaries,
  summaryComments,
  summaryOverrides,
  summarySecrets,
  users,
} from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Actor, SignedInActor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import type { Finding } from "./guard";
import type { Notes } from "./notes.server";
import { floorToMinute } from "./notes";
import { parseOrThrow } from "./parse";
import { publicationReadable } from "./permissions";
import { draftSummary } from "./summary-draft";
import { publicTextsOf, withinPublicText } from "./summary-guard";
import { gatherSummarySource } from "./summary-source.server";
import { authorTag, tagMatches } from "./secrets.server";
import { newId } from "./tokens.server";

type SummaryRow = typeof summaries.$inferSelect;
type PublicationRow = typeof publications.$inferSelect;
export type SummaryVisibility = (typeof SUMMARY_VISIBILITIES)[number];
export type SummaryLanguage = (typeof SUMMARY_LANGUAGES)[number];

/** A guard finding on the summary, as staff see it: where it is, what kind, its key for an override. */
export type SummaryFinding = Finding & { key: string; overridden: boolean; reason: string | null };

export type SummaryComment = { id: string; kind: (typeof COMMENT_KINDS)[number]; text: string; resolved: boolean; createdAt: number; authorName: string | null; mine: boolean };

export type PublicationView = Pick<PublicationRow, "id" | "sessionId" | "number" | "language" | "visibility" | "title" | "markdown" | "changeNote" | "publishedAt" | "importedFrom">;
export type PublicationListItem = Pick<PublicationRow, "sessionId" | "number" | "title" | "language" | "visibility" | "publishedAt"> & { programmeName: string };

const MAX_MARKDOWN = 200_000;
const MAX_COMMENT = 4000;

const markdownSchema = z.string({ required_error: "required", invalid_type_error: "required" }).max(MAX_MARKDOWN, "too_long");
const versionSchema = z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "number_invalid");
const saveInput = z.object({ markdown: markdownSchema, version: versionSchema });
const generateInput = z.object({
  language: z.enum(SUMMARY_LANGUAGES, { errorMap: () => ({ message: "choice_invalid" }) }),
  listPanelists: z.boolean().optional().default(false),
  /** Regenerating replaces the text: the version being replaced must be named. */
  version: versionSchema.optional(),
});
const settingsInput = z.object({
  visibility: z.enum(SUMMARY_VISIBILITIES, { errorMap: () => ({ message: "choice_invalid" }) }),
});
const overrideInput = z.object({
  key: z.string({ required_error: "required" }).regex(/^[0-9a-f]{64}$/, "finding_not_found"),
  reason: z.string({ required_error: "required" }).trim().min(10, "reason_too_short").max(1000, "too_long"),
});
const circulateInput = z.object({ deadline: z.number({ invalid_type_error: "date_invalid" }).int("date_invalid") });
const commentInput = z.object({
  kind: z.enum(COMMENT_KINDS, { errorMap: () => ({ message: "choice_invalid" }) }),
  text: z.string({ required_error: "required" }).trim().min(1, "required").max(MAX_COMMENT, "too_long"),
});
const publishInput = z.object({ changeNote: z.string().trim().max(1000, "too_long").optional().default("") });

/** Sessions whose summary may be worked on: once the room has ended. */
const DRAFTABLE = ["ended", "finalised", "published"] as const;
/** Publishing needs authorship destroyed first (SPEC lifecycle: finalised -> summary published). */
const PUBLISHABLE = ["finalised", "published"] as const;

export function createSummaries(deps: { db: Db; now: () => number; access: Access; audit: Audit; events: DomainEventBus; notes: Notes }) {
  const { db, now, access, audit, notes } = deps;

  const rowOf = (sessionId: string): SummaryRow | null => db.select().from(summaries).where(eq(summaries.sessionId, sessionId)).get() ?? null;

  function requireRow(sessionId: string): SummaryRow {
    const row = rowOf(sessionId);
    if (!row) throw new DomainError("not_found", "summary_not_found");
    return row;
  }

  function requireDraftable(session: SessionRow) {
    if (!(DRAFTABLE as readonly string[]).includes(session.status)) throw new DomainError("conflict", "summary_session_not_ended");
  }

  // ---- The review secret ----

  function secretOf(summaryId: string, create: boolean): Buffer | null {
    const row = db.select({ secret: summarySecrets.secret }).from(summarySecrets).where(eq(summarySecrets.summaryId, summaryId)).get();
    if (row) return Buffer.from(row.secret, "hex");
    if (!create) return null;
    db.insert(summarySecrets).values({ summaryId, secret: randomBytes(32).toString("hex") }).onConflictDoNothing().run();
    return secretOf(summaryId, false);
  }
  function isAuthor(secret: Buffer | null, userId: string, row: { id: string; authorTag: string | null; authorUserId: string | null }): boolean {
    if (row.authorUserId) return row.authorUserId === userId;
    return tagMatches(secret, userId, row.id, row.authorTag);
  }

  // ---- The guard on the whole text ----

  /**
   * A finding's key: a hash of the summary, the kind, the matched words and the paragraph they are in
   * (folded), so that an override holds while that paragraph is unchanged and never covers the same
   * words elsewhere. The text itself is never stored.
   */
  function findingKey(summaryId: string, markdown: string, f: Finding): string {
    const start = markdown.lastIndexOf("\n\n", f.start) + 1;
    const endAt = markdown.indexOf("\n\n", f.end);
    const paragraph = markdown.slice(start, endAt === -1 ? markdown.length : endAt).normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
    return createHash("sha256").update(`${summaryId}\u0000${f.kind}\u0000${f.text.normalize("NFC").toLowerCase()}\u0000${paragraph}`).digest("hex");
  }

  function findingsOf(session: SessionRow, row: SummaryRow): SummaryFinding[] {
    if (session.attributionMode === "on_the_record") return [];
    const overrides = new Map(db.select({ key: summaryOverrides.findingKey, reason: summaryOverrides.reason }).from(summaryOverrides).where(eq(summaryOverrides.summaryId, row.id)).all().map((o) => [o.key, o.reason]));
    const seen = new Set<string>();
    const out: SummaryFinding[] = [];
    const items = db.select({ title: agendaItems.title }).from(agendaItems).where(eq(agendaItems.sessionId, session.id)).all();
    const publicTexts = publicTextsOf(session, items.map((i) => i.title));
    for (const f of notes.guardForStaff(session.id, row.markdown)) {
      // The session's own title, co-hosts and item titles are public context, not a speaker.
      if (withinPublicText(row.markdown, f, publicTexts)) continue;
      const key = findingKey(row.id, row.markdown, f);
      // The same words twice in one paragraph are one finding (one override covers both).
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...f, key, overridden: overrides.has(key), reason: overrides.get(key) ?? null });
    }
    return out;
  }

  // ---- Views ----

  function commentsFor(row: SummaryRow, userId: string, staff: boolean): SummaryComment[] {
    const rows = db.select().from(summaryComments).where(eq(summaryComments.summaryId, row.id)).all();
    const secret = secretOf(row.id, false);
    const names = new Map<string, string | null>();
    const named = [...new Set(rows.map((r) => r.authorUserId).filter((v): v is string => !!v))];
    if (named.length) for (const u of db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, named)).all()) names.set(u.id, u.name);
    return rows
      .map((r) => ({ r, mine: isAuthor(secret, userId, r) }))
      .filter(({ mine }) => staff || mine)
      .map(({ r, mine }) => ({ id: r.id, kind: r.kind, text: r.text, resolved: r.resolved, createdAt: r.createdAt, authorName: r.authorUserId ? (names.get(r.authorUserId) ?? null) : null, mine }))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  function publicationsOf(sessionId: string): PublicationView[] {
    return db
      .select({ id: publications.id, sessionId: publications.sessionId, number: publications.number, language: publications.language, visibility: publications.visibility, title: publications.title, markdown: publications.markdown, changeNote: publications.changeNote, publishedAt: publications.publishedAt, importedFrom: publications.importedFrom })
      .from(publications)
      .where(eq(publications.sessionId, sessionId))
      .orderBy(asc(publications.number))
      .all();
  }

  /** The staff workspace: the draft, its findings, the comments, the publications. */
  function workspace(actor: Actor, sessionId: string) {
    const { session, standing, can } = access.requireSession(actor, sessionId, "summary.draft");
    const a = actor as SignedInActor;
    const row = rowOf(sessionId);
    const findings = row ? findingsOf(session, row) : [];
    return {
      session,
      standing,
      canPublish: can.includes("summary.publish"),
      summary: row,
      findings,
      openFindings: findings.filter((f) => !f.overridden).length,
      comments: row ? commentsFor(row, a.userId, true) : [],
      publications: publicationsOf(sessionId),
      draftable: (DRAFTABLE as readonly string[]).includes(session.status),
      publishable: (PUBLISHABLE as readonly string[]).includes(session.status),
    };
  }

  /** What a session member sees of a circulated draft: the text, the deadline, their own comments. */
  function review(actor: Actor, sessionId: string) {
    const { actor: a, session, can } = access.requireSession(actor, sessionId, "summary.review");
    const row = rowOf(sessionId);
    if (!row || row.status !== "circulated") return { session, summary: null, comments: [], canComment: false, open: false };
    const open = row.reviewDeadline === null || now() <= row.reviewDeadline;
    return {
      session,
      summary: { markdown: row.markdown, language: row.language, reviewDeadline: row.reviewDeadline, version: row.version },
      comments: commentsFor(row, a.userId, false),
      canComment: can.includes("summary.comment") && open,
      open,
    };
  }

  // ---- Drafting ----

  /** Generates the draft from the session's data (or regenerates it, naming the version it replaces). */
  function generate(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.draft");
    requireDraftable(session);
    const data = parseOrThrow(generateInput, input);
    const markdown = draftSummary(gatherSummarySource(db, sessionId, { listPanelists: data.listPanelists }), data.language);
    const t = now();
    const existing = rowOf(sessionId);
    if (!existing) {
      const id = newId();
      db.insert(summaries).values({ id, sessionId, language: data.language, listPanelists: data.listPanelists, markdown, version: 1, status: "draft", updatedAt: t, createdAt: t }).run();
      audit.record({ action: "summary.generated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id, details: { language: data.language, listPanelists: data.listPanelists } });
      return { version: 1 };
    }
    if (data.version !== existing.version) throw conflict(existing);
    const version = existing.version + 1;
    db.update(summaries)
      .set({ language: data.language, listPanelists: data.listPanelists, markdown, version, status: existing.status === "approved" ? "draft" : existing.status, updatedAt: t })
      .where(and(eq(summaries.id, existing.id), eq(summaries.version, existing.version)))
      .run();
    audit.record({ action: "summary.generated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: existing.id, details: { language: data.language, listPanelists: data.listPanelists } });
    return { version };
  }

  /** The other editor's text and version, for the conflict message (both texts are kept). */
  function conflict(current: SummaryRow): DomainError {
    const e = new DomainError("conflict", "summary_conflict") as DomainError & { current?: { markdown: string; version: number } };
    e.current = { markdown: current.markdown, version: current.version };
    return e;
  }

  /** Saves the text, if the version named is still the current one; otherwise a conflict with both texts. */
  function save(actor: Actor, sessionId: string, input: unknown): { version: number } {
    const { session } = access.requireSession(actor, sessionId, "summary.draft");
    requireDraftable(session);
    const data = parseOrThrow(saveInput, input);
    const row = requireRow(sessionId);
    if (data.version !== row.version) throw conflict(row);
    if (data.markdown === row.markdown) return { version: row.version };
    const version = row.version + 1;
    const res = db
      .update(summaries)
      .set({ markdown: data.markdown, version, status: row.status === "approved" ? "draft" : row.status, updatedAt: now() })
      .where(and(eq(summaries.id, row.id), eq(summaries.version, row.version)))
      .run();
    if (res.changes !== 1) throw conflict(requireRow(sessionId));
    return { version };
  }

  function settings(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.publish");
    const row = requireRow(sessionId);
    const { visibility } = parseOrThrow(settingsInput, input);
    db.update(summaries).set({ visibility }).where(eq(summaries.id, row.id)).run();
    audit.record({ action: "summary.visibility_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { visibility } });
  }

  /** Publishes despite one finding, with a written reason; the audit log gets the kind, never the words. */
  function override(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.publish");
    const row = requireRow(sessionId);
    const { key, reason } = parseOrThrow(overrideInput, input);
    const finding = findingsOf(session, row).find((f) => f.key === key);
    if (!finding) throw new DomainError("not_found", "finding_not_found");
    db.insert(summaryOverrides).values({ id: newId(), summaryId: row.id, findingKey: key, reason, createdAt: now() }).onConflictDoNothing().run();
    audit.record({ action: "summary.finding_overridden", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { kind: finding.kind } });
  }

  // ---- Review ----

  /** An in-app notice for every member of the session who holds an account, but the one acting. */
  function notify(sessionId: string, actingUserId: string, kind: (typeof notices.$inferInsert)["kind"], t: number) {
    const members = db
      .select({ userId: sessionMembers.userId })
      .from(sessionMembers)
      .innerJoin(users, eq(users.id, sessionMembers.userId))
      .where(and(eq(sessionMembers.sessionId, sessionId), eq(users.isGuest, false), ne(sessionMembers.userId, actingUserId)))
      .all();
    for (const m of members) db.insert(notices).values({ id: newId(), userId: m.userId, kind, sessionId, createdAt: t }).run();
  }

  function circulate(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.publish");
    requireDraftable(session);
    const row = requireRow(sessionId);
    const { deadline } = parseOrThrow(circulateInput, input);
    const t = now();
    if (deadline <= t) throw new DomainError("invalid", "deadline_past", { deadline: ["deadline_past"] });
    if (row.status === "approved") throw new DomainError("conflict", "summary_already_approved");
    db.transaction((tx) => {
      tx.update(summaries).set({ status: "circulated", reviewDeadline: deadline, circulatedAt: t }).where(eq(summaries.id, row.id)).run();
      secretOf(row.id, true);
      // Account holders among the session's members get an in-app notice.
      notify(sessionId, a.userId, "summary_circulated", t);
    });
    audit.record({ action: "summary.circulated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { deadline } });
  }

  /** A comment or objection on the circulated draft; non-attributed unless the session is on the record. */
  function comment(actor: Actor, sessionId: string, input: unknown): { id: string } {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.comment");
    const row = requireRow(sessionId);
    if (row.status !== "circulated") throw new DomainError("conflict", "review_not_open");
    if (row.reviewDeadline !== null && now() > row.reviewDeadline) throw new DomainError("conflict", "review_closed");
    const data = parseOrThrow(commentInput, input);
    const id = newId();
    const onRecord = session.attributionMode === "on_the_record";
    const secret = onRecord ? null : secretOf(row.id, true);
    db.insert(summaryComments)
      .values({ id, summaryId: row.id, kind: data.kind, text: data.text, authorTag: secret ? authorTag(secret, a.userId, id) : null, authorUserId: onRecord ? a.userId : null, createdAt: floorToMinute(now()) })
      .run();
    return { id };
  }

  /** The author withdraws their own comment while the review is open. */
  function withdrawComment(actor: Actor, sessionId: string, commentId: unknown) {
    const { actor: a } = access.requireSession(actor, sessionId, "summary.comment");
    const row = requireRow(sessionId);
    if (row.status !== "circulated") throw new DomainError("conflict", "review_not_open");
    const id = parseOrThrow(z.string().uuid("comment_not_found"), commentId);
    const c = db.select().from(summaryComments).where(and(eq(summaryComments.id, id), eq(summaryComments.summaryId, row.id))).get();
    if (!c || !isAuthor(secretOf(row.id, false), a.userId, c)) throw new DomainError("not_found", "comment_not_found");
    db.delete(summaryComments).where(eq(summaryComments.id, id)).run();
  }

  function resolveComment(actor: Actor, sessionId: string, commentId: unknown, resolved: boolean) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.draft");
    const row = requireRow(sessionId);
    const id = parseOrThrow(z.string().uuid("comment_not_found"), commentId);
    const res = db.update(summaryComments).set({ resolved }).where(and(eq(summaryComments.id, id), eq(summaryComments.summaryId, row.id))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "comment_not_found");
    audit.record({ action: "summary.comment_resolved", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id, details: { resolved } });
  }

  function approve(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.publish");
    const row = requireRow(sessionId);
    const { version } = parseOrThrow(z.object({ version: versionSchema }), input);
    if (version !== row.version) throw conflict(row);
    db.update(summaries).set({ status: "approved" }).where(eq(summaries.id, row.id)).run();
    audit.record({ action: "summary.approved", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { version } });
  }

  // ---- Publishing ----

  /**
   * Publishes the approved text as the next numbered version. Needs the session finalised, no open
   * finding, and (after the first) a change note. The review secret is destroyed and comment tags
   * nulled in the same transaction; the WAL is then truncated.
   */
  async function publish(actor: Actor, sessionId: string, input: unknown): Promise<{ number: number }> {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.publish");
    if (!(PUBLISHABLE as readonly string[]).includes(session.status)) throw new DomainError("conflict", "summary_not_finalised");
    const row = requireRow(sessionId);
    if (row.status !== "approved") throw new DomainError("conflict", "summary_not_approved");
    const { changeNote } = parseOrThrow(publishInput, input);
    if (findingsOf(session, row).some((f) => !f.overridden)) throw new DomainError("conflict", "summary_findings_open");
    const previous = db.select({ number: publications.number }).from(publications).where(eq(publications.sessionId, sessionId)).orderBy(desc(publications.number)).get();
    const number = (previous?.number ?? 0) + 1;
    if (number > 1 && !changeNote) throw new DomainError("invalid", "change_note_required", { changeNote: ["change_note_required"] });
    if (!row.markdown.trim()) throw new DomainError("invalid", "summary_empty");
    const t = now();
    db.transaction((tx) => {
      tx.insert(publications)
        .values({ id: newId(), sessionId, number, language: row.language, visibility: row.visibility, title: session.title, markdown: row.markdown, changeNote, importedFrom: null, publishedAt: t })
        .run();
      tx.update(summaries).set({ status: "draft", reviewDeadline: null }).where(eq(summaries.id, row.id)).run();
      tx.update(summaryComments).set({ authorTag: null }).where(eq(summaryComments.summaryId, row.id)).run();
      tx.delete(summarySecrets).where(eq(summarySecrets.summaryId, row.id)).run();
      if (session.status !== "published") tx.update(dialogueSessions).set({ status: "published" }).where(eq(dialogueSessions.id, sessionId)).run();
      notify(sessionId, a.userId, "summary_published", t);
    });
    audit.record({ action: "summary.published", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: row.id, details: { number, visibility: row.visibility } });
    deps.events.emit("session.updated", { sessionId });
    if (!notes.truncateWal()) void notes.truncateWalWithRetry(sessionId);
    return { number };
  }

  // ---- Reading publications ----

  /** Whether this actor may read publications of this visibility for this session (permissions.ts). */
  function mayRead(actor: Actor, session: SessionRow, visibility: SummaryVisibility): boolean {
    if (visibility === "public") return true;
    if (!actor) return false;
    return publicationReadable(visibility, { sessionRole: access.sessionRole(actor.userId, session.id), programmeRole: access.programmeRole(actor.userId, session.programmeId) });
  }

  /** One published version (the latest by default) with the history readers may see. */
  function published(actor: Actor, sessionId: string, number?: number) {
    // A signed-out reader is asked to sign in for anything that is not a public version, whether or not
    // it exists: "not found" for a missing one would tell them that a restricted one exists.
    const notFound = () => (actor ? new DomainError("not_found", "publication_not_found") : new DomainError("unauthenticated", "sign_in_required"));
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    if (!session || session.status === "purged") throw notFound();
    const all = publicationsOf(sessionId);
    if (!all.length) throw notFound();
    const chosen = number === undefined ? all[all.length - 1] : all.find((p) => p.number === number);
    if (!chosen) throw notFound();
    // Signed-out readers of a restricted page are asked to sign in; others are told it is not found.
    if (!mayRead(actor, session, chosen.visibility)) throw new DomainError(actor ? "not_found" : "unauthenticated", actor ? "publication_not_found" : "sign_in_required");
    const programme = db.select({ name: programmes.name, id: programmes.id }).from(programmes).where(eq(programmes.id, session.programmeId)).get()!;
    return {
      publication: chosen,
      latest: all[all.length - 1].number,
      history: all.filter((p) => mayRead(actor, session, p.visibility)).map((p) => ({ number: p.number, publishedAt: p.publishedAt, changeNote: p.changeNote })),
      session: { id: session.id, title: session.title, timeZone: session.timeZone, startsAt: session.startsAt, programmeId: session.programmeId },
      programme,
    };
  }

  /** Latest published versions this actor may read, newest first (the home page; a programme's page). */
  function list(actor: Actor, options: { programmeId?: string; limit?: number } = {}): PublicationListItem[] {
    const rows = db
      .select({ p: publications, s: dialogueSessions, programmeName: programmes.name })
      .from(publications)
      .innerJoin(dialogueSessions, eq(dialogueSessions.id, publications.sessionId))
      .innerJoin(programmes, eq(programmes.id, dialogueSessions.programmeId))
      .where(and(options.programmeId ? eq(dialogueSessions.programmeId, options.programmeId) : undefined, ne(dialogueSessions.status, "purged")))
      .orderBy(desc(publications.publishedAt), desc(publications.number))
      .all();
    const seen = new Set<string>();
    const out: PublicationListItem[] = [];
    for (const { p, s, programmeName } of rows) {
      if (seen.has(s.id)) continue;
      if (!mayRead(actor, s, p.visibility)) continue;
      seen.add(s.id);
      out.push({ sessionId: s.id, number: p.number, title: p.title, language: p.language, visibility: p.visibility, publishedAt: p.publishedAt, programmeName });
      if (out.length >= (options.limit ?? 50)) break;
    }
    return out;
  }

  /** What the session page says about the summary: circulated for review, and the latest version published. */
  function sessionStatus(sessionId: string): { circulated: boolean; published: number | null } {
    const row = rowOf(sessionId);
    const latest = db.select({ number: publications.number }).from(publications).where(eq(publications.sessionId, sessionId)).orderBy(desc(publications.number)).get();
    return { circulated: row?.status === "circulated", published: latest?.number ?? null };
  }

  // ---- Notices ----

  function myNotices(actor: Actor) {
    if (!actor || actor.isGuest) return [];
    return db
      .select({ id: notices.id, kind: notices.kind, sessionId: notices.sessionId, title: dialogueSessions.title, createdAt: notices.createdAt })
      .from(notices)
      .innerJoin(dialogueSessions, eq(dialogueSessions.id, notices.sessionId))
      .where(and(eq(notices.userId, actor.userId), isNull(notices.readAt)))
      .orderBy(desc(notices.createdAt))
      .all();
  }

  function dismissNotice(actor: Actor, noticeId: unknown) {
    const a = access.requireActor(actor);
    const id = parseOrThrow(z.string().uuid("notice_not_found"), noticeId);
    const res = db.update(notices).set({ readAt: now() }).where(and(eq(notices.id, id), eq(notices.userId, a.userId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "notice_not_found");
  }

  return {
    workspace,
    review,
    generate,
    save,
    settings,
    override,
    circulate,
    comment,
    withdrawComment,
    resolveComment,
    approve,
    publish,
    published,
    list,
    sessionStatus,
    myNotices,
    dismissNotice,
  };
}
export type Summaries = ReturnType<typeof createSummaries>;
