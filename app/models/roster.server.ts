/**
 * Roster entries: what the attribution guard needs to know about the people in the room. Visible to
 * organisers only (and to the room where the session says so, never in anonymous mode).
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { ROSTER_CATEGORIES, rosterEntries, SESSION_ROLES } from "../../db/schema";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import { parseOrThrow } from "./parse";
import { newId } from "./tokens.server";
import { labelSchema } from "./validation";

/** "A, B; C" or an array -> trimmed, de-duplicated, non-empty list. */
const listField = z
  .union([z.string().max(1000, "too_long"), z.array(z.string().max(120, "too_long")).max(20, "too_many")])
  .optional()
  .transform((v) => {
    const items = (Array.isArray(v) ? v : (v ?? "").split(/[,;\n]/)).map((s) => s.trim()).filter(Boolean);
    return [...new Set(items)].slice(0, 20);
  });

export const rosterInput = z.object({
  name: labelSchema,
  shortForms: listField,
  organisation: z.string().trim().max(200, "too_long").default(""),
  acronyms: listField,
  title: z.string().trim().max(200, "too_long").default(""),
  country: z.string().trim().max(120, "too_long").default(""),
  role: z.enum(SESSION_ROLES, { errorMap: () => ({ message: "choice_invalid" }) }),
  category: z.enum(ROSTER_CATEGORIES, { errorMap: () => ({ message: "choice_invalid" }) }),
});

export function createRoster(deps: { db: Db; now: () => number; access: Access; audit: Audit }) {
  const { db, now, access, audit } = deps;

  function list(actor: Actor, sessionId: string) {
    access.requireSession(actor, sessionId, "session.roster.view");
    return db.select().from(rosterEntries).where(eq(rosterEntries.sessionId, sessionId)).orderBy(asc(rosterEntries.name)).all();
  }

  function add(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.roster.manage");
    const data = parseOrThrow(rosterInput, input);
    const id = newId();
    db.insert(rosterEntries).values({ id, sessionId, ...data, createdAt: now() }).run();
    audit.record({ action: "roster.entry_added", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id });
    return { id };
  }

  function update(actor: Actor, sessionId: string, entryId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.roster.manage");
    const data = parseOrThrow(rosterInput, input);
    const res = db.update(rosterEntries).set(data).where(and(eq(rosterEntries.id, entryId), eq(rosterEntries.sessionId, sessionId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: "roster.entry_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: entryId });
  }

  function remove(actor: Actor, sessionId: string, entryId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.roster.manage");
    const res = db.delete(rosterEntries).where(and(eq(rosterEntries.id, entryId), eq(rosterEntries.sessionId, sessionId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: "roster.entry_removed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: entryId });
  }

  return { list, add, update, remove };
}
export type Roster = ReturnType<typeof createRoster>;
