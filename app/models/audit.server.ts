/**
 * Audit log of administrative actions. Never records who wrote what, never identifying text:
 * details hold ids, counts and codes only.
 */
import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { auditLog } from "../../db/schema";
import { AUDIT_PAGE_SIZE } from "./audit";
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
  function filterOn(action: string | null): SQL | undefined {
    if (!action) return undefined;
    if (action.includes(".")) return eq(auditLog.action, action);
    const prefix = `${action}.`;
    return sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`;
  }

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
    /**
     * One page of a programme's entries, newest first, optionally for one group or action, with the
     * number of matching entries (for paging).
     */
    pageForProgramme(programmeId: string, options: { action: string | null; page: number; pageSize?: number }) {
      const pageSize = options.pageSize ?? AUDIT_PAGE_SIZE;
      const where = and(eq(auditLog.programmeId, programmeId), filterOn(options.action));
      const total = db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
      const entries = db
        .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, sessionId: auditLog.sessionId, targetId: auditLog.targetId, details: auditLog.details })
        .from(auditLog)
        .where(where)
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(pageSize)
        .offset((options.page - 1) * pageSize)
        .all();
      return { entries, total, pageSize };
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
