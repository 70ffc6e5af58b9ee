/**
 * Retention (SPEC sections 2 and 7): once a session's personal data has been kept for its programme's
 * retention period, it is deleted for good. Real deletion, not a flag: rows are DELETEd with
 * `secure_delete` on (db/database.server.ts), then the WAL is truncated with the check finalisation
 * uses (notes.truncateWal). What stays is what was never personal: the session's details, its agenda
 * (without panelist names), notes and recommendations without any authorship, positions' aggregates,
 * summaries and their publications, the audit log (ids and counts, never names).
 *
 * When the clock starts (docs/decisions/012-retention-and-purge.md):
 * - a session that was finalised: at its finalisation (`finalised_at`: the end of the grace period
 *   after the session ended, or the organiser's confirmation), whatever happened later (publication,
 *   archiving, corrections);
 * - a session that never ran (draft or scheduled): at its scheduled end, or start when it has no end;
 *   one with no date is never purged (it is still being prepared);
 * - a live or ended session: not yet (it finalises by itself at the end of its grace period).
 *
 * What is deleted for a due session: roster entries (names, short forms, organisations, titles,
 * countries), invitations, notices to people about the session, the memberships of guests, panelists,
 * participants and observers (the staff roles of account holders stay: the audit log names them
 * anyway, and they may still correct the publication), the link of on-the-record notes and comments to
 * their authors, panelist names on agenda items, the reasons written for summary overrides, any
 * authorship secret left, the join code; then every guest identity (display name, sign-in sessions)
 * that no longer belongs to any session. Account holders' accounts are theirs and are not deleted.
 *
 * Safe with several processes on one database: each session is purged in one IMMEDIATE transaction
 * that deletes whatever is still there and writes the audit entry only when it deleted something, so
 * two processes purging at once delete each row once, write one entry per purge, and the loser of the
 * race finds nothing left to do.
 */
import { and, eq, inArray, isNotNull, lte, ne, notExists, or, sql } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import {
  agendaItems,
  dialogueSessions,
  invitations,
  notes,
  notices,
  programmes,
  rosterEntries,
  sessionMembers,
  sessionSecrets,
  summaries,
  summaryComments,
  summaryOverrides,
  summarySecrets,
  users,
} from "../../db/schema";
import type { Audit } from "./audit.server";
import type { DomainEventBus } from "./events";
import type { Notes } from "./notes.server";
import type { SessionRole } from "./permissions";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Session roles whose membership is personal data deleted at purge (the staff roles are kept for account holders). */
export const PURGED_ROLES: readonly SessionRole[] = ["panelist", "participant", "observer"];
/**
 * A guest identity that belongs to no session (removed, or all its sessions purged) is deleted once it
 * is older than this: joining creates the guest and then its membership in two statements, and a purge
 * in another process must not delete a guest between the two.
 */
export const ORPHAN_GUEST_MIN_AGE_MS = 60 * 60 * 1000;

type SessionTimes = { status: string; finalisedAt: number | null; startsAt: number | null; endsAt: number | null };

/** When a session's retention period starts, or null when it has not started (see the header). */
export function retentionStart(s: SessionTimes): number | null {
  if (["finalised", "published", "archived"].includes(s.status)) return s.finalisedAt;
  if (s.status === "draft" || s.status === "scheduled") return s.endsAt ?? s.startsAt;
  return null;
}

/** When a session's personal data falls due for deletion, or null when not yet known. */
export function purgeDueAt(s: SessionTimes, retentionDays: number): number | null {
  const start = retentionStart(s);
  return start === null ? null : start + retentionDays * DAY_MS;
}

/** What one session's purge deleted (counts only: the audit entry's details). */
export type PurgeCounts = {
  rosterEntries: number;
  invitations: number;
  members: number;
  guests: number;
  notices: number;
  authorLinks: number;
  panelistLists: number;
  overrides: number;
  secrets: number;
  joinCode: number;
};
export type PurgeReport = {
  /** Sessions whose personal data this run deleted (those with nothing left to delete are not counted). */
  sessions: { sessionId: string; programmeId: string; counts: PurgeCounts }[];
  /** Guest identities that belonged to no session any more (deleted outside any session's purge). */
  orphanGuests: number;
  /** Whether the WAL was truncated and checked empty; null when nothing was deleted. */
  walTruncated: boolean | null;
};

const total = (c: PurgeCounts) => Object.values(c).reduce((a, b) => a + b, 0);

export function createRetention(deps: {
  db: Db;
  now: () => number;
  audit: Audit;
  events: DomainEventBus;
  notes: Pick<Notes, "truncateWal" | "truncateWalWithRetry">;
}) {
  const { db, now, audit, events } = deps;

  /** Sessions whose retention period has run out at `at` (ids, with their programme). */
  function dueSessions(at: number) {
    return db
      .select({
        id: dialogueSessions.id,
        programmeId: dialogueSessions.programmeId,
        status: dialogueSessions.status,
        finalisedAt: dialogueSessions.finalisedAt,
        startsAt: dialogueSessions.startsAt,
        endsAt: dialogueSessions.endsAt,
        retentionDays: programmes.retentionDays,
      })
      .from(dialogueSessions)
      .innerJoin(programmes, eq(programmes.id, dialogueSessions.programmeId))
      .where(inArray(dialogueSessions.status, ["draft", "scheduled", "finalised", "published", "archived"]))
      .all()
      .filter((s) => {
        const due = purgeDueAt(s, s.retentionDays);
        return due !== null && due <= at;
      });
  }

  /** Deletes guest identities among `candidates` (or all, when null) that belong to no session. */
  function deleteLonelyGuests(candidates: string[] | null, createdBefore: number | null): string[] {
    if (candidates && candidates.length === 0) return [];
    const lonely = db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.isGuest, true),
          candidates ? inArray(users.id, candidates) : undefined,
          createdBefore !== null ? lte(users.createdAt, createdBefore) : undefined,
          notExists(db.select({ one: sql`1` }).from(sessionMembers).where(eq(sessionMembers.userId, users.id))),
        ),
      )
      .all()
      .map((u) => u.id);
    // Cascades to their sign-in sessions, account tokens and notices; on-the-record notes and comments
    // they wrote lose their author (ON DELETE SET NULL).
    if (lonely.length) db.delete(users).where(inArray(users.id, lonely)).run();
    return lonely;
  }

  /** Deletes one session's personal data; returns what was deleted (all zeros when nothing was left). */
  function purgeSession(sessionId: string): { counts: PurgeCounts; removedMembers: string[] } {
    const removed = db
      .select({ userId: sessionMembers.userId, isGuest: users.isGuest, role: sessionMembers.role })
      .from(sessionMembers)
      .innerJoin(users, eq(users.id, sessionMembers.userId))
      .where(and(eq(sessionMembers.sessionId, sessionId), or(eq(users.isGuest, true), inArray(sessionMembers.role, [...PURGED_ROLES]))))
      .all();
    const removedIds = removed.map((m) => m.userId);
    const summary = db.select({ id: summaries.id }).from(summaries).where(eq(summaries.sessionId, sessionId)).get();
    const counts: PurgeCounts = {
      rosterEntries: db.delete(rosterEntries).where(eq(rosterEntries.sessionId, sessionId)).run().changes,
      invitations: db.delete(invitations).where(eq(invitations.sessionId, sessionId)).run().changes,
      members: removedIds.length ? db.delete(sessionMembers).where(and(eq(sessionMembers.sessionId, sessionId), inArray(sessionMembers.userId, removedIds))).run().changes : 0,
      guests: 0,
      notices: db.delete(notices).where(eq(notices.sessionId, sessionId)).run().changes,
      authorLinks:
        db.update(notes).set({ authorUserId: null }).where(and(eq(notes.sessionId, sessionId), isNotNull(notes.authorUserId))).run().changes +
        (summary ? db.update(summaryComments).set({ authorUserId: null, authorTag: null }).where(and(eq(summaryComments.summaryId, summary.id), or(isNotNull(summaryComments.authorUserId), isNotNull(summaryComments.authorTag)))).run().changes : 0),
      panelistLists: db.update(agendaItems).set({ panelists: "" }).where(and(eq(agendaItems.sessionId, sessionId), ne(agendaItems.panelists, ""))).run().changes,
      overrides: summary ? db.delete(summaryOverrides).where(eq(summaryOverrides.summaryId, summary.id)).run().changes : 0,
      secrets:
        db.delete(sessionSecrets).where(eq(sessionSecrets.sessionId, sessionId)).run().changes +
        (summary ? db.delete(summarySecrets).where(eq(summarySecrets.summaryId, summary.id)).run().changes : 0),
      joinCode: db.update(dialogueSessions).set({ joinCode: null }).where(and(eq(dialogueSessions.id, sessionId), isNotNull(dialogueSessions.joinCode))).run().changes,
    };
    counts.guests = deleteLonelyGuests(
      removed.filter((m) => m.isGuest).map((m) => m.userId),
      null,
    ).length;
    return { counts, removedMembers: removedIds };
  }

  /**
   * Purges every session whose retention period has run out, then guest identities left in no
   * session. Each session in its own transaction, audited with counts only. Returns what it did.
   */
  function purgeDue(): PurgeReport {
    const t = now();
    const report: PurgeReport = { sessions: [], orphanGuests: 0, walTruncated: null };
    for (const s of dueSessions(t)) {
      const done = db.transaction(() => {
        const { counts, removedMembers } = purgeSession(s.id);
        if (total(counts) === 0) return null;
        audit.record({ action: "retention.purged", actorUserId: null, programmeId: s.programmeId, sessionId: s.id, targetId: s.id, details: { ...counts, retentionDays: s.retentionDays } });
        return { counts, removedMembers };
      });
      if (!done) continue;
      report.sessions.push({ sessionId: s.id, programmeId: s.programmeId, counts: done.counts });
      // Sockets of people who lost their membership close, as on a removal; cached rosters are dropped.
      for (const userId of done.removedMembers) events.emit("session.memberChanged", { sessionId: s.id, userId, role: null });
      events.emit("session.updated", { sessionId: s.id });
    }
    report.orphanGuests = db.transaction(() => {
      const n = deleteLonelyGuests(null, t - ORPHAN_GUEST_MIN_AGE_MS).length;
      if (n) audit.record({ action: "retention.guests_purged", actorUserId: null, details: { guests: n } });
      return n;
    });
    if (report.sessions.length || report.orphanGuests) {
      // The deleted rows' old pages live on in the WAL until it is checkpointed and truncated.
      report.walTruncated = deps.notes.truncateWal();
      if (!report.walTruncated) {
        const first = report.sessions[0]?.sessionId;
        if (first) void deps.notes.truncateWalWithRetry(first);
      }
    }
    return report;
  }

  return { purgeDue, dueSessions };
}
export type Retention = ReturnType<typeof createRetention>;
