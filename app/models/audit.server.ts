/**
 * Audit log of administrative actions. Never records who wrote what, never identifying text:
 * details hold ids, counts and codes only.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { auditLog } from "../../db/schema";
import { newId } from "./tokens.server";

export type AuditDetails = Record<string, string | number | boolean | null>;
export type AuditEntry = {
  action: string;
  actorUserId: string | null;
  programmeId?: string | null;
  sessionId?: string | null;
  targetId?: string | null;
  details?: AuditDetails;
};

export function createAudit(db: Db, now: () => number) {
  return {
    record(entry: AuditEntry) {
      db.insert(auditLog)
        .values({
          id: newId(),
          at: now(),
          action: entry.action,
          actorUserId: entry.actorUserId,
          programmeId: entry.programmeId ?? null,
          sessionId: entry.sessionId ?? null,
          targetId: entry.targetId ?? null,
          details: entry.details ?? null,
        })
        .run();
    },
    listForProgramme(programmeId: string, limit = 200) {
      return db
        .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, sessionId: auditLog.sessionId, targetId: auditLog.targetId, details: auditLog.details })
        .from(auditLog)
        .where(eq(auditLog.programmeId, programmeId))
        .orderBy(desc(auditLog.at))
        .limit(limit)
        .all();
    },
    listForSession(sessionId: string, limit = 200) {
      return db
        .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, targetId: auditLog.targetId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.sessionId, sessionId)))
        .orderBy(desc(auditLog.at))
        .limit(limit)
        .all();
    },
  };
}
export type Audit = ReturnType<typeof createAudit>;
