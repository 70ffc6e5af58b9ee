/**
 * Programmes: a dialogue process with its levels, localities, themes, addressees, thresholds,
 * retention period and programme roles.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import {
  addressees,
  dialogueSessions,
  levels,
  localities,
  programmeMembers,
  programmes,
  themes,
  users,
} from "../../db/schema";
import type { Access } from "./access.server";
import type { Accounts } from "./accounts.server";
import type { Actor } from "./actor";
import { AUDIT_FILTER } from "./audit";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import { PROGRAMME_ACTIONS, programmeRoleCan, type ProgrammeAction } from "./permissions";
import { parseOrThrow } from "./parse";
import { newId } from "./tokens.server";
import { displayNameSchema, emailSchema, labelSchema, uuidSchema } from "./validation";

export const DEFAULT_LEVELS = [
  { key: "commune", labelEn: "Commune", labelFr: "Commune" },
  { key: "cercle", labelEn: "Cercle", labelFr: "Cercle" },
  { key: "region", labelEn: "Region", labelFr: "Région" },
  { key: "diaspora", labelEn: "Diaspora", labelFr: "Diaspora" },
  { key: "national", labelEn: "National", labelFr: "National" },
];

const programmeInput = z.object({
  name: labelSchema,
  description: z.string().trim().max(4000, "too_long").default(""),
});

const settingsInput = z
  .object({
    name: labelSchema,
    description: z.string().trim().max(4000, "too_long").default(""),
    quorumPercent: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(100, "out_of_range"),
    consensusPercent: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(51, "out_of_range").max(100, "out_of_range"),
    broadSupportPermille: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(501, "out_of_range").max(1000, "out_of_range"),
    retentionDays: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(3650, "out_of_range"),
  })
  .refine((v) => v.broadSupportPermille <= v.consensusPercent * 10, { message: "broad_above_consensus", path: ["broadSupportPermille"] });

const bilingualInput = z.object({ labelEn: labelSchema, labelFr: labelSchema });
const levelInput = bilingualInput.extend({
  key: z.string().trim().toLowerCase().min(1, "required").max(40, "too_long").regex(/^[a-z0-9_-]+$/, "key_invalid"),
});
const localityInput = z.object({
  name: labelSchema,
  levelId: uuidSchema,
  parentId: z.union([uuidSchema, z.literal("")]).optional().transform((v) => v || null),
});
const memberInput = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  role: z.enum(["organiser", "staff", "member"], { errorMap: () => ({ message: "choice_invalid" }) }),
});

/** The audit page's query: a group or action to show (empty: all) and a page number from 1. */
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const auditQuery = z.object({
  action: z.preprocess(blankToUndefined, z.string().trim().max(100, "choice_invalid").regex(AUDIT_FILTER, "choice_invalid").optional()).transform((v) => v ?? null),
  page: z
    .preprocess(blankToUndefined, z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(1_000_000, "out_of_range").optional())
    .transform((v) => v ?? 1),
});

export function createProgrammes(deps: { db: Db; now: () => number; access: Access; audit: Audit; accounts: Accounts; events: DomainEventBus }) {
  const { db, now, access, audit, accounts, events } = deps;

  function create(actor: Actor, input: unknown) {
    const a = access.requireActor(actor);
    if (a.isGuest) throw new DomainError("forbidden", "account_required");
    const data = parseOrThrow(programmeInput, input);
    const id = newId();
    db.transaction((tx) => {
      tx.insert(programmes).values({ id, name: data.name, description: data.description, createdAt: now() }).run();
      DEFAULT_LEVELS.forEach((l, rank) => tx.insert(levels).values({ id: newId(), programmeId: id, rank, ...l }).run());
      tx.insert(programmeMembers).values({ id: newId(), programmeId: id, userId: a.userId, role: "organiser", createdAt: now() }).run();
    });
    audit.record({ action: "programme.created", actorUserId: a.userId, programmeId: id, targetId: id });
    return { id };
  }

  function listForActor(actor: Actor) {
    const a = access.requireActor(actor);
    return db
      .select({ id: programmes.id, name: programmes.name, role: programmeMembers.role })
      .from(programmeMembers)
      .innerJoin(programmes, eq(programmes.id, programmeMembers.programmeId))
      .where(eq(programmeMembers.userId, a.userId))
      .orderBy(asc(programmes.name))
      .all();
  }

  function taxonomy(programmeId: string) {
    return {
      levels: db.select().from(levels).where(eq(levels.programmeId, programmeId)).orderBy(asc(levels.rank)).all(),
      localities: db.select().from(localities).where(eq(localities.programmeId, programmeId)).orderBy(asc(localities.name)).all(),
      themes: db.select().from(themes).where(eq(themes.programmeId, programmeId)).orderBy(asc(themes.labelEn)).all(),
      addressees: db.select().from(addressees).where(eq(addressees.programmeId, programmeId)).orderBy(asc(addressees.labelEn)).all(),
    };
  }

  function get(actor: Actor, programmeId: string) {
    const { programme, role } = access.requireProgramme(actor, programmeId, "programme.view");
    return { programme, role, ...taxonomy(programmeId) };
  }

  /** As `get`, plus the programme actions the viewer's role allows (so pages offer only those). */
  function overview(actor: Actor, programmeId: string) {
    const data = get(actor, programmeId);
    const can = (Object.keys(PROGRAMME_ACTIONS) as ProgrammeAction[]).filter((action) => programmeRoleCan(data.role, action));
    return { ...data, can };
  }

  /** The programme with its taxonomy, for its organisers' settings page. */
  function getForSettings(actor: Actor, programmeId: string) {
    const { programme, role } = access.requireProgramme(actor, programmeId, "programme.configure");
    return { programme, role, ...taxonomy(programmeId) };
  }

  function updateSettings(actor: Actor, programmeId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const data = parseOrThrow(settingsInput, input);
    db.update(programmes).set(data).where(eq(programmes.id, programmeId)).run();
    audit.record({ action: "programme.settings_changed", actorUserId: a.userId, programmeId, targetId: programmeId, details: { retentionDays: data.retentionDays, quorumPercent: data.quorumPercent, consensusPercent: data.consensusPercent, broadSupportPermille: data.broadSupportPermille } });
  }

  function addLevel(actor: Actor, programmeId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const data = parseOrThrow(levelInput, input);
    const existing = db.select({ id: levels.id, rank: levels.rank, key: levels.key }).from(levels).where(eq(levels.programmeId, programmeId)).all();
    if (existing.some((l) => l.key === data.key)) throw new DomainError("conflict", "level_key_taken", { key: ["level_key_taken"] });
    const rank = existing.reduce((m, l) => Math.max(m, l.rank), -1) + 1;
    const id = newId();
    db.insert(levels).values({ id, programmeId, rank, ...data }).run();
    audit.record({ action: "programme.level_added", actorUserId: a.userId, programmeId, targetId: id });
    return { id };
  }

  function updateLevel(actor: Actor, programmeId: string, levelId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const data = parseOrThrow(bilingualInput, input);
    const res = db.update(levels).set(data).where(and(eq(levels.id, levelId), eq(levels.programmeId, programmeId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: "programme.level_renamed", actorUserId: a.userId, programmeId, targetId: levelId });
  }

  function removeLevel(actor: Actor, programmeId: string, levelId: string) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const used =
      db.select({ id: localities.id }).from(localities).where(eq(localities.levelId, levelId)).get() ??
      db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.levelId, levelId)).get();
    if (used) throw new DomainError("conflict", "level_in_use");
    const res = db.delete(levels).where(and(eq(levels.id, levelId), eq(levels.programmeId, programmeId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: "programme.level_removed", actorUserId: a.userId, programmeId, targetId: levelId });
  }

  function addLocality(actor: Actor, programmeId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const data = parseOrThrow(localityInput, input);
    const level = db.select({ id: levels.id, rank: levels.rank }).from(levels).where(and(eq(levels.id, data.levelId), eq(levels.programmeId, programmeId))).get();
    if (!level) throw new DomainError("invalid", "invalid_input", { levelId: ["choice_invalid"] });
    if (data.parentId) {
      const parent = db.select({ id: localities.id }).from(localities).where(and(eq(localities.id, data.parentId), eq(localities.programmeId, programmeId))).get();
      if (!parent) throw new DomainError("invalid", "invalid_input", { parentId: ["choice_invalid"] });
    }
    const id = newId();
    db.insert(localities).values({ id, programmeId, ...data }).run();
    audit.record({ action: "programme.locality_added", actorUserId: a.userId, programmeId, targetId: id });
    return { id };
  }

  function removeLocality(actor: Actor, programmeId: string, localityId: string) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const child = db.select({ id: localities.id }).from(localities).where(eq(localities.parentId, localityId)).get();
    const session = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.localityId, localityId)).get();
    if (child || session) throw new DomainError("conflict", "locality_in_use");
    const res = db.delete(localities).where(and(eq(localities.id, localityId), eq(localities.programmeId, programmeId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: "programme.locality_removed", actorUserId: a.userId, programmeId, targetId: localityId });
  }

  function addListEntry(kind: "theme" | "addressee", actor: Actor, programmeId: string, input: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const data = parseOrThrow(bilingualInput, input);
    const table = kind === "theme" ? themes : addressees;
    const same = (x: string, y: string) => x.localeCompare(y, undefined, { sensitivity: "base" }) === 0;
    const existing = db.select({ labelEn: table.labelEn, labelFr: table.labelFr }).from(table).where(eq(table.programmeId, programmeId)).all();
    if (existing.some((e) => same(e.labelEn, data.labelEn))) throw new DomainError("conflict", "label_taken", { labelEn: ["label_taken"] });
    if (existing.some((e) => same(e.labelFr, data.labelFr))) throw new DomainError("conflict", "label_taken", { labelFr: ["label_taken"] });
    const id = newId();
    db.insert(table).values({ id, programmeId, ...data }).run();
    audit.record({ action: `programme.${kind}_added`, actorUserId: a.userId, programmeId, targetId: id });
    return { id };
  }

  function removeListEntry(kind: "theme" | "addressee", actor: Actor, programmeId: string, entryId: string) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.configure");
    const table = kind === "theme" ? themes : addressees;
    const res = db.delete(table).where(and(eq(table.id, entryId), eq(table.programmeId, programmeId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    audit.record({ action: `programme.${kind}_removed`, actorUserId: a.userId, programmeId, targetId: entryId });
  }

  function listMembers(actor: Actor, programmeId: string) {
    access.requireProgramme(actor, programmeId, "programme.members.manage");
    return db
      .select({ userId: users.id, email: users.email, displayName: users.displayName, role: programmeMembers.role, hasPassword: users.passwordHash })
      .from(programmeMembers)
      .innerJoin(users, eq(users.id, programmeMembers.userId))
      .where(eq(programmeMembers.programmeId, programmeId))
      .orderBy(asc(users.email))
      .all()
      .map(({ hasPassword, ...m }) => ({ ...m, onboarded: !!hasPassword }));
  }

  /**
   * Adds a person to the programme by email. A new account gets a one-time onboarding link, which
   * the organiser passes on (no mail server is assumed).
   */
  function addMember(actor: Actor, programmeId: string, input: unknown): { userId: string; onboardingToken: string | null } {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.members.manage");
    const data = parseOrThrow(memberInput, input);
    const { userId, created } = accounts.findOrCreateAccount(data.email, data.displayName);
    const user = accounts.getUser(userId);
    if (user?.isGuest) throw new DomainError("invalid", "invalid_input", { email: ["email_invalid"] });
    const existing = access.programmeRole(userId, programmeId);
    if (existing && existing !== data.role) {
      if (existing === "organiser") assertNotLastOrganiser(programmeId, userId);
      db.update(programmeMembers).set({ role: data.role }).where(and(eq(programmeMembers.programmeId, programmeId), eq(programmeMembers.userId, userId))).run();
      events.emit("programme.memberChanged", { programmeId, userId });
    } else if (!existing) {
      db.insert(programmeMembers).values({ id: newId(), programmeId, userId, role: data.role, createdAt: now() }).run();
    }
    const onboardingToken = created || !user?.hasPassword ? accounts.issueAccountToken(a, userId, "onboarding") : null;
    if (existing && existing !== data.role) audit.record({ action: "programme.member_role_changed", actorUserId: a.userId, programmeId, targetId: userId, details: { from: existing, role: data.role } });
    else audit.record({ action: "programme.member_added", actorUserId: a.userId, programmeId, targetId: userId, details: { role: data.role, newAccount: created } });
    return { userId, onboardingToken };
  }

  /** A programme must keep at least one organiser: refuse to remove or demote the last one. */
  function assertNotLastOrganiser(programmeId: string, userId: string) {
    const organisers = db.select({ userId: programmeMembers.userId }).from(programmeMembers).where(and(eq(programmeMembers.programmeId, programmeId), eq(programmeMembers.role, "organiser"))).all();
    if (organisers.length === 1 && organisers[0].userId === userId) throw new DomainError("conflict", "last_organiser");
  }

  function removeMember(actor: Actor, programmeId: string, userId: string) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.members.manage");
    assertNotLastOrganiser(programmeId, userId);
    const res = db.delete(programmeMembers).where(and(eq(programmeMembers.programmeId, programmeId), eq(programmeMembers.userId, userId))).run();
    if (res.changes !== 1) throw new DomainError("not_found", "not_found");
    events.emit("programme.memberChanged", { programmeId, userId });
    audit.record({ action: "programme.member_removed", actorUserId: a.userId, programmeId, targetId: userId });
  }

  /** A one-time password reset link for a member of this programme (no mail server assumed). */
  function issueResetLink(actor: Actor, programmeId: string, userId: string): string {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.members.manage");
    if (!access.programmeRole(userId, programmeId)) throw new DomainError("not_found", "not_found");
    // Resetting a password takes over the account: refuse it for people who hold more power
    // elsewhere than this organiser (instance administrators, organisers of other programmes).
    const target = accounts.getUser(userId);
    const organisesElsewhere = db
      .select({ programmeId: programmeMembers.programmeId })
      .from(programmeMembers)
      .where(and(eq(programmeMembers.userId, userId), eq(programmeMembers.role, "organiser")))
      .all()
      .some((m) => m.programmeId !== programmeId && access.programmeRole(a.userId, m.programmeId) !== "organiser");
    if (!target || target.isAdmin || organisesElsewhere) throw new DomainError("forbidden", "reset_not_allowed");
    const token = accounts.issueAccountToken(a, userId, "reset");
    audit.record({ action: "programme.reset_link_issued", actorUserId: a.userId, programmeId, targetId: userId });
    return token;
  }

  /**
   * One page of the programme's audit log, newest first, optionally for one group of actions or one
   * action, with the acting account's email and display name (null for actions with no account, such
   * as a guest joining by code or the retention purge). A page past the last shows the last.
   */
  function auditLog(actor: Actor, programmeId: string, query: unknown = {}) {
    access.requireProgramme(actor, programmeId, "programme.audit.view");
    const { action, page: asked } = parseOrThrow(auditQuery, query);
    const first = audit.pageForProgramme(programmeId, { action, page: asked });
    const { total, pageSize } = first;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(asked, pages);
    const entries = page === asked ? first.entries : audit.pageForProgramme(programmeId, { action, page }).entries;
    const actorIds = [...new Set(entries.map((e) => e.actorUserId).filter((id): id is string => !!id))];
    const people = new Map(
      actorIds.length === 0
        ? []
        : db
            .select({ id: users.id, email: users.email, displayName: users.displayName })
            .from(users)
            .where(inArray(users.id, actorIds))
            .all()
            .map((u) => [u.id, u] as const),
    );
    return {
      action,
      page,
      pages,
      total,
      pageSize,
      entries: entries.map((e) => {
        const person = e.actorUserId ? people.get(e.actorUserId) : undefined;
        return { ...e, actorEmail: person?.email ?? null, actorDisplayName: person?.displayName ?? null };
      }),
    };
  }

  function localityNames(ids: string[]) {
    if (ids.length === 0) return new Map<string, string>();
    return new Map(db.select({ id: localities.id, name: localities.name }).from(localities).where(inArray(localities.id, ids)).all().map((r) => [r.id, r.name]));
  }

  return {
    create,
    listForActor,
    get,
    overview,
    getForSettings,
    taxonomy,
    updateSettings,
    addLevel,
    updateLevel,
    removeLevel,
    addLocality,
    removeLocality,
    addTheme: (actor: Actor, programmeId: string, input: unknown) => addListEntry("theme", actor, programmeId, input),
    removeTheme: (actor: Actor, programmeId: string, id: string) => removeListEntry("theme", actor, programmeId, id),
    addAddressee: (actor: Actor, programmeId: string, input: unknown) => addListEntry("addressee", actor, programmeId, input),
    removeAddressee: (actor: Actor, programmeId: string, id: string) => removeListEntry("addressee", actor, programmeId, id),
    listMembers,
    addMember,
    removeMember,
    issueResetLink,
    auditLog,
    localityNames,
  };
}
export type Programmes = ReturnType<typeof createProgrammes>;
