/**
 * Personal invitation links: single use, expiring (7 days by default), revocable, consumed only by a
 * POST from the "Join" button (link previews and mail scanners follow GETs).
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { dialogueSessions, invitations, rosterEntries, SESSION_ROLES } from "../../db/schema";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import { parseOrThrow } from "./parse";
import type { Sessions } from "./sessions.server";
import { generateToken, hashToken, newId } from "./tokens.server";
import { displayNameSchema, uuidSchema } from "./validation";

const DAY = 24 * 60 * 60 * 1000;

const createInput = z.object({
  role: z.enum(SESSION_ROLES, { errorMap: () => ({ message: "choice_invalid" }) }),
  rosterEntryId: z.union([uuidSchema, z.literal("")]).optional().transform((v) => v || null),
  count: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(200, "out_of_range").default(1),
});
const acceptInput = z.object({ displayName: displayNameSchema });

export type InvitationState = "pending" | "used" | "expired" | "revoked";

export function createInvitations(deps: { db: Db; now: () => number; access: Access; audit: Audit; sessions: Sessions; ttlDays: number }) {
  const { db, now, access, audit, sessions } = deps;

  function stateOf(row: { usedAt: number | null; revokedAt: number | null; expiresAt: number }): InvitationState {
    if (row.revokedAt) return "revoked";
    if (row.usedAt) return "used";
    if (now() >= row.expiresAt) return "expired";
    return "pending";
  }

  /** Creates one or more links; the tokens are returned once and never stored. */
  function create(actor: Actor, sessionId: string, input: unknown): { id: string; token: string }[] {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.invitations.manage");
    const data = parseOrThrow(createInput, input);
    if (data.rosterEntryId) {
      const entry = db.select({ id: rosterEntries.id }).from(rosterEntries).where(and(eq(rosterEntries.id, data.rosterEntryId), eq(rosterEntries.sessionId, sessionId))).get();
      if (!entry) throw new DomainError("invalid", "invalid_input", { rosterEntryId: ["choice_invalid"] });
      if (data.count !== 1) throw new DomainError("invalid", "invalid_input", { count: ["out_of_range"] });
    }
    const t = now();
    const created = Array.from({ length: data.count }, () => ({ id: newId(), token: generateToken() }));
    db.transaction((tx) => {
      for (const c of created)
        tx.insert(invitations).values({ id: c.id, sessionId, tokenHash: hashToken(c.token), role: data.role, rosterEntryId: data.rosterEntryId, expiresAt: t + deps.ttlDays * DAY, createdAt: t }).run();
    });
    audit.record({ action: "invitation.created", actorUserId: a.userId, programmeId: session.programmeId, sessionId, details: { role: data.role, count: data.count } });
    return created;
  }

  function list(actor: Actor, sessionId: string) {
    access.requireSession(actor, sessionId, "session.invitations.manage");
    return db
      .select({ id: invitations.id, role: invitations.role, rosterEntryId: invitations.rosterEntryId, rosterName: rosterEntries.name, expiresAt: invitations.expiresAt, usedAt: invitations.usedAt, revokedAt: invitations.revokedAt, createdAt: invitations.createdAt })
      .from(invitations)
      .leftJoin(rosterEntries, eq(rosterEntries.id, invitations.rosterEntryId))
      .where(eq(invitations.sessionId, sessionId))
      .orderBy(desc(invitations.createdAt))
      .all()
      .map((row) => ({ ...row, state: stateOf(row) }));
  }

  function revoke(actor: Actor, sessionId: string, invitationId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.invitations.manage");
    const res = db
      .update(invitations)
      .set({ revokedAt: now() })
      .where(and(eq(invitations.id, invitationId), eq(invitations.sessionId, sessionId), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
      .run();
    if (res.changes !== 1) throw new DomainError("conflict", "invitation_not_pending");
    audit.record({ action: "invitation.revoked", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: invitationId });
  }

  function find(token: string) {
    if (!token || token.length > 64) throw new DomainError("not_found", "invitation_invalid");
    const row = db
      .select({ id: invitations.id, sessionId: invitations.sessionId, role: invitations.role, expiresAt: invitations.expiresAt, usedAt: invitations.usedAt, revokedAt: invitations.revokedAt, title: dialogueSessions.title, status: dialogueSessions.status, languages: dialogueSessions.languages, startsAt: dialogueSessions.startsAt, timeZone: dialogueSessions.timeZone, attributionMode: dialogueSessions.attributionMode })
      .from(invitations)
      .innerJoin(dialogueSessions, eq(dialogueSessions.id, invitations.sessionId))
      .where(eq(invitations.tokenHash, hashToken(token)))
      .get();
    if (!row) throw new DomainError("not_found", "invitation_invalid");
    return row;
  }

  /** What the invitation page shows (a GET: never consumes the link). */
  function inspect(token: string) {
    const row = find(token);
    const state = stateOf(row);
    return { state, session: { id: row.sessionId, title: row.title, startsAt: row.startsAt, timeZone: row.timeZone, attributionMode: row.attributionMode, status: row.status }, role: row.role };
  }

  /** Consumes the link (POST only) and admits the person into the session. */
  async function accept(actor: Actor, token: string, input: unknown) {
    const row = find(token);
    const data = parseOrThrow(acceptInput, input);
    const state = stateOf(row);
    if (state !== "pending") throw new DomainError("gone", `invitation_${state}`);
    sessions.joinableSession(row.sessionId);
    const res = db
      .update(invitations)
      .set({ usedAt: now() })
      .where(and(eq(invitations.id, row.id), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
      .run();
    if (res.changes !== 1) throw new DomainError("gone", "invitation_used");
    return sessions.admit(actor, row.sessionId, row.role, data.displayName, "invitation");
  }

  return { create, list, revoke, inspect, accept };
}
export type Invitations = ReturnType<typeof createInvitations>;
