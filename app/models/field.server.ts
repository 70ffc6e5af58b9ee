/**
 * Field instances (docs/field.md, ADR 014): a session held on a laptop with no internet, brought home
 * as a signed bundle.
 *
 * National side: a programme organiser exports a **field kit** for a session that has not run yet
 * (the programme's taxonomy, the parent session and the session itself, with their ids), signed with
 * this instance's Ed25519 key; registers the fingerprint a laptop shows (read out over the phone) with
 * a label, and may revoke it; imports the laptop's **signed bundle**, which is accepted only when its
 * signature is good and its key's fingerprint is registered, unrevoked, for the programme. The bundle
 * goes through the ordinary import (imports.server.ts), filling the planned session in place, so that
 * its recommendations join the programme like those of a session held here; its provenance (which
 * key, when signed, when imported) is kept in `session_imports`.
 *
 * Laptop side: importing a kit checks its signature, pins the national key for the programme (a later
 * kit signed by another key is refused), recreates the programme's context with the same ids and the
 * session ready to run, and makes the laptop's own key pair; after the session is finalised and its
 * summary published, the laptop exports the bundle.
 *
 * Every refusal changes nothing: checks come first, and what is written is written in one transaction.
 */
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import {
  addressees,
  agendaItems,
  dialogueSessions,
  fieldKeys,
  fieldKits,
  fieldPins,
  instance,
  levels,
  localities,
  programmeMembers,
  programmes,
  publications,
  recommendations,
  sessionImports,
  themes,
} from "../../db/schema";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError, isDomainError, type ErrorCode, type FieldErrors } from "./errors";
import type { SessionExport } from "./export-format";
import { DEFAULT_INSTANCE_NAME, type Exports, instanceIdentity, isoOrNull } from "./exports.server";
import {
  BUNDLE_FORMAT,
  FIELD_FORMAT_VERSION,
  fieldFileName,
  fingerprintMatches,
  formatFingerprint,
  FINGERPRINT_HEX_DIGITS,
  KIT_FORMAT,
  parseFingerprint,
  serialiseSigned,
  type FieldBundle,
  type FieldErrorKey,
  type FieldKit,
  type FieldKitPayload,
  type SignedEnvelope,
} from "./field";
import { fingerprintOf, generateSigningKeyPair, signEnvelope, verifyEnvelope, type KeyPair } from "./field-crypto.server";
import type { Imports, ImportReport } from "./imports.server";
import { parseOrThrow } from "./parse";
import { newId } from "./tokens.server";
import { isValidTimeZone, labelSchema } from "./validation";

/** Kits and bundles larger than this are refused before parsing. */
export const MAX_FIELD_FILE_BYTES = 20 * 1024 * 1024;
const PLANNABLE = ["draft", "scheduled"] as const;

export type FieldErrorDetails = { message: string; fingerprint?: string; importedAt?: number; problems?: { path: string; message: string }[] };

/** A refused kit or bundle: a DomainError whose message key is in the "field" namespace. */
export class FieldError extends DomainError {
  readonly details: FieldErrorDetails;
  constructor(code: ErrorCode, key: FieldErrorKey, details: FieldErrorDetails, fields?: FieldErrors) {
    super(code, key, fields);
    this.details = details;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a signed file

function parseFile(file: unknown): unknown {
  let text: string;
  if (typeof file === "string") text = file;
  else if (file instanceof Uint8Array) {
    if (file.byteLength > MAX_FIELD_FILE_BYTES) throw tooLarge();
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(file);
    } catch {
      throw new FieldError("invalid", "field_not_json", { message: "This file is not JSON: it is not even text in UTF-8." });
    }
  } else if (file !== null && typeof file === "object") return file;
  else throw new FieldError("invalid", "field_not_json", { message: "This file is not JSON." });
  if (Buffer.byteLength(text, "utf8") > MAX_FIELD_FILE_BYTES) throw tooLarge();
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new FieldError("invalid", "field_not_json", { message: `This file is not JSON (${(e as Error).message}).` });
  }
}

function tooLarge() {
  return new FieldError("invalid", "field_too_large", { message: `This file is larger than ${MAX_FIELD_FILE_BYTES / 1024 / 1024} MB.` });
}

/**
 * The envelope of a kit or a bundle, its signature checked against the key it carries. Refuses a file
 * of the other kind, of a newer format (before anything else, so the message says to update Parley),
 * or whose signature does not verify (altered after signing).
 */
export function readSigned<F extends typeof KIT_FORMAT | typeof BUNDLE_FORMAT>(file: unknown, format: F): SignedEnvelope<F, unknown> {
  const value = parseFile(file);
  const v = (value !== null && typeof value === "object" && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const notIt = format === KIT_FORMAT ? "field_not_kit" : "field_not_bundle";
  const what = format === KIT_FORMAT ? "a Parley field kit" : "a Parley field bundle";
  if (v.format !== format) {
    const hint = v.format === KIT_FORMAT ? " It is a field kit (for a laptop)." : v.format === BUNDLE_FORMAT ? " It is a field bundle (for the national instance)." : v.format === "parley.session-export" ? " It is an unsigned session export: use the programme's import page." : "";
    throw new FieldError("invalid", notIt, { message: `This file is not ${what}.${hint}` });
  }
  if (typeof v.formatVersion !== "number" || !Number.isInteger(v.formatVersion) || v.formatVersion < 1) throw new FieldError("invalid", notIt, { message: `This file is not ${what}: its format version is missing.` });
  if (v.formatVersion > FIELD_FORMAT_VERSION) {
    throw new FieldError("invalid", "field_newer_format", { message: `This file was made by a newer version of Parley (format ${v.formatVersion}); this instance reads up to format ${FIELD_FORMAT_VERSION}. Update Parley.` });
  }
  const keys = ["format", "formatVersion", "signedAt", "publicKey", "keyFingerprint", "payload", "signature"];
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length || typeof v.signedAt !== "string" || Number.isNaN(Date.parse(v.signedAt)) || typeof v.publicKey !== "string" || typeof v.keyFingerprint !== "string" || typeof v.signature !== "string" || !("payload" in v)) {
    throw new FieldError("invalid", notIt, { message: `This file is not ${what}: ${extra.length ? `unexpected ${extra.join(", ")}` : "its signature block is incomplete"}.` });
  }
  const envelope = v as unknown as SignedEnvelope<F, unknown>;
  if (!verifyEnvelope(envelope)) {
    throw new FieldError("invalid", "field_signature_invalid", {
      message: "The signature does not match the contents: this file was changed after it was signed (or damaged). Nothing was imported; ask for the file again.",
    });
  }
  return envelope;
}

// ---------------------------------------------------------------------------------------------
// The kit's contents

const uuid = z.string().uuid();
const text = (max: number) => z.string().max(max);
const label = z.object({ id: uuid, labelEn: text(120), labelFr: text(120) }).strict();
const iso = z.string().datetime({ offset: true }).nullable();
const kitPayloadSchema = z
  .object({
    kitId: uuid,
    issuer: z.object({ instanceId: uuid, instanceName: text(200) }).strict(),
    programme: z
      .object({
        id: uuid,
        name: text(200).min(1),
        description: text(4000),
        thresholds: z.object({ quorumPercent: z.number().int().min(1).max(100), consensusPercent: z.number().int().min(51).max(100), broadSupportPermille: z.number().int().min(501).max(1000) }).strict(),
        retentionDays: z.number().int().min(1).max(3650),
        levels: z.array(label.extend({ key: z.string().regex(/^[a-z0-9_-]{1,40}$/), rank: z.number().int().min(0) }).strict()).min(1).max(50),
        localities: z.array(z.object({ id: uuid, name: text(120).min(1), levelId: uuid, parentId: uuid.nullable() }).strict()).max(20_000),
        themes: z.array(label).max(1000),
        addressees: z.array(label).max(1000),
      })
      .strict(),
    parentSession: z
      .object({ id: uuid, title: text(200).min(1), kind: z.enum(["roundtable", "local_dialogue", "plenary"]), levelId: uuid, localityId: uuid.nullable(), languages: z.array(z.enum(["fr", "en"])).min(1).max(2), timeZone: z.string().refine(isValidTimeZone), attributionMode: z.enum(["chatham_house", "anonymous", "on_the_record"]) })
      .strict()
      .nullable(),
    session: z
      .object({
        id: uuid,
        title: text(200).min(1),
        description: text(4000),
        coHosts: text(500),
        kind: z.enum(["roundtable", "local_dialogue", "plenary"]),
        levelId: uuid,
        localityId: uuid.nullable(),
        parentSessionId: uuid.nullable(),
        languages: z.array(z.enum(["fr", "en"])).min(1).max(2),
        startsAt: iso,
        endsAt: iso,
        timeZone: z.string().refine(isValidTimeZone, "not a time zone this instance knows"),
        attributionMode: z.enum(["chatham_house", "anonymous", "on_the_record"]),
        noteVisibility: z.enum(["participants", "staff"]),
        rosterVisibleToRoom: z.boolean(),
        scale: z.enum(["kaner", "fist_of_five", "consent", "agree_abstain_disagree", "agree_abstain_disagree_block"]),
        showNumbers: z.boolean(),
        agenda: z
          .array(z.object({ id: uuid, position: z.number().int().min(0), title: text(200).min(1), description: text(4000), plannedMinutes: z.number().int().min(1).max(24 * 60), panelists: text(1000), attributionMode: z.enum(["chatham_house", "anonymous", "on_the_record"]).nullable() }).strict())
          .max(200),
      })
      .strict(),
  })
  .strict()
  .superRefine((kit, ctx) => {
    const levelIds = new Set(kit.programme.levels.map((l) => l.id));
    const placeIds = new Set(kit.programme.localities.map((l) => l.id));
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    kit.programme.localities.forEach((l, i) => {
      if (!levelIds.has(l.levelId)) problem(["programme", "localities", i, "levelId"], "does not name a level of the kit");
      if (l.parentId && !placeIds.has(l.parentId)) problem(["programme", "localities", i, "parentId"], "does not name a locality of the kit");
    });
    for (const [s, at] of [
      [kit.session, "session"],
      [kit.parentSession, "parentSession"],
    ] as const) {
      if (!s) continue;
      if (!levelIds.has(s.levelId)) problem([at, "levelId"], "does not name a level of the kit");
      if (s.localityId && !placeIds.has(s.localityId)) problem([at, "localityId"], "does not name a locality of the kit");
    }
    if (kit.session.parentSessionId !== (kit.parentSession?.id ?? null)) problem(["session", "parentSessionId"], "is not the kit's parent session");
    if (kit.parentSession?.id === kit.session.id) problem(["parentSession", "id"], "is the session itself");
  });

function kitProblems(error: z.ZodError) {
  return error.issues.slice(0, 5).map((i) => ({ path: `/payload/${i.path.join("/")}`, message: i.message }));
}

const keyInput = z.object({
  fingerprint: z
    .string({ required_error: "required" })
    .trim()
    .min(1, "required")
    .max(200, "fingerprint_invalid")
    .transform((v, ctx) => {
      const parsed = parseFingerprint(v);
      if (!parsed) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "fingerprint_invalid" });
        return z.NEVER;
      }
      return parsed;
    }),
  label: labelSchema,
});

const msOf = (text: string | null) => (text === null ? null : Date.parse(text));

/** The localities of a tree, parents before children (orphans treated as roots). */
function treeOrder<T extends { id: string; parentId: string | null; name: string }>(rows: T[]): T[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, T[]>();
  for (const r of rows) {
    const parent = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: T[] = [];
  const seen = new Set<string>();
  const queue = [...(children.get(null) ?? [])];
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    out.push(next);
    queue.push(...(children.get(next.id) ?? []).sort((a, b) => a.name.localeCompare(b.name)));
  }
  // A cycle in the stored tree (never made by the app) still lists every place once.
  for (const r of rows) if (!seen.has(r.id)) out.push({ ...r, parentId: null });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The domain service

export type FieldProvenance = {
  publicationNumber: number;
  sourceInstanceName: string;
  keyFingerprint: string;
  keyLabel: string | null;
  keyRevoked: boolean;
  signedAt: number;
  importedAt: number;
};

export function createField(deps: { db: Db; now: () => number; access: Access; audit: Audit; imports: Imports; exports: Exports; instanceName?: string }) {
  const { db, now, access, audit, imports, exports } = deps;
  const instanceName = deps.instanceName?.trim() || DEFAULT_INSTANCE_NAME;

  // ---- This instance's key ----

  function storedKeys(): (KeyPair & { fingerprint: string }) | null {
    const row = db.select({ publicKey: instance.signingPublicKey, privateKey: instance.signingPrivateKey }).from(instance).where(eq(instance.singleton, 1)).get();
    if (!row?.publicKey || !row.privateKey) return null;
    return { publicKey: row.publicKey, privateKey: row.privateKey, fingerprint: fingerprintOf(row.publicKey) };
  }

  /** This instance's key pair, made on first use and kept (a concurrent first use keeps the first). */
  function instanceKeys(): KeyPair & { fingerprint: string } {
    const found = storedKeys();
    if (found) return found;
    instanceIdentity(db, now);
    const made = generateSigningKeyPair();
    db.update(instance)
      .set({ signingPublicKey: made.publicKey, signingPrivateKey: made.privateKey })
      .where(and(eq(instance.singleton, 1), isNull(instance.signingPublicKey)))
      .run();
    return storedKeys()!;
  }

  /** This instance's fingerprint as people read it, or null before it has a key. */
  function fingerprint(): { full: string; display: string } | null {
    const keys = storedKeys();
    return keys ? { full: keys.fingerprint, display: formatFingerprint(keys.fingerprint) } : null;
  }

  function requireAccount(actor: Actor) {
    const a = access.requireActor(actor);
    if (a.isGuest) throw new DomainError("forbidden", "account_required");
    return a;
  }

  // ---- National side: kits ----

  function issuedKits(programmeId: string) {
    return db.select({ id: fieldKits.id, sessionId: fieldKits.sessionId, signedAt: fieldKits.signedAt }).from(fieldKits).where(and(eq(fieldKits.programmeId, programmeId), eq(fieldKits.direction, "issued"))).orderBy(desc(fieldKits.signedAt)).all();
  }

  /** The programme's field page: this instance's fingerprint, sessions a kit can be made for, kits made, keys. */
  function programmeField(actor: Actor, programmeId: string) {
    const { programme, role } = access.requireProgramme(actor, programmeId, "programme.field.kits");
    const sessions = db
      .select({ id: dialogueSessions.id, title: dialogueSessions.title, status: dialogueSessions.status, startsAt: dialogueSessions.startsAt })
      .from(dialogueSessions)
      .where(eq(dialogueSessions.programmeId, programmeId))
      .orderBy(asc(dialogueSessions.title))
      .all();
    const kits = issuedKits(programmeId);
    const imported = new Set(
      sessions.length
        ? db.select({ sessionId: sessionImports.sessionId }).from(sessionImports).where(inArray(sessionImports.sessionId, sessions.map((s) => s.id))).all().map((r) => r.sessionId)
        : [],
    );
    return {
      programme: { id: programme.id, name: programme.name },
      role,
      fingerprint: fingerprint(),
      plannable: sessions.filter((s) => (PLANNABLE as readonly string[]).includes(s.status) && imports.isPlanned(s.id)),
      kits: kits.map((k) => ({ ...k, title: sessions.find((s) => s.id === k.sessionId)?.title ?? "", returned: imported.has(k.sessionId) })),
      keys: keysOf(programmeId),
    };
  }

  /**
   * A signed field kit for a session of the programme that has not run yet (draft or scheduled, nothing
   * recorded): the programme's levels, localities, themes, addressees and thresholds, the parent
   * session and the session with its agenda, all with their ids. Audited.
   */
  function exportKit(actor: Actor, programmeId: string, sessionId: unknown): { kit: FieldKit; filename: string; body: string } {
    const { actor: a, programme } = access.requireProgramme(actor, programmeId, "programme.field.kits");
    const id = typeof sessionId === "string" && uuid.safeParse(sessionId).success ? sessionId : null;
    const session = id ? db.select().from(dialogueSessions).where(and(eq(dialogueSessions.id, id), eq(dialogueSessions.programmeId, programmeId))).get() : undefined;
    if (!session) throw new DomainError("invalid", "invalid_input", { sessionId: ["choice_invalid"] });
    if (!(PLANNABLE as readonly string[]).includes(session.status) || !imports.isPlanned(session.id)) {
      throw new FieldError("conflict", "kit_session_not_plannable", { message: "A kit can only be made for a session that has not been run yet (draft or scheduled)." });
    }
    const levelRows = db.select().from(levels).where(eq(levels.programmeId, programmeId)).orderBy(asc(levels.rank), asc(levels.key)).all();
    const places = treeOrder(db.select({ id: localities.id, name: localities.name, levelId: localities.levelId, parentId: localities.parentId }).from(localities).where(eq(localities.programmeId, programmeId)).all());
    const labels = (rows: { id: string; labelEn: string; labelFr: string }[]) => rows.map((r) => ({ id: r.id, labelEn: r.labelEn, labelFr: r.labelFr })).sort((x, y) => x.labelEn.localeCompare(y.labelEn) || (x.id < y.id ? -1 : 1));
    const parent = session.parentSessionId ? db.select().from(dialogueSessions).where(and(eq(dialogueSessions.id, session.parentSessionId), eq(dialogueSessions.programmeId, programmeId))).get() : undefined;
    const items = db.select().from(agendaItems).where(eq(agendaItems.sessionId, session.id)).orderBy(asc(agendaItems.position), asc(agendaItems.id)).all();
    const t = now();
    const identity = instanceIdentity(db, now);
    const payload: FieldKitPayload = {
      kitId: newId(),
      issuer: { instanceId: identity.id, instanceName },
      programme: {
        id: programme.id,
        name: programme.name,
        description: programme.description,
        thresholds: { quorumPercent: programme.quorumPercent, consensusPercent: programme.consensusPercent, broadSupportPermille: programme.broadSupportPermille },
        retentionDays: programme.retentionDays,
        levels: levelRows.map((l) => ({ id: l.id, key: l.key, labelEn: l.labelEn, labelFr: l.labelFr, rank: l.rank })),
        localities: places.map((p) => ({ id: p.id, name: p.name, levelId: p.levelId, parentId: p.parentId })),
        themes: labels(db.select().from(themes).where(eq(themes.programmeId, programmeId)).all()),
        addressees: labels(db.select().from(addressees).where(eq(addressees.programmeId, programmeId)).all()),
      },
      parentSession: parent
        ? { id: parent.id, title: parent.title, kind: parent.kind, levelId: parent.levelId, localityId: parent.localityId, languages: parent.languages, timeZone: parent.timeZone, attributionMode: parent.attributionMode }
        : null,
      session: {
        id: session.id,
        title: session.title,
        description: session.description,
        coHosts: session.coHosts,
        kind: session.kind,
        levelId: session.levelId,
        localityId: session.localityId,
        parentSessionId: parent ? parent.id : null,
        languages: session.languages,
        startsAt: isoOrNull(session.startsAt),
        endsAt: isoOrNull(session.endsAt),
        timeZone: session.timeZone,
        attributionMode: session.attributionMode,
        noteVisibility: session.noteVisibility,
        rosterVisibleToRoom: session.rosterVisibleToRoom,
        scale: session.scale,
        showNumbers: session.showNumbers,
        agenda: items.map((item, position) => ({ id: item.id, position, title: item.title, description: item.description, plannedMinutes: Math.max(1, Math.round(item.plannedMs / 60_000)), panelists: item.panelists, attributionMode: item.attributionMode })),
      },
    };
    const check = kitPayloadSchema.safeParse(payload);
    if (!check.success) throw new Error(`The kit for session ${session.id} failed its own check: ${JSON.stringify(kitProblems(check.error))}`);
    const keys = instanceKeys();
    const kit = signEnvelope(KIT_FORMAT, payload, keys, new Date(t));
    db.insert(fieldKits).values({ id: payload.kitId, direction: "issued", programmeId, sessionId: session.id, signerFingerprint: keys.fingerprint, signedAt: t, recordedAt: t }).run();
    audit.record({ action: "field.kit_exported", actorUserId: a.userId, programmeId, sessionId: session.id, targetId: payload.kitId, details: { fingerprint: keys.fingerprint.slice(0, FINGERPRINT_HEX_DIGITS) } });
    return { kit, filename: fieldFileName("kit", session.title), body: serialiseSigned(kit) };
  }

  // ---- National side: laptop keys ----

  function keysOf(programmeId: string) {
    return db
      .select({ id: fieldKeys.id, fingerprint: fieldKeys.fingerprint, label: fieldKeys.label, registeredAt: fieldKeys.registeredAt, revokedAt: fieldKeys.revokedAt, seen: fieldKeys.publicKey })
      .from(fieldKeys)
      .where(eq(fieldKeys.programmeId, programmeId))
      .orderBy(asc(fieldKeys.registeredAt))
      .all()
      .map((k) => ({ id: k.id, fingerprint: formatFingerprint(k.fingerprint), label: k.label, registeredAt: k.registeredAt, revokedAt: k.revokedAt, bundlesSeen: k.seen !== null }));
  }

  function listKeys(actor: Actor, programmeId: string) {
    access.requireProgramme(actor, programmeId, "programme.field.keys");
    return keysOf(programmeId);
  }

  /** Registers a laptop's fingerprint (as read out) with a label. Audited (the fingerprint, not the label). */
  function registerKey(actor: Actor, programmeId: string, input: unknown): { id: string; fingerprint: string } {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.field.keys");
    const data = parseOrThrow(keyInput, input);
    const existing = db.select({ id: fieldKeys.id, revokedAt: fieldKeys.revokedAt }).from(fieldKeys).where(and(eq(fieldKeys.programmeId, programmeId), eq(fieldKeys.fingerprint, data.fingerprint))).get();
    if (existing) throw new FieldError("conflict", "key_duplicate", { message: existing.revokedAt ? "This key was registered and then revoked: it cannot be registered again." : "This key is already registered for the programme." }, { fingerprint: ["key_duplicate"] });
    const id = newId();
    db.insert(fieldKeys).values({ id, programmeId, fingerprint: data.fingerprint, label: data.label, publicKey: null, registeredBy: a.userId, registeredAt: now(), revokedAt: null, revokedBy: null }).run();
    audit.record({ action: "field.key_registered", actorUserId: a.userId, programmeId, targetId: id, details: { fingerprint: data.fingerprint } });
    return { id, fingerprint: formatFingerprint(data.fingerprint) };
  }

  /** Revokes a registered key: no bundle it signs is accepted any more; what it brought stays. Audited. */
  function revokeKey(actor: Actor, programmeId: string, keyId: unknown) {
    const { actor: a } = access.requireProgramme(actor, programmeId, "programme.field.keys");
    const id = typeof keyId === "string" ? keyId : "";
    const row = db.select().from(fieldKeys).where(and(eq(fieldKeys.id, id), eq(fieldKeys.programmeId, programmeId))).get();
    if (!row) throw new FieldError("not_found", "key_not_found", { message: "No such key in this programme." });
    if (row.revokedAt !== null) return;
    db.update(fieldKeys).set({ revokedAt: now(), revokedBy: a.userId }).where(eq(fieldKeys.id, row.id)).run();
    audit.record({ action: "field.key_revoked", actorUserId: a.userId, programmeId, targetId: row.id, details: { fingerprint: row.fingerprint } });
  }

  // ---- National side: bundles ----

  /**
   * Imports a laptop's signed bundle. Refused, changing nothing: a file that is not a bundle, of a newer
   * format, altered after signing (field_signature_invalid), whose session export is invalid or newer
   * (the importer's messages), for another programme than `programmeId` when given, signed by a key not
   * registered for the programme (bundle_key_unknown) or revoked (bundle_key_revoked), or already
   * imported (bundle_already_imported). Needs `programme.sessions.import` in the programme.
   */
  function importBundle(actor: Actor, file: unknown, programmeId?: string) {
    const a = requireAccount(actor);
    const envelope = readSigned(file, BUNDLE_FORMAT);
    const doc: SessionExport = imports.readExport(envelope.payload);
    if (programmeId && doc.programme.id !== programmeId) {
      throw new FieldError("invalid", "bundle_wrong_programme", { message: `This bundle is for another programme ("${doc.programme.name}"): import it from that programme's field page.` });
    }
    access.requireProgramme(actor, doc.programme.id, "programme.sessions.import");
    const short = envelope.keyFingerprint.slice(0, FINGERPRINT_HEX_DIGITS);
    const display = formatFingerprint(envelope.keyFingerprint);
    const key = db.select().from(fieldKeys).where(and(eq(fieldKeys.programmeId, doc.programme.id), eq(fieldKeys.fingerprint, short))).get();
    if (!key || (key.publicKey !== null && key.publicKey !== envelope.publicKey) || !fingerprintMatches(envelope.keyFingerprint, key.fingerprint)) {
      throw new FieldError("forbidden", "bundle_key_unknown", { message: `This bundle is signed by a laptop key that is not registered for this programme (${display}). Register the laptop's fingerprint first, after checking it with the rapporteur.`, fingerprint: display });
    }
    if (key.revokedAt !== null) {
      throw new FieldError("forbidden", "bundle_key_revoked", { message: `This bundle is signed by a laptop key that was revoked (${display}, "${key.label}"): it is not accepted.`, fingerprint: display });
    }
    const already = db.select({ importedAt: sessionImports.importedAt }).from(sessionImports).where(and(eq(sessionImports.sessionId, doc.session.id), eq(sessionImports.publicationNumber, doc.publication.number))).get();
    if (already) {
      throw new FieldError("conflict", "bundle_already_imported", { message: `This bundle was already imported: version ${doc.publication.number} of this session is here. Nothing was added.`, importedAt: already.importedAt });
    }
    const existing = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.id, doc.session.id)).get();
    const cameBefore = existing ? !!db.select({ id: sessionImports.id }).from(sessionImports).where(eq(sessionImports.sessionId, existing.id)).get() : false;
    if (existing && !cameBefore && !imports.isPlanned(existing.id)) {
      throw new FieldError("conflict", "bundle_session_already_held", { message: "This session has already been held or recorded on this instance: the bundle was not imported." });
    }
    const kitIssued = !!db.select({ id: fieldKits.id }).from(fieldKits).where(and(eq(fieldKits.sessionId, doc.session.id), eq(fieldKits.direction, "issued"))).get();
    const signedAt = Date.parse(envelope.signedAt);
    return db.transaction(() => {
      const report: ImportReport = imports.importSession(actor, doc, {}, { fillPlannedSession: kitIssued, field: { fieldKeyId: key.id, keyFingerprint: envelope.keyFingerprint, signedAt } });
      if (key.publicKey === null) db.update(fieldKeys).set({ publicKey: envelope.publicKey }).where(eq(fieldKeys.id, key.id)).run();
      audit.record({
        action: "field.bundle_imported",
        actorUserId: a.userId,
        programmeId: doc.programme.id,
        sessionId: doc.session.id,
        targetId: key.id,
        details: { fingerprint: short, number: doc.publication.number, sourceInstanceId: doc.provenance.instanceId, filledKitSession: kitIssued && report.mode === "session" },
      });
      return { report, key: { id: key.id, label: key.label, fingerprint: display }, signedAt };
    });
  }

  // ---- Laptop side: kits ----

  /**
   * Imports a field kit: checks its signature, pins the national key for the programme (refusing a
   * kit for a pinned programme signed by another key), recreates the programme's context with the same
   * ids and the session ready to run (scheduled), and makes this laptop's key pair if it has none.
   * The importer becomes the programme's organiser when the programme is new here. Audited.
   */
  function importKit(actor: Actor, file: unknown) {
    const a = requireAccount(actor);
    const envelope = readSigned(file, KIT_FORMAT);
    const parsed = kitPayloadSchema.safeParse(envelope.payload);
    if (!parsed.success) {
      const problems = kitProblems(parsed.error);
      throw new FieldError("invalid", "kit_invalid", { message: `This kit is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}.`, problems });
    }
    const kit = parsed.data;
    const national = { full: envelope.keyFingerprint, display: formatFingerprint(envelope.keyFingerprint) };
    const own = storedKeys();
    if (own && own.fingerprint === envelope.keyFingerprint) {
      throw new FieldError("conflict", "kit_own_instance", { message: "This kit was made by this instance: import it on the field laptop." });
    }
    const pin = db.select().from(fieldPins).where(eq(fieldPins.programmeId, kit.programme.id)).get();
    if (pin && pin.publicKey !== envelope.publicKey) {
      throw new FieldError("forbidden", "kit_key_mismatch", {
        message: `This kit is signed by a key (${national.display}) other than the national key this laptop pinned for the programme (${formatFingerprint(pin.fingerprint)}). It was not imported.`,
        fingerprint: national.display,
      });
    }
    const programmeHere = db.select({ id: programmes.id }).from(programmes).where(eq(programmes.id, kit.programme.id)).get();
    if (programmeHere && !pin) throw new FieldError("conflict", "kit_programme_not_pinned", { message: "This programme was created on this instance, not from a field kit: the kit was not imported." });
    if (programmeHere) access.requireProgramme(actor, kit.programme.id, "programme.configure");
    const received = db.select({ id: fieldKits.id }).from(fieldKits).where(and(eq(fieldKits.direction, "received"), eq(fieldKits.id, kit.kitId))).get();
    const sessionHere = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.id, kit.session.id)).get();
    if (received || sessionHere) {
      throw new FieldError("conflict", "kit_already_imported", { message: "This kit's session is already on this laptop: nothing was changed." });
    }
    // Ids used here by another programme's records: the kit cannot keep them.
    const clash = (table: typeof levels | typeof localities | typeof themes | typeof addressees, ids: string[]) =>
      ids.length > 0 && db.select({ id: table.id, programmeId: table.programmeId }).from(table).where(inArray(table.id, ids)).all().some((r) => r.programmeId !== kit.programme.id);
    const parentRow = kit.parentSession ? db.select({ programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, kit.parentSession.id)).get() : undefined;
    if (
      clash(levels, kit.programme.levels.map((l) => l.id)) ||
      clash(localities, kit.programme.localities.map((l) => l.id)) ||
      clash(themes, kit.programme.themes.map((l) => l.id)) ||
      clash(addressees, kit.programme.addressees.map((l) => l.id)) ||
      (parentRow && parentRow.programmeId !== kit.programme.id)
    ) {
      throw new FieldError("conflict", "kit_conflict", { message: "Some of this kit's identifiers are already used on this laptop by another programme: nothing was imported." });
    }

    const t = now();
    const signedAt = Date.parse(envelope.signedAt);
    try {
      db.transaction(() => {
        const p = kit.programme;
        const settings = { name: p.name, description: p.description, ...p.thresholds, retentionDays: p.retentionDays };
        if (programmeHere) db.update(programmes).set(settings).where(eq(programmes.id, p.id)).run();
        else {
          db.insert(programmes).values({ id: p.id, ...settings, createdAt: t }).run();
          db.insert(programmeMembers).values({ id: newId(), programmeId: p.id, userId: a.userId, role: "organiser", createdAt: t }).run();
        }
        const upsertLabels = (table: typeof themes | typeof addressees, rows: { id: string; labelEn: string; labelFr: string }[]) => {
          for (const r of rows) db.insert(table).values({ id: r.id, programmeId: p.id, labelEn: r.labelEn, labelFr: r.labelFr }).onConflictDoUpdate({ target: table.id, set: { labelEn: r.labelEn, labelFr: r.labelFr } }).run();
        };
        for (const l of p.levels) db.insert(levels).values({ id: l.id, programmeId: p.id, key: l.key, labelEn: l.labelEn, labelFr: l.labelFr, rank: l.rank }).onConflictDoUpdate({ target: levels.id, set: { labelEn: l.labelEn, labelFr: l.labelFr } }).run();
        for (const l of p.localities) db.insert(localities).values({ id: l.id, programmeId: p.id, parentId: l.parentId, levelId: l.levelId, name: l.name }).onConflictDoUpdate({ target: localities.id, set: { name: l.name, parentId: l.parentId, levelId: l.levelId } }).run();
        upsertLabels(themes, p.themes);
        upsertLabels(addressees, p.addressees);

        const ps = kit.parentSession;
        if (ps && !parentRow) {
          // The session this one feeds, as a reference only: it is held elsewhere.
          db.insert(dialogueSessions).values({ id: ps.id, programmeId: p.id, levelId: ps.levelId, localityId: ps.localityId, parentSessionId: null, title: ps.title, description: "", coHosts: "", kind: ps.kind, languages: ps.languages, timeZone: ps.timeZone, attributionMode: ps.attributionMode, noteVisibility: "staff", rosterVisibleToRoom: false, status: "draft", joinCode: null, createdAt: t }).run();
        }
        const s = kit.session;
        db.insert(dialogueSessions)
          .values({
            id: s.id,
            programmeId: p.id,
            levelId: s.levelId,
            localityId: s.localityId,
            parentSessionId: s.parentSessionId,
            title: s.title,
            description: s.description,
            coHosts: s.coHosts,
            kind: s.kind,
            languages: s.languages,
            startsAt: msOf(s.startsAt),
            endsAt: msOf(s.endsAt),
            timeZone: s.timeZone,
            attributionMode: s.attributionMode,
            noteVisibility: s.noteVisibility,
            rosterVisibleToRoom: s.rosterVisibleToRoom,
            scale: s.scale,
            showNumbers: s.showNumbers,
            status: "scheduled",
            joinCode: null,
            createdAt: t,
          })
          .run();
        s.agenda.forEach((item, position) => {
          db.insert(agendaItems).values({ id: item.id, sessionId: s.id, position, title: item.title, description: item.description, plannedMs: item.plannedMinutes * 60_000, panelists: item.panelists, attributionMode: item.attributionMode }).run();
        });
        if (!pin) db.insert(fieldPins).values({ programmeId: p.id, publicKey: envelope.publicKey, fingerprint: envelope.keyFingerprint, issuerInstanceId: kit.issuer.instanceId, issuerName: kit.issuer.instanceName, pinnedAt: t }).run();
        db.insert(fieldKits).values({ id: kit.kitId, direction: "received", programmeId: p.id, sessionId: s.id, signerFingerprint: envelope.keyFingerprint, signedAt, recordedAt: t }).run();
        audit.record({ action: "field.kit_imported", actorUserId: a.userId, programmeId: p.id, sessionId: s.id, targetId: kit.kitId, details: { fingerprint: envelope.keyFingerprint.slice(0, FINGERPRINT_HEX_DIGITS), pinned: !pin } });
      });
    } catch (e) {
      if (isDomainError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT")) {
        throw new FieldError("conflict", "kit_conflict", { message: "Some of this kit's identifiers or level keys clash with what is already on this laptop: nothing was imported." });
      }
      throw e;
    }
    const laptop = instanceKeys();
    return {
      programmeId: kit.programme.id,
      sessionId: kit.session.id,
      title: kit.session.title,
      national: { fingerprint: national.display, name: kit.issuer.instanceName, pinnedNow: !pin },
      laptop: { fingerprint: formatFingerprint(laptop.fingerprint) },
    };
  }

  /** The laptop page: this laptop's fingerprint, and the sessions it received in kits that the actor may see. */
  function laptop(actor: Actor) {
    const a = requireAccount(actor);
    const rows = db
      .select({ kitId: fieldKits.id, sessionId: fieldKits.sessionId, signedAt: fieldKits.signedAt, recordedAt: fieldKits.recordedAt, national: fieldKits.signerFingerprint, title: dialogueSessions.title, status: dialogueSessions.status, programmeName: programmes.name })
      .from(fieldKits)
      .innerJoin(dialogueSessions, eq(dialogueSessions.id, fieldKits.sessionId))
      .innerJoin(programmes, eq(programmes.id, fieldKits.programmeId))
      .where(eq(fieldKits.direction, "received"))
      .orderBy(desc(fieldKits.recordedAt))
      .all();
    const sessions = rows
      .map((r) => {
        let can: string[] = [];
        try {
          can = access.requireSession(a, r.sessionId, "session.view").can;
        } catch {
          return null;
        }
        const latest = db.select({ number: publications.number }).from(publications).where(eq(publications.sessionId, r.sessionId)).orderBy(desc(publications.number)).get();
        return { ...r, national: formatFingerprint(r.national), published: latest?.number ?? null, canExport: can.includes("summary.export") };
      })
      .filter((r): r is NonNullable<typeof r> => r !== null);
    return { fingerprint: fingerprint(), sessions };
  }

  // ---- Laptop side: bundles ----

  /**
   * The session's latest published version as a bundle signed by this laptop (the export format inside,
   * docs/export-format.md). Needs `summary.export` in the session and a published summary. Audited.
   */
  function exportBundle(actor: Actor, sessionId: string): { bundle: FieldBundle; filename: string; body: string } {
    const { actor: a, session } = access.requireSession(actor, sessionId, "summary.export");
    const latest = db.select({ number: publications.number }).from(publications).where(eq(publications.sessionId, session.id)).orderBy(desc(publications.number)).get();
    if (!latest) throw new FieldError("conflict", "bundle_needs_publication", { message: "Finalise the session and publish its summary first: the bundle carries the published version." });
    const doc = exports.session(actor, session.id, latest.number);
    const keys = instanceKeys();
    const bundle = signEnvelope(BUNDLE_FORMAT, doc as unknown, keys, new Date(now()));
    audit.record({ action: "field.bundle_exported", actorUserId: a.userId, programmeId: session.programmeId, sessionId: session.id, targetId: session.id, details: { number: latest.number, fingerprint: keys.fingerprint.slice(0, FINGERPRINT_HEX_DIGITS) } });
    return { bundle, filename: fieldFileName("bundle", session.title, latest.number), body: serialiseSigned(bundle) };
  }

  // ---- Provenance ----

  /** Where a session's imported versions came from, for those that came in field bundles. */
  function provenance(sessionId: string): FieldProvenance[] {
    return db
      .select({ n: sessionImports.publicationNumber, name: sessionImports.sourceInstanceName, fp: sessionImports.keyFingerprint, signedAt: sessionImports.signedAt, importedAt: sessionImports.importedAt, label: fieldKeys.label, revokedAt: fieldKeys.revokedAt })
      .from(sessionImports)
      .leftJoin(fieldKeys, eq(fieldKeys.id, sessionImports.fieldKeyId))
      .where(eq(sessionImports.sessionId, sessionId))
      .orderBy(asc(sessionImports.publicationNumber))
      .all()
      .filter((r) => r.fp !== null && r.signedAt !== null)
      .map((r) => ({ publicationNumber: r.n, sourceInstanceName: r.name, keyFingerprint: formatFingerprint(r.fp!), keyLabel: r.label, keyRevoked: r.revokedAt !== null, signedAt: r.signedAt!, importedAt: r.importedAt }));
  }

  /** For a session page: its field provenance and the recommendations it brought (empty when none). */
  function sessionProvenance(sessionId: string) {
    const rows = provenance(sessionId);
    if (!rows.length) return null;
    const recs = db.select({ id: recommendations.id, text: recommendations.text, status: recommendations.status }).from(recommendations).where(eq(recommendations.sessionId, sessionId)).orderBy(asc(recommendations.createdAt), asc(recommendations.id)).all();
    return { imports: rows, recommendations: recs };
  }

  /** For lists of recommendations (consolidation): each id's field provenance (first import), if any. */
  function recommendationProvenance(recommendationIds: string[]): Map<string, FieldProvenance> {
    const out = new Map<string, FieldProvenance>();
    if (!recommendationIds.length) return out;
    const recs = db.select({ id: recommendations.id, sessionId: recommendations.sessionId }).from(recommendations).where(inArray(recommendations.id, recommendationIds)).all();
    const bySession = new Map<string, FieldProvenance | null>();
    for (const r of recs) {
      if (!bySession.has(r.sessionId)) bySession.set(r.sessionId, provenance(r.sessionId)[0] ?? null);
      const p = bySession.get(r.sessionId);
      if (p) out.set(r.id, p);
    }
    return out;
  }

  return { instanceKeys, fingerprint, programmeField, exportKit, listKeys, registerKey, revokeKey, importBundle, importKit, laptop, exportBundle, provenance, sessionProvenance, recommendationProvenance };
}
export type Field = ReturnType<typeof createField>;
