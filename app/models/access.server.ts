/**
 * Resolves a person's standing towards programmes and sessions and enforces the role table.
 * Every domain service goes through here; nothing else decides who may do what.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { dialogueSessions, programmeMembers, programmes, sessionMembers } from "../../db/schema";
import type { Actor, SignedInActor } from "./actor";
import { DomainError } from "./errors";
import { prepared } from "./prepared.server";
import {
  programmeRoleCan,
  sessionActionsFor,
  sessionRoleCan,
  standingFrom,
  type ProgrammeAction,
  type ProgrammeRole,
  type SessionAction,
  type SessionRole,
  type SessionStanding,
} from "./permissions";

export type SessionRow = typeof dialogueSessions.$inferSelect;

export function createAccess(db: Db) {
  // Every socket command and page checks access: these run prepared (prepared.server.ts).
  const programmeRoleQuery = prepared(() =>
    db
      .select({ role: programmeMembers.role })
      .from(programmeMembers)
      .where(and(eq(programmeMembers.userId, sql.placeholder("userId")), eq(programmeMembers.programmeId, sql.placeholder("programmeId"))))
      .prepare(),
  );
  const sessionRoleQuery = prepared(() =>
    db
      .select({ role: sessionMembers.role })
      .from(sessionMembers)
      .where(and(eq(sessionMembers.userId, sql.placeholder("userId")), eq(sessionMembers.sessionId, sql.placeholder("sessionId"))))
      .prepare(),
  );
  const sessionQuery = prepared(() => db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sql.placeholder("id"))).prepare());

  function requireActor(actor: Actor): SignedInActor {
    if (!actor) throw new DomainError("unauthenticated", "sign_in_required");
    return actor;
  }

  function programmeRole(userId: string, programmeId: string): ProgrammeRole | null {
    return programmeRoleQuery().get({ userId, programmeId })?.role ?? null;
  }

  function sessionRole(userId: string, sessionId: string): SessionRole | null {
    return sessionRoleQuery().get({ userId, sessionId })?.role ?? null;
  }

  /** Programme access; a programme the actor may not see is reported as not found. */
  function requireProgramme(actor: Actor, programmeId: string, action: ProgrammeAction) {
    const a = requireActor(actor);
    const programme = db.select().from(programmes).where(eq(programmes.id, programmeId)).get();
    if (!programme) throw new DomainError("not_found", "programme_not_found");
    const role = programmeRole(a.userId, programmeId);
    if (!role) throw new DomainError("not_found", "programme_not_found");
    if (!programmeRoleCan(role, action)) throw new DomainError("forbidden", "forbidden");
    return { actor: a, programme, role };
  }

  function standingOf(actor: Pick<SignedInActor, "userId">, session: SessionRow): SessionStanding | null {
    return standingFrom(sessionRole(actor.userId, session.id), programmeRole(actor.userId, session.programmeId));
  }

  /** Session access; a session the actor has no standing in is reported as not found. */
  function requireSession(actor: Actor, sessionId: string, action: SessionAction) {
    const a = requireActor(actor);
    const session = sessionQuery().get({ id: sessionId });
    if (!session || session.status === "purged") throw new DomainError("not_found", "session_not_found");
    const standing = standingOf(a, session);
    if (!standing) throw new DomainError("not_found", "session_not_found");
    if (!sessionRoleCan(standing, action, session)) throw new DomainError("forbidden", "forbidden");
    return { actor: a, session, standing, can: sessionActionsFor(standing, session) };
  }

  function programmeRoleOfSession(userId: string, sessionId: string): ProgrammeRole | null {
    const session = db.select({ programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    return session ? programmeRole(userId, session.programmeId) : null;
  }

  return { requireActor, programmeRoleOfSession, programmeRole, sessionRole, requireProgramme, requireSession, standingOf };
}
export type Access = ReturnType<typeof createAccess>;
