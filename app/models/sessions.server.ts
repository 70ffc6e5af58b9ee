/**
 * Dialogue sessions: details, lifecycle, members and roles, join codes, and joining as a guest.
 */
import { and, asc, desc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import {
  ATTRIBUTION_MODES,
  dialogueSessions,
  levels,
  localities,
  NOTE_VISIBILITIES,
  programmeMembers,
  programmes,
  SESSION_KINDS,
  SESSION_ROLES,
  SESSION_STATUSES,
  sessionMembers,
  users,
} from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Accounts } from "./accounts.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError, isDomainError } from "./errors";
import type { Notes } from "./notes.server";
import type { Recommendations } from "./recommendations.server";
import type { DomainEventBus } from "./events";
import { parseOrThrow } from "./parse";
import { standingFrom, type SessionRole, type SessionStanding } from "./permissions";
import { generateJoinCode, newId, normaliseJoinCode } from "./tokens.server";
import { displayNameSchema, foldForSearch, isValidTimeZone, uuidSchema } from "./validation";

export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Sessions per page on a programme's page. */
export const PROGRAMME_PAGE_SIZE = 25;

/** How many sessions seen only through a programme role the home page lists (the rest are counted). */
export const HOME_VIA_PROGRAMME_LIMIT = 12;

const ATTENTION: Partial<Record<SessionStatus, number>> = { live: 0, ended: 1, scheduled: 2, draft: 3, finalised: 4 };

/** Live first, then ended (to finalise), to come and drafts (nearest start first), then the rest, most recent first. */
export function byAttention(now: number) {
  return (a: { status: SessionStatus; startsAt: number | null }, b: { status: SessionStatus; startsAt: number | null }) => {
    const ra = ATTENTION[a.status] ?? 5;
    const rb = ATTENTION[b.status] ?? 5;
    if (ra !== rb) return ra - rb;
    if (ra === 2 || ra === 3) return Math.abs((a.startsAt ?? now) - now) - Math.abs((b.startsAt ?? now) - now);
    return (b.startsAt ?? 0) - (a.startsAt ?? 0);
  };
}
export const LANGUAGES = ["fr", "en"] as const;

const optionalUuid = z.union([uuidSchema, z.literal("")]).optional().transform((v) => v || null);
const optionalTimestamp = z
  .union([z.number().int(), z.literal(""), z.null()])
  .optional()
  .transform((v) => (typeof v === "number" ? v : null));

/** Input for creating and editing a session. Times arrive as epoch milliseconds (adapters convert). */
export const sessionInput = z
  .object({
    title: z.string({ required_error: "required" }).trim().min(1, "required").max(200, "too_long"),
    description: z.string().trim().max(4000, "too_long").default(""),
    coHosts: z.string().trim().max(500, "too_long").default(""),
    kind: z.enum(SESSION_KINDS, { errorMap: () => ({ message: "choice_invalid" }) }),
    levelId: uuidSchema,
    localityId: optionalUuid,
    parentSessionId: optionalUuid,
    languages: z
      .array(z.enum(LANGUAGES, { errorMap: () => ({ message: "choice_invalid" }) }))
      .min(1, "required")
      .max(LANGUAGES.length),
    startsAt: optionalTimestamp,
    endsAt: optionalTimestamp,
    timeZone: z.string().trim().min(1, "required").refine(isValidTimeZone, "timezone_invalid"),
    attributionMode: z.enum(ATTRIBUTION_MODES, { errorMap: () => ({ message: "choice_invalid" }) }),
    noteVisibility: z.enum(NOTE_VISIBILITIES, { errorMap: () => ({ message: "choice_invalid" }) }),
    rosterVisibleToRoom: z.boolean().default(false),
  })
  .refine((v) => !v.startsAt || !v.endsAt || v.endsAt > v.startsAt, { message: "ends_before_start", path: ["endsAt"] });
export type SessionInput = z.input<typeof sessionInput>;

/** Lifecycle transitions the organiser may make (SPEC section 2). Later issues add what each does. */
export const TRANSITIONS: Record<SessionStatus, SessionStatus[]> = {
  draft: ["scheduled", "live"],
  scheduled: ["draft", "live"],
  live: ["ended"],
  ended: ["finalised"],
  finalised: [],
  published: ["archived"],
  archived: [],
  purged: [],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const roleSchema = z.enum(SESSION_ROLES, { errorMap: () => ({ message: "choice_invalid" }) });
const joinInput = z.object({ code: z.string({ required_error: "required" }).max(40, "too_long"), displayName: displayNameSchema });

/** How long after a session ends late notes are accepted and authors may fix theirs (SPEC section 2). */
export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

type Finaliser = Pick<Notes, "destroyAuthorship" | "truncateWal" | "truncateWalWithRetry">;

export function createSessions(deps: {
  db: Db;
  now: () => number;
  access: Access;
  audit: Audit;
  accounts: Accounts;
  events: DomainEventBus;
  notes: Finaliser;
  recommendations: Pick<Recommendations, "destroyVoterTags">;
  graceMs?: number;
}) {
  const { db, now, access, audit, accounts, events, notes, recommendations } = deps;
  const graceMs = deps.graceMs ?? DEFAULT_GRACE_MS;

  function checkReferences(programmeId: string, data: z.output<typeof sessionInput>, selfId?: string) {
    const fields: Record<string, string[]> = {};
    if (!db.select({ id: levels.id }).from(levels).where(and(eq(levels.id, data.levelId), eq(levels.programmeId, programmeId))).get()) fields.levelId = ["choice_invalid"];
    if (data.localityId && !db.select({ id: localities.id }).from(localities).where(and(eq(localities.id, data.localityId), eq(localities.programmeId, programmeId))).get()) fields.localityId = ["choice_invalid"];
    if (data.parentSessionId) {
      const parent = db.select({ id: dialogueSessions.id, parent: dialogueSessions.parentSessionId }).from(dialogueSessions).where(and(eq(dialogueSessions.id, data.parentSessionId), eq(dialogueSessions.programmeId, programmeId))).get();
      if (!parent) fields.parentSessionId = ["choice_invalid"];
      else if (selfId) {
        // No cycles: walk up from the parent and never meet this session.
        let cursor: string | null = parent.id;
        for (let depth = 0; cursor && depth < 50; depth++) {
          if (cursor === selfId) {
            fields.parentSessionId = ["parent_cycle"];
            break;
          }
          const next: { parent: string | null } | undefined = db.select({ parent: dialogueSessions.parentSessionId }).from(dialogueSessions).where(eq(dialogueSessions.id, cursor)).get();
          cursor = next?.parent ?? null;
        }
      }
    }
    if (Object.keys(fields).length) throw new DomainError("invalid", "invalid_input", fields);
  }

  function create(actor: Actor, programmeId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.sessions.create");
    const data = parseOrThrow(sessionInput, input);
    checkReferences(programmeId, data);
    const id = newId();
    db.insert(dialogueSessions).values({ id, programmeId, ...data, status: "draft", joinCode: null, createdAt: now() }).run();
    audit.record({ action: "session.created", actorUserId: a.userId, programmeId, sessionId: id, targetId: id });
    return { id };
  }

  function update(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.configure");
    if (!["draft", "scheduled", "live"].includes(session.status)) throw new DomainError("conflict", "session_locked");
    const data = parseOrThrow(sessionInput, input);
    // While the room is live, what is said keeps the mode it is said under: an item under way must
    // not turn "on the record" (or lose its protection) because the session's mode changed.
    if (session.status === "live" && data.attributionMode !== session.attributionMode) {
      throw new DomainError("conflict", "mode_locked", { attributionMode: ["mode_locked"] });
    }
    checkReferences(session.programmeId, data, sessionId);
    db.update(dialogueSessions).set(data).where(eq(dialogueSessions.id, sessionId)).run();
    audit.record({ action: "session.updated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId });
    events.emit("session.updated", { sessionId });
  }

  function get(actor: Actor, sessionId: string) {
    const { session, standing, can } = access.requireSession(actor, sessionId, "session.view");
    const programme = db.select({ id: programmes.id, name: programmes.name }).from(programmes).where(eq(programmes.id, session.programmeId)).get()!;
    const level = db.select().from(levels).where(eq(levels.id, session.levelId)).get() ?? null;
    const locality = session.localityId ? db.select().from(localities).where(eq(localities.id, session.localityId)).get() ?? null : null;
    const parent = session.parentSessionId
      ? db.select({ id: dialogueSessions.id, title: dialogueSessions.title }).from(dialogueSessions).where(eq(dialogueSessions.id, session.parentSessionId)).get() ?? null
      : null;
    const { joinCode, ...rest } = session;
    return {
      session: { ...rest, joinCode: can.includes("session.joinCode.view") ? joinCode : null },
      programme,
      level,
      locality,
      parent,
      standing,
      can,
      /** When an ended session will finalise by itself (late notes are accepted until then). */
      finalisesAt: session.status === "ended" && session.endedAt !== null ? session.endedAt + graceMs : null,
    };
  }

  function listForProgramme(actor: Actor, programmeId: string) {
    access.requireProgramme(actor, programmeId, "programme.sessions.list");
    return db
      .select({ id: dialogueSessions.id, title: dialogueSessions.title, status: dialogueSessions.status, kind: dialogueSessions.kind, startsAt: dialogueSessions.startsAt, timeZone: dialogueSessions.timeZone, levelId: dialogueSessions.levelId, localityId: dialogueSessions.localityId, parentSessionId: dialogueSessions.parentSessionId })
      .from(dialogueSessions)
      .where(eq(dialogueSessions.programmeId, programmeId))
      .orderBy(desc(dialogueSessions.startsAt), asc(dialogueSessions.title))
      .all()
      .filter((s) => s.status !== "purged");
  }

  /**
   * A programme's page of sessions: filtered by level, status and a search in the title and the
   * locality's name (case and accents ignored), newest first, `PROGRAMME_PAGE_SIZE` at a time. Values
   * that are not the programme's (a hand-edited address) are dropped and named in `ignored`; a page
   * past the end shows the last one.
   */
  function pageForProgramme(actor: Actor, programmeId: string, asked: { levelId?: string | null; status?: string | null; q?: string | null; page?: string | null }) {
    const all = listForProgramme(actor, programmeId);
    const ignored: ("levelId" | "status" | "page")[] = [];
    const levelIds = new Set(db.select({ id: levels.id }).from(levels).where(eq(levels.programmeId, programmeId)).all().map((l) => l.id));
    const levelId = asked.levelId && levelIds.has(asked.levelId) ? asked.levelId : null;
    if (asked.levelId && !levelId) ignored.push("levelId");
    const status = asked.status && (SESSION_STATUSES as readonly string[]).includes(asked.status) && asked.status !== "purged" ? (asked.status as SessionStatus) : null;
    if (asked.status && !status) ignored.push("status");
    const q = (asked.q ?? "").trim().slice(0, 200);
    const needle = foldForSearch(q);
    const names = needle
      ? new Map(db.select({ id: localities.id, name: localities.name }).from(localities).where(eq(localities.programmeId, programmeId)).all().map((l) => [l.id, foldForSearch(l.name)]))
      : new Map<string, string>();
    const matching = all.filter(
      (s) =>
        (!levelId || s.levelId === levelId) &&
        (!status || s.status === status) &&
        (!needle || foldForSearch(s.title).includes(needle) || (s.localityId !== null && (names.get(s.localityId) ?? "").includes(needle))),
    );
    const pages = Math.max(1, Math.ceil(matching.length / PROGRAMME_PAGE_SIZE));
    const wanted = asked.page ? Number(asked.page) : 1;
    if (asked.page && !(Number.isInteger(wanted) && wanted >= 1)) ignored.push("page");
    const page = Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, pages) : 1;
    return {
      items: matching.slice((page - 1) * PROGRAMME_PAGE_SIZE, page * PROGRAMME_PAGE_SIZE),
      matching: matching.length,
      total: all.length,
      page,
      pages,
      pageSize: PROGRAMME_PAGE_SIZE,
      filters: { levelId, status, q },
      ignored,
    };
  }

  /**
   * The home page's sessions: every session the person is listed in, and of the sessions they see as
   * programme organiser or staff, the `viaProgrammeLimit` that most need them (live, then those still
   * to come or to close, nearest first, then the most recent; the whole list in that order). A national
   * programme has hundreds of sessions: the rest are counted (`moreViaProgramme`) and listed on each
   * programme's page.
   */
  function listForUser(actor: Actor, options: { viaProgrammeLimit?: number } = {}) {
    const limit = options.viaProgrammeLimit ?? HOME_VIA_PROGRAMME_LIMIT;
    const all = listAllForUser(actor);
    const ordered = [...all].sort(byAttention(Date.now()));
    const via = ordered.filter((s) => s.viaProgramme);
    const kept = new Set(via.slice(0, limit).map((s) => s.id));
    return {
      sessions: ordered.filter((s) => !s.viaProgramme || kept.has(s.id)).map(({ viaProgramme: _via, ...s }) => s),
      moreViaProgramme: Math.max(0, via.length - limit),
    };
  }

  /**
   * The sessions a person has a standing in: those they take part in, and those of the programmes
   * they organise or staff (a programme organiser organises every session of the programme).
   */
  function listAllForUser(actor: Actor) {
    const { userId } = access.requireActor(actor);
    const own = listForUserId(userId);
    const seen = new Set(own.map((s) => s.id));
    const viaProgramme = db
      .select({ id: dialogueSessions.id, title: dialogueSessions.title, status: dialogueSessions.status, startsAt: dialogueSessions.startsAt, timeZone: dialogueSessions.timeZone, programmeRole: programmeMembers.role })
      .from(programmeMembers)
      .innerJoin(dialogueSessions, eq(dialogueSessions.programmeId, programmeMembers.programmeId))
      .where(and(eq(programmeMembers.userId, userId), inArray(programmeMembers.role, ["organiser", "staff"])))
      .all()
      .filter((s) => s.status !== "purged" && !seen.has(s.id))
      .map(({ programmeRole, ...s }) => ({ ...s, role: standingFrom(null, programmeRole)!, viaProgramme: true }));
    // A programme organiser who is also listed in a session acts as its organiser there.
    const merged: { id: string; title: string; status: SessionStatus; startsAt: number | null; timeZone: string; role: SessionStanding; viaProgramme: boolean }[] = own.map((s) => ({
      ...s,
      role: standingFrom(s.role, access.programmeRoleOfSession(userId, s.id)) ?? s.role,
      viaProgramme: false,
    }));
    return [...merged, ...viaProgramme].sort((a, b) => (b.startsAt ?? 0) - (a.startsAt ?? 0));
  }

  /** For identities proven by a device token (switch participant). */
  function listForUserId(userId: string) {
    return db
      .select({ id: dialogueSessions.id, title: dialogueSessions.title, status: dialogueSessions.status, startsAt: dialogueSessions.startsAt, timeZone: dialogueSessions.timeZone, role: sessionMembers.role })
      .from(sessionMembers)
      .innerJoin(dialogueSessions, eq(dialogueSessions.id, sessionMembers.sessionId))
      .where(eq(sessionMembers.userId, userId))
      .orderBy(desc(dialogueSessions.startsAt))
      .all()
      .filter((s) => s.status !== "purged");
  }

  /** Sessions of the programme that a session may feed (for the "parent session" choice). */
  function parentCandidates(actor: Actor, programmeId: string, excludeId?: string) {
    // Only for the new-session form: its viewer must be allowed to create sessions here.
    access.requireProgramme(actor, programmeId, "programme.sessions.create");
    return listForProgramme(actor, programmeId).filter((s) => s.id !== excludeId);
  }

  /**
   * What the session form offers when editing: the programme's levels and localities, and the sessions
   * this one may feed (same programme, not itself nor a session that already feeds it). For session
   * organisers who are not programme members too.
   */
  function formOptions(actor: Actor, sessionId: string) {
    const { session } = access.requireSession(actor, sessionId, "session.configure");
    const programmeId = session.programmeId;
    const all = db
      .select({ id: dialogueSessions.id, title: dialogueSessions.title, status: dialogueSessions.status, parentSessionId: dialogueSessions.parentSessionId })
      .from(dialogueSessions)
      .where(eq(dialogueSessions.programmeId, programmeId))
      .orderBy(asc(dialogueSessions.title))
      .all()
      .filter((s) => s.status !== "purged");
    // Sessions below this one (directly or not) would make a cycle.
    const below = new Set<string>([sessionId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of all)
        if (s.parentSessionId && below.has(s.parentSessionId) && !below.has(s.id)) {
          below.add(s.id);
          grew = true;
        }
    }
    return {
      levels: db.select().from(levels).where(eq(levels.programmeId, programmeId)).orderBy(asc(levels.rank)).all(),
      localities: db.select().from(localities).where(eq(localities.programmeId, programmeId)).orderBy(asc(localities.name)).all(),
      parentCandidates: all.filter((s) => !below.has(s.id)).map(({ id, title, status }) => ({ id, title, status })),
    };
  }

  /** The statuses the actor may move this session to now (lifecycle buttons). */
  function nextStatuses(actor: Actor, sessionId: string): SessionStatus[] {
    const { session } = access.requireSession(actor, sessionId, "session.lifecycle");
    return [...TRANSITIONS[session.status]];
  }

  function setStatus(actor: Actor, sessionId: string, to: SessionStatus, options: { confirmed?: boolean } = {}) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.lifecycle");
    if (!canTransition(session.status, to)) throw new DomainError("conflict", "transition_invalid");
    if (to === "finalised" && !options.confirmed) throw new DomainError("invalid", "confirmation_required", { confirm: ["confirmation_required"] });
    if (to === "finalised") return finalise(session, a.userId);
    const t = now();
    db.update(dialogueSessions)
      .set({ status: to, ...(to === "ended" ? { endedAt: t } : {}) })
      .where(and(eq(dialogueSessions.id, sessionId), eq(dialogueSessions.status, session.status)))
      .run();
    audit.record({ action: "session.status_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId, details: { from: session.status, to } });
    events.emit("session.updated", { sessionId });
    return { walTruncated: null };
  }

  /**
   * Finalisation: irreversible. In one transaction the status changes and the authorship secret and
   * tags are destroyed; then the WAL is truncated (checked; retried in the background while a
   * reader holds it). `actorUserId` is null when the grace period ran out.
   */
  function finalise(session: SessionRow, actorUserId: string | null): { walTruncated: boolean | null } {
    const t = now();
    const changed = db.transaction(() => {
      const res = db
        .update(dialogueSessions)
        .set({ status: "finalised", finalisedAt: t })
        .where(and(eq(dialogueSessions.id, session.id), eq(dialogueSessions.status, "ended")))
        .run();
      if (res.changes !== 1) return false;
      notes.destroyAuthorship(session.id);
      recommendations.destroyVoterTags(session.id);
      return true;
    });
    if (!changed) throw new DomainError("conflict", "transition_invalid");
    audit.record({ action: "session.status_changed", actorUserId, programmeId: session.programmeId, sessionId: session.id, targetId: session.id, details: { from: "ended", to: "finalised", automatic: actorUserId === null } });
    events.emit("session.updated", { sessionId: session.id });
    if (notes.truncateWal()) return { walTruncated: true };
    void notes.truncateWalWithRetry(session.id);
    return { walTruncated: false };
  }

  /** Finalises every session whose grace period has run out; returns how many. */
  function finaliseDue(): number {
    const due = db
      .select()
      .from(dialogueSessions)
      .where(and(eq(dialogueSessions.status, "ended"), lte(dialogueSessions.endedAt, now() - graceMs)))
      .all();
    let n = 0;
    for (const session of due) {
      try {
        finalise(session, null);
        n++;
      } catch (e) {
        if (!isDomainError(e)) throw e;
      }
    }
    return n;
  }

  /** When an ended session finalises by itself, for the organiser's page. */
  function finalisesAt(session: Pick<SessionRow, "status" | "endedAt">): number | null {
    return session.status === "ended" && session.endedAt !== null ? session.endedAt + graceMs : null;
  }

  function rotateJoinCode(actor: Actor, sessionId: string): string {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.joinCode.rotate");
    let code = generateJoinCode();
    for (let i = 0; i < 5 && db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.joinCode, code)).get(); i++) code = generateJoinCode();
    db.update(dialogueSessions).set({ joinCode: code }).where(eq(dialogueSessions.id, sessionId)).run();
    audit.record({ action: "session.join_code_rotated", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId });
    events.emit("session.joinCodeRotated", { sessionId });
    return code;
  }

  function disableJoinCode(actor: Actor, sessionId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.joinCode.rotate");
    db.update(dialogueSessions).set({ joinCode: null }).where(eq(dialogueSessions.id, sessionId)).run();
    audit.record({ action: "session.join_code_disabled", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId });
  }

  /** Adds or updates a membership. Internal: callers have already checked the right to do so. */
  function putMember(sessionId: string, userId: string, role: SessionRole) {
    const existing = access.sessionRole(userId, sessionId);
    if (existing === role) return;
    if (existing) db.update(sessionMembers).set({ role }).where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId))).run();
    else db.insert(sessionMembers).values({ id: newId(), sessionId, userId, role, createdAt: now() }).run();
    if (existing) events.emit("session.memberChanged", { sessionId, userId, role });
  }

  function joinableSession(sessionId: string) {
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    if (!session) throw new DomainError("not_found", "session_not_found");
    if (!["draft", "scheduled", "live", "ended"].includes(session.status)) throw new DomainError("gone", "session_closed");
    return session;
  }

  /**
   * Joins a session with its code. A guest identity is created unless the actor is an account holder
   * (several guests may share one phone: each join by a guest makes a new identity).
   */
  async function joinByCode(actor: Actor, input: unknown) {
    const data = parseOrThrow(joinInput, input);
    const code = normaliseJoinCode(data.code);
    if (!code) throw new DomainError("invalid", "invalid_input", { code: ["join_code_invalid"] });
    const found = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(and(eq(dialogueSessions.joinCode, code), isNotNull(dialogueSessions.joinCode))).get();
    if (!found) throw new DomainError("invalid", "invalid_input", { code: ["join_code_unknown"] });
    const session = joinableSession(found.id);
    return admit(actor, session.id, "participant", data.displayName, "code");
  }

  /** The session a guest already belongs to under this code, if any (so they continue as themselves). */
  function sessionForCode(actor: Actor, rawCode: string): string | null {
    const code = normaliseJoinCode(rawCode);
    if (!actor || !code) return null;
    const found = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.joinCode, code)).get();
    return found && access.sessionRole(actor.userId, found.id) ? found.id : null;
  }

  /** Admits a person into a session; returns a new sign-in token when a guest identity was made. */
  async function admit(actor: Actor, sessionId: string, role: SessionRole, displayName: string | null, via: "code" | "invitation") {
    let userId: string;
    let token: { token: string; expiresAt: number } | null = null;
    if (actor && !actor.isGuest) {
      userId = actor.userId;
      putMember(sessionId, userId, role);
    } else {
      userId = accounts.createGuest(displayName);
      putMember(sessionId, userId, role);
      token = await accounts.createSession(userId);
    }
    const session = db.select({ programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get()!;
    audit.record({ action: via === "code" ? "session.joined_by_code" : "session.joined_by_invitation", actorUserId: null, programmeId: session.programmeId, sessionId, details: { role } });
    return { sessionId, userId, token };
  }

  function listMembers(actor: Actor, sessionId: string) {
    access.requireSession(actor, sessionId, "session.members.view");
    return db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, isGuest: users.isGuest, role: sessionMembers.role })
      .from(sessionMembers)
      .innerJoin(users, eq(users.id, sessionMembers.userId))
      .where(eq(sessionMembers.sessionId, sessionId))
      .orderBy(asc(sessionMembers.role), asc(users.displayName))
      .all();
  }

  function changeMemberRole(actor: Actor, sessionId: string, userId: string, role: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.members.manage");
    const { role: newRole } = parseOrThrow(z.object({ role: roleSchema }), { role });
    if (!access.sessionRole(userId, sessionId)) throw new DomainError("not_found", "not_found");
    putMember(sessionId, userId, newRole);
    audit.record({ action: "session.member_role_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: userId, details: { role: newRole } });
  }

  /**
   * Removes a member. Access ends at once: their sockets on this session are closed, and a guest
   * (who exists only for the sessions they joined) is signed out everywhere once they belong nowhere.
   */
  function removeMember(actor: Actor, sessionId: string, userId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.members.manage");
    const res = db.delete(sessionMembers).where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    events.emit("session.memberChanged", { sessionId, userId, role: null });
    const user = accounts.getUser(userId);
    if (user?.isGuest) {
      const other = db.select({ id: sessionMembers.id }).from(sessionMembers).where(eq(sessionMembers.userId, userId)).get();
      if (!other) accounts.invalidateAllSessions(userId);
    }
    audit.record({ action: "session.member_removed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: userId });
  }

  /** Entering the live room: the standing the person enters under decides what they receive. */
  function enterRoom(actor: Actor, sessionId: string) {
    const { session, standing } = access.requireSession(actor, sessionId, "session.room.join");
    return { session: { id: session.id, title: session.title, status: session.status, attributionMode: session.attributionMode }, role: standing as SessionRole };
  }

  /** The standing a user holds in a session now (null when none), to check recovered sockets. */
  function currentStanding(userId: string, sessionId: string) {
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    if (!session || session.status === "purged") return null;
    return access.standingOf({ userId }, session);
  }

  /** Title and status only, for real-time notices to people already in the room. */
  function summary(sessionId: string) {
    return db.select({ title: dialogueSessions.title, status: dialogueSessions.status }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get() ?? null;
  }

  return {
    create,
    update,
    get,
    summary,
    enterRoom,
    currentStanding,
    listForProgramme,
    pageForProgramme,
    listForUser,
    listForUserId,
    parentCandidates,
    formOptions,
    nextStatuses,
    setStatus,
    finaliseDue,
    finalisesAt,
    rotateJoinCode,
    disableJoinCode,
    joinByCode,
    sessionForCode,
    admit,
    joinableSession,
    putMember,
    listMembers,
    changeMemberRole,
    removeMember,
  };
}
export type Sessions = ReturnType<typeof createSessions>;
