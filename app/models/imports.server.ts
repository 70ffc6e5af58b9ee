/**
 * Importing a session export (docs/export-format.md) made by another instance, or by this one.
 *
 * The file is parsed, checked against the JSON Schema and for consistency, and refused with a
 * specific message when it is not JSON, does not fit, or comes from a newer format. Then it is
 * attached: to the programme it names when that programme exists here (same id), otherwise to the
 * programme the importer chose; to the parent session it names when that session is in the
 * programme, otherwise to the one chosen (or to none). When a choice is needed and was not made, the
 * answer says what the file names, so that the interface can ask.
 *
 * Everything is written in one transaction: any refusal or error changes nothing. The same session
 * and version imported twice is refused as a duplicate; a later version of a session imported
 * earlier from the same instance adds that version only (the session's record is frozen at
 * finalisation). Only a programme organiser of the programme attached to may import.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import {
  addressees,
  agendaItems,
  dialogueSessions,
  levels,
  localities,
  notes,
  programmes,
  publications,
  recommendationRevisions,
  recommendationLinks,
  recommendations,
  recommendationSources,
  sessionImports,
  themes,
  votes,
} from "../../db/schema";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError, isDomainError, type ErrorCode, type FieldErrors } from "./errors";
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportLabel, type ExportRound, type ImportErrorKey, type ImportProblem, type SessionExport } from "./export-format";
import { exportHash, validateExport } from "./exports.server";
import { ancestorsOf, linkRefusal } from "./linking";
import { newId } from "./tokens.server";

/** Larger files are refused before parsing (a national session's export is a few megabytes at most). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MINUTE = 60_000;

/** Where to attach an export whose programme or parent session is not known here. */
export type ImportTarget = {
  programmeId?: string;
  /** A session of the programme to attach under; null: attach with no parent; absent: not chosen. */
  parentSessionId?: string | null;
};

export type ImportErrorDetails = {
  /** English, for the command line and logs; the interface shows its catalogue's text for the key. */
  message: string;
  problems?: ImportProblem[];
  formatVersion?: number;
  supportedFormatVersion?: number;
  /** import_needs_target: what must be chosen, and what the file names. */
  needs?: ("programme" | "parentSession")[];
  programme?: { id: string; name: string };
  parentSession?: { id: string; title: string } | null;
  sessionId?: string;
  publicationNumber?: number;
};

/**
 * A refused import. It is a DomainError (code and message key, e.g. "invalid" + "import_invalid"),
 * with details for the interface: the problems found, or what the file names.
 */
export class ImportError extends DomainError {
  readonly details: ImportErrorDetails;
  constructor(code: ErrorCode, key: ImportErrorKey, details: ImportErrorDetails, fields?: FieldErrors) {
    super(code, key, fields);
    this.details = details;
  }
}

/** How a field bundle's import differs from a plain one (app/models/field.server.ts, docs/field.md). */
export type ImportOptions = {
  /**
   * The session was planned here and sent out in a field kit: when it is still as planned (draft or
   * scheduled, no notes, recommendations or publications), the file's record fills it in place
   * (same id, same parent) instead of being refused as a conflict.
   */
  fillPlannedSession?: boolean;
  /** The registered laptop key that signed the bundle, kept with the import's provenance. */
  field?: { fieldKeyId: string; keyFingerprint: string; signedAt: number };
};

/** How an id of the file was matched here. */
export type MappingHow = "same_id" | "same_key" | "same_label" | "same_name" | "created" | "created_new_id";
export type Mapping = { exportedId: string; localId: string; how: MappingHow };

export type ImportReport = {
  sessionId: string;
  programmeId: string;
  publicationNumber: number;
  /** "session": the session and its version were created; "publication": a later version was added. */
  mode: "session" | "publication";
  attachedBy: { programme: "same_id" | "target" | "existing_session"; parentSession: "same_id" | "target" | "none" | "existing_session" };
  parentSessionId: string | null;
  created: { agendaItems: number; keyPoints: number; recommendations: number; rounds: number; links: number };
  mapped: { levels: Mapping[]; localities: Mapping[]; themes: Mapping[]; addressees: Mapping[] };
  /**
   * Links the file carries (`drawsOn`) that were not stored: their local recommendation is not on this
   * instance (import the local sessions first), or it is not below the imported session here.
   */
  skipped: { links: number };
  source: { instanceId: string; instanceName: string; exportedAt: string };
};

function problemFields(problems: ImportProblem[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const p of problems) (fields[p.path || "/"] ??= []).push(p.message);
  return fields;
}

/** Text, bytes or an already parsed value -> the parsed value; refuses what is not JSON. */
function parse(json: unknown): unknown {
  let text: string;
  if (typeof json === "string") text = json;
  else if (json instanceof Uint8Array) {
    if (json.byteLength > MAX_IMPORT_BYTES) throw tooLarge();
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(json);
    } catch {
      throw new ImportError("invalid", "import_not_json", { message: "This file is not JSON: it is not even text in UTF-8." });
    }
  } else if (json !== null && typeof json === "object") return json;
  else throw new ImportError("invalid", "import_not_json", { message: "This file is not JSON." });
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) throw tooLarge();
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ImportError("invalid", "import_not_json", { message: `This file is not JSON (${(e as Error).message}).` });
  }
}

function tooLarge() {
  return new ImportError("invalid", "import_too_large", { message: `This file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` });
}

/** A Parley export of a newer format: say so before the schema says something less helpful. */
function refuseNewer(value: unknown) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const v = value as { format?: unknown; formatVersion?: unknown };
  if (v.format === EXPORT_FORMAT && typeof v.formatVersion === "number" && Number.isInteger(v.formatVersion) && v.formatVersion > EXPORT_FORMAT_VERSION) {
    throw new ImportError("invalid", "import_newer_format", {
      message: `This file was made by a newer version of Parley (format ${v.formatVersion}); this instance reads up to format ${EXPORT_FORMAT_VERSION}.`,
      formatVersion: v.formatVersion,
      supportedFormatVersion: EXPORT_FORMAT_VERSION,
    });
  }
}

/** Parses and checks a file without touching the database: the export, or an ImportError. */
export function readExport(json: unknown): SessionExport {
  const value = parse(json);
  refuseNewer(value);
  const result = validateExport(value);
  if (!result.ok) {
    const list = result.problems.map((p) => `${p.path || "(the file)"} ${p.message}`).join("; ");
    throw new ImportError("invalid", "import_invalid", { message: `This file is not a valid Parley session export: ${list}.`, problems: result.problems }, problemFields(result.problems));
  }
  return result.doc;
}

const ms = (isoText: string) => new Date(isoText).getTime();
const sameText = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base" }) === 0;

/** The result as the consensus module stores it; counts the export withheld stay unknown (no numbers made up). */
function storedResult(r: ExportRound): Record<string, unknown> {
  if (r.declared) return { kind: "declared", declared: true, level: r.level };
  const base = { kind: "counted", declared: false, level: r.level, handsIncluded: r.handsIncluded, thresholds: r.thresholds, imported: true };
  const c = r.counts;
  if (!c) return { ...base, countsWithheld: true, devicePositions: r.handsOnly ? 0 : null, quorumReached: r.level !== "no_quorum" };
  return {
    ...base,
    taken: c.taken,
    eligible: c.eligible,
    support: c.support,
    neutral: c.neutral,
    oppose: c.oppose,
    block: c.block,
    share: c.taken === 0 ? 0 : c.support / c.taken,
    sharePercent: c.sharePercent,
    quorumReached: c.quorumReached,
    devicePositions: c.devicePositions,
    handPositions: c.handPositions,
  };
}

export function createImports(deps: { db: Db; now: () => number; access: Access; audit: Audit }) {
  const { db, now, access, audit } = deps;

  function sessionExists(id: string) {
    return db.select({ id: dialogueSessions.id, programmeId: dialogueSessions.programmeId, title: dialogueSessions.title }).from(dialogueSessions).where(eq(dialogueSessions.id, id)).get() ?? null;
  }

  /**
   * Imports a session export. `json` is the file (text or bytes) or its parsed value. Answers with a
   * report of what was created and how each id of the file was matched here; refuses with an
   * ImportError (import_not_json, import_too_large, import_invalid, import_newer_format,
   * import_needs_target, import_duplicate, import_conflict) or the usual access errors, changing
   * nothing.
   */
  function importSession(actor: Actor, json: unknown, target: ImportTarget = {}, options: ImportOptions = {}): ImportReport {
    const a = access.requireActor(actor);
    const targetProgrammeId = target.programmeId ? (UUID.test(target.programmeId) ? target.programmeId : null) : undefined;
    // Importing into a named programme (the import page): the right to do so is checked before the
    // file is read, so that the answers about the file (a session or parent that exists here, or not)
    // tell nothing to someone who may not import there.
    if (targetProgrammeId) access.requireProgramme(actor, targetProgrammeId, "programme.sessions.import");
    if (a.isGuest) throw new DomainError("forbidden", "account_required");
    const doc = readExport(json);
    if (targetProgrammeId === null) throw new DomainError("invalid", "invalid_input", { programmeId: ["choice_invalid"] });
    if (target.parentSessionId && !UUID.test(target.parentSessionId)) throw new DomainError("invalid", "invalid_input", { parentSessionId: ["choice_invalid"] });

    const existing = sessionExists(doc.session.id);
    const planned = existing && options.fillPlannedSession && existing.programmeId === doc.programme.id && isPlanned(existing.id);
    if (existing && !planned) return addPublication(a.userId, actor, doc, existing.programmeId, options);

    // Where to attach: the programme the file names if it is here, else the one chosen.
    const programmeHere = programmeExists(doc.programme.id);
    const programmeId = programmeHere ? doc.programme.id : (targetProgrammeId ?? null);
    const parentNamed = doc.context.parentSession;
    const parentHere = parentNamed && programmeId ? sessionExists(parentNamed.id) : null;
    const parentFound = parentHere && parentHere.programmeId === programmeId ? parentHere : null;
    const needs: ("programme" | "parentSession")[] = [];
    if (!programmeId) needs.push("programme");
    if (parentNamed && !parentFound && target.parentSessionId === undefined) needs.push("parentSession");
    if (needs.length) {
      throw new ImportError("invalid", "import_needs_target", {
        message: `Choose where to attach this session: ${needs.map((n) => (n === "programme" ? `the programme (the file names "${doc.programme.name}", unknown here)` : `the parent session (the file names "${parentNamed!.title}", unknown in that programme), or none`)).join(" and ")}.`,
        needs,
        programme: { id: doc.programme.id, name: doc.programme.name },
        parentSession: parentNamed,
      });
    }
    access.requireProgramme(actor, programmeId!, "programme.sessions.import");

    let parentSessionId: string | null = null;
    let parentHow: ImportReport["attachedBy"]["parentSession"] = "none";
    if (parentFound) {
      parentSessionId = parentFound.id;
      parentHow = "same_id";
    } else if (target.parentSessionId) {
      const chosen = sessionExists(target.parentSessionId);
      if (!chosen || chosen.programmeId !== programmeId) throw new DomainError("invalid", "invalid_input", { parentSessionId: ["choice_invalid"] });
      parentSessionId = chosen.id;
      parentHow = "target";
    }

    return guarded(() =>
      db.transaction(() => {
        const t = now();
        const mapped = mapTaxonomy(doc, programmeId!);
        const levelOf = (id: string) => mapped.levels.find((m) => m.exportedId === id)!.localId;
        const localityId = doc.context.locality ? mapped.localities.find((m) => m.exportedId === doc.context.locality!.id)!.localId : null;
        const themeOf = new Map(mapped.themes.map((m) => [m.exportedId, m.localId]));
        const addresseeOf = new Map(mapped.addressees.map((m) => [m.exportedId, m.localId]));
        const s = doc.session;

        const values = {
          id: s.id,
          programmeId: programmeId!,
          levelId: levelOf(doc.context.levelId),
          localityId,
          parentSessionId,
          title: s.title,
          description: s.description,
          coHosts: s.coHosts,
          kind: s.kind,
          languages: s.languages,
          startsAt: s.schedule.startsAt ? ms(s.schedule.startsAt) : null,
          endsAt: s.schedule.endsAt ? ms(s.schedule.endsAt) : null,
          timeZone: s.schedule.timeZone,
          attributionMode: s.attributionMode,
          // Live-room settings the file does not carry: the most protective ones.
          noteVisibility: "staff" as const,
          rosterVisibleToRoom: false,
          scale: s.scale,
          showNumbers: s.showNumbers,
          status: s.status,
          joinCode: null,
          endedAt: t,
          finalisedAt: t,
          createdAt: t,
        };
        if (planned) {
          // A planned session filled in place (a field kit's): its members stay; its planned agenda,
          // never run and referred to by nothing, gives way to the agenda as it was held.
          const { id: _id, createdAt: _createdAt, ...changes } = values;
          db.update(dialogueSessions).set(changes).where(eq(dialogueSessions.id, s.id)).run();
          db.delete(agendaItems).where(eq(agendaItems.sessionId, s.id)).run();
        } else db.insert(dialogueSessions).values(values).run();

        const itemMode = new Map(doc.agenda.map((item) => [item.id, item.attributionMode ?? s.attributionMode]));
        for (const item of doc.agenda) {
          db.insert(agendaItems)
            .values({
              id: item.id,
              sessionId: s.id,
              position: item.position,
              title: item.title,
              description: item.description,
              plannedMs: item.plannedMinutes * MINUTE,
              panelists: item.panelists ?? "",
              attributionMode: item.attributionMode,
              state: "done",
            })
            .run();
        }

        // Key points: visible, highlighted, no author of any kind; minutes in the file's order.
        const base = Math.floor(t / MINUTE) * MINUTE;
        doc.keyPoints.forEach((k, i) => {
          db.insert(notes)
            .values({
              id: k.id,
              sessionId: s.id,
              itemId: k.itemId,
              kind: k.kind,
              themeIds: k.themeIds.map((id) => themeOf.get(id)!),
              text: k.text,
              attributionMode: itemMode.get(k.itemId) ?? s.attributionMode,
              authorTag: null,
              authorUserId: null,
              clientId: null,
              status: "visible",
              mergedIntoId: null,
              highlighted: true,
              createdAt: base - (doc.keyPoints.length - i) * MINUTE,
              updatedAt: null,
            })
            .run();
        });

        let rounds = 0;
        doc.recommendations.forEach((r, i) => {
          const finalRound = r.revisions[r.revisions.length - 1].round;
          db.insert(recommendations)
            .values({
              id: r.id,
              sessionId: s.id,
              itemId: r.itemId,
              text: r.text,
              addresseeId: r.addresseeId ? addresseeOf.get(r.addresseeId)! : null,
              themeId: r.themeId ? themeOf.get(r.themeId)! : null,
              horizon: r.horizon,
              status: r.status,
              round: finalRound,
              createdAt: base - (doc.recommendations.length - i) * MINUTE,
            })
            .run();
          for (const v of r.revisions) db.insert(recommendationRevisions).values({ id: newId(), recommendationId: r.id, round: v.round, text: v.text, reason: v.reason, createdAt: base }).run();
          for (const noteId of r.sourceKeyPointIds) db.insert(recommendationSources).values({ recommendationId: r.id, noteId }).run();
          for (const round of r.rounds) {
            db.insert(votes)
              .values({
                id: newId(),
                recommendationId: r.id,
                round: round.round,
                scale: round.scale,
                eligible: round.counts?.eligible ?? 0,
                hiddenTally: false,
                handsHeadcount: null,
                hands: null,
                declaredLevel: round.declared ? round.level : null,
                result: storedResult(round),
                openedAt: base,
                closedAt: base,
              })
              .run();
            rounds++;
          }
        });

        const links = insertLinks(doc, s.id, programmeId!);
        insertPublication(doc, t, options);
        const report: ImportReport = {
          sessionId: s.id,
          programmeId: programmeId!,
          publicationNumber: doc.publication.number,
          mode: "session",
          attachedBy: { programme: programmeHere ? "same_id" : "target", parentSession: parentHow },
          parentSessionId,
          created: { agendaItems: doc.agenda.length, keyPoints: doc.keyPoints.length, recommendations: doc.recommendations.length, rounds, links: links.created },
          mapped,
          skipped: { links: links.skipped },
          source: { instanceId: doc.provenance.instanceId, instanceName: doc.provenance.instanceName, exportedAt: doc.provenance.exportedAt },
        };
        audit.record({
          action: "summary.imported",
          actorUserId: a.userId,
          programmeId: programmeId!,
          sessionId: s.id,
          targetId: s.id,
          details: {
            number: doc.publication.number,
            mode: "session",
            formatVersion: doc.formatVersion,
            sourceInstanceId: doc.provenance.instanceId,
            levelsCreated: created(mapped.levels),
            localitiesCreated: created(mapped.localities),
            themesCreated: created(mapped.themes),
            addresseesCreated: created(mapped.addressees),
          },
        });
        return report;
      }),
    );
  }

  /**
   * The links a higher session's export carries down to its local recommendations, stored where the
   * local recommendation is here and below the imported session (the rules of linking.ts); the others
   * are counted as skipped. Ids are kept across instances, so a commune imported earlier is found.
   */
  function insertLinks(doc: SessionExport, sessionId: string, programmeId: string) {
    let created = 0;
    let skipped = 0;
    const parentOf = (id: string) => db.select({ parent: dialogueSessions.parentSessionId }).from(dialogueSessions).where(eq(dialogueSessions.id, id)).get()?.parent ?? null;
    const chainOf = (id: string) => ancestorsOf(id, parentOf);
    for (const r of doc.recommendations) {
      for (const l of r.drawsOn ?? []) {
        const source = db
          .select({ id: recommendations.id, sessionId: recommendations.sessionId, programmeId: dialogueSessions.programmeId, status: recommendations.status })
          .from(recommendations)
          .innerJoin(dialogueSessions, eq(dialogueSessions.id, recommendations.sessionId))
          .where(eq(recommendations.id, l.recommendationId))
          .get();
        const refused = !source || l.relation === "not_retained" || source.status !== "adopted" || linkRefusal({ recommendationId: source.id, sessionId: source.sessionId, programmeId: source.programmeId }, { recommendationId: r.id, sessionId, programmeId }, chainOf);
        if (refused) {
          skipped++;
          continue;
        }
        const done = db
          .insert(recommendationLinks)
          .values({ id: newId(), sourceRecommendationId: source.id, targetSessionId: sessionId, targetRecommendationId: r.id, relation: l.relation, reason: l.reason, createdAt: now() })
          .onConflictDoNothing()
          .run();
        if (done.changes) created++;
        else skipped++;
      }
    }
    return { created, skipped };
  }

  const created = (list: Mapping[]) => list.filter((m) => m.how === "created" || m.how === "created_new_id").length;

  function programmeExists(id: string): boolean {
    return !!db.select({ id: programmes.id }).from(programmes).where(eq(programmes.id, id)).get();
  }

  /** A session planned here and never run: draft or scheduled, nothing recorded in it yet. */
  function isPlanned(sessionId: string): boolean {
    const row = db.select({ status: dialogueSessions.status }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    if (!row || (row.status !== "draft" && row.status !== "scheduled")) return false;
    const any = (table: typeof notes | typeof recommendations | typeof publications) => !!db.select({ id: table.id }).from(table).where(eq(table.sessionId, sessionId)).limit(1).get();
    return !any(notes) && !any(recommendations) && !any(publications);
  }

  /** A later version of a session imported before: the version only. */
  function addPublication(userId: string, actor: Actor, doc: SessionExport, programmeId: string, options: ImportOptions = {}): ImportReport {
    access.requireProgramme(actor, programmeId, "programme.sessions.import");
    const sessionId = doc.session.id;
    const dup = db.select({ id: publications.id }).from(publications).where(and(eq(publications.sessionId, sessionId), eq(publications.number, doc.publication.number))).get();
    if (dup) {
      throw new ImportError("conflict", "import_duplicate", {
        message: `Version ${doc.publication.number} of this session is already here: nothing was imported.`,
        sessionId,
        publicationNumber: doc.publication.number,
      });
    }
    const sources = db.select({ source: sessionImports.sourceInstanceId }).from(sessionImports).where(eq(sessionImports.sessionId, sessionId)).all().map((r) => r.source);
    const from = [doc.provenance.instanceId, doc.provenance.importedFrom?.instanceId].filter((x): x is string => !!x);
    if (!sources.some((src) => from.includes(src))) {
      throw new ImportError("conflict", "import_conflict", {
        message: "A session with the same identifier is already here and did not come from the instance that made this file: nothing was imported.",
        sessionId,
      });
    }
    return guarded(() =>
      db.transaction(() => {
        insertPublication(doc, now(), options);
        // Local sessions imported since the earlier version: their links can be stored now.
        const links = insertLinks(doc, sessionId, programmeId);
        const session = db.select({ parentSessionId: dialogueSessions.parentSessionId }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get()!;
        audit.record({
          action: "summary.imported",
          actorUserId: userId,
          programmeId,
          sessionId,
          targetId: sessionId,
          details: { number: doc.publication.number, mode: "publication", formatVersion: doc.formatVersion, sourceInstanceId: doc.provenance.instanceId },
        });
        return {
          sessionId,
          programmeId,
          publicationNumber: doc.publication.number,
          mode: "publication" as const,
          attachedBy: { programme: "existing_session" as const, parentSession: "existing_session" as const },
          parentSessionId: session.parentSessionId,
          created: { agendaItems: 0, keyPoints: 0, recommendations: 0, rounds: 0, links: links.created },
          mapped: { levels: [], localities: [], themes: [], addressees: [] },
          skipped: { links: links.skipped },
          source: { instanceId: doc.provenance.instanceId, instanceName: doc.provenance.instanceName, exportedAt: doc.provenance.exportedAt },
        };
      }),
    );
  }

  function insertPublication(doc: SessionExport, t: number, options: ImportOptions = {}) {
    const p = doc.publication;
    const provenance = { instanceId: doc.provenance.instanceId, instanceName: doc.provenance.instanceName, exportedAt: doc.provenance.exportedAt, formatVersion: doc.formatVersion };
    db.insert(publications)
      .values({
        id: newId(),
        sessionId: doc.session.id,
        number: p.number,
        language: p.language,
        visibility: p.visibility,
        title: p.title,
        markdown: p.markdown,
        changeNote: p.changeNote,
        importedFrom: JSON.stringify(provenance),
        publishedAt: ms(p.publishedAt),
      })
      .run();
    db.insert(sessionImports)
      .values({
        id: newId(),
        sessionId: doc.session.id,
        publicationNumber: p.number,
        sourceInstanceId: doc.provenance.instanceId,
        sourceInstanceName: doc.provenance.instanceName,
        sourceSoftwareVersion: doc.provenance.software.version,
        formatVersion: doc.formatVersion,
        exportedAt: ms(doc.provenance.exportedAt),
        importedAt: t,
        contentSha256: exportHash(doc),
        fieldKeyId: options.field?.fieldKeyId ?? null,
        keyFingerprint: options.field?.keyFingerprint ?? null,
        signedAt: options.field?.signedAt ?? null,
      })
      .run();
  }

  /** Is this id free in the whole table (ids are global, whatever the programme)? */
  function idFree(table: typeof levels | typeof localities | typeof themes | typeof addressees, id: string): boolean {
    return !db.select({ id: table.id }).from(table).where(eq(table.id, id)).get();
  }

  /**
   * The file's levels, localities, themes and addressees matched in the programme: by id, then by
   * key (levels), name under the same parent (localities) or label (themes, addressees); what is
   * still missing is created in the programme with the file's id (a new id if that one is taken
   * elsewhere) and labels. Only what the file refers to is matched or created.
   */
  function mapTaxonomy(doc: SessionExport, programmeId: string) {
    const mapped: ImportReport["mapped"] = { levels: [], localities: [], themes: [], addressees: [] };

    const programmeLevels = db.select().from(levels).where(eq(levels.programmeId, programmeId)).all();
    const usedLevelIds = new Set([doc.context.levelId, ...(doc.context.locality ? [doc.context.locality.levelId, ...doc.context.locality.ancestors.map((p) => p.levelId)] : [])]);
    let rank = programmeLevels.reduce((m, l) => Math.max(m, l.rank), -1);
    for (const level of doc.programme.levels.filter((l) => usedLevelIds.has(l.id))) {
      const byId = programmeLevels.find((l) => l.id === level.id);
      const byKey = programmeLevels.find((l) => l.key === level.key);
      if (byId) mapped.levels.push({ exportedId: level.id, localId: byId.id, how: "same_id" });
      else if (byKey) mapped.levels.push({ exportedId: level.id, localId: byKey.id, how: "same_key" });
      else {
        const id = idFree(levels, level.id) ? level.id : newId();
        db.insert(levels).values({ id, programmeId, key: level.key, labelEn: level.labelEn, labelFr: level.labelFr, rank: ++rank }).run();
        mapped.levels.push({ exportedId: level.id, localId: id, how: id === level.id ? "created" : "created_new_id" });
      }
    }
    const levelOf = (id: string) => mapped.levels.find((m) => m.exportedId === id)!.localId;

    if (doc.context.locality) {
      let parentId: string | null = null;
      for (const place of [...doc.context.locality.ancestors, doc.context.locality]) {
        const byId = db.select().from(localities).where(and(eq(localities.id, place.id), eq(localities.programmeId, programmeId))).get();
        const levelId = levelOf(place.levelId);
        const byName = byId
          ? undefined
          : db
              .select()
              .from(localities)
              .where(and(eq(localities.programmeId, programmeId), eq(localities.levelId, levelId), parentId === null ? sql`${localities.parentId} IS NULL` : eq(localities.parentId, parentId)))
              .all()
              .find((l) => sameText(l.name, place.name));
        if (byId) mapped.localities.push({ exportedId: place.id, localId: byId.id, how: "same_id" });
        else if (byName) mapped.localities.push({ exportedId: place.id, localId: byName.id, how: "same_name" });
        else {
          const id = idFree(localities, place.id) ? place.id : newId();
          db.insert(localities).values({ id, programmeId, parentId, levelId, name: place.name }).run();
          mapped.localities.push({ exportedId: place.id, localId: id, how: id === place.id ? "created" : "created_new_id" });
        }
        parentId = mapped.localities[mapped.localities.length - 1].localId;
      }
    }

    const list = (table: typeof themes | typeof addressees, entries: ExportLabel[], into: Mapping[]) => {
      const here = db.select().from(table).where(eq(table.programmeId, programmeId)).all();
      for (const e of entries) {
        const byId = here.find((x) => x.id === e.id);
        const byLabel = byId ? undefined : here.find((x) => sameText(x.labelEn, e.labelEn) || sameText(x.labelFr, e.labelFr));
        if (byId) into.push({ exportedId: e.id, localId: byId.id, how: "same_id" });
        else if (byLabel) into.push({ exportedId: e.id, localId: byLabel.id, how: "same_label" });
        else {
          const id = idFree(table, e.id) ? e.id : newId();
          db.insert(table).values({ id, programmeId, labelEn: e.labelEn, labelFr: e.labelFr }).run();
          here.push({ id, programmeId, labelEn: e.labelEn, labelFr: e.labelFr });
          into.push({ exportedId: e.id, localId: id, how: id === e.id ? "created" : "created_new_id" });
        }
      }
    };
    list(themes, doc.context.themes, mapped.themes);
    list(addressees, doc.context.addressees, mapped.addressees);
    return mapped;
  }

  /** A constraint the checks above did not foresee (an id already used by another session): nothing changed. */
  function guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isDomainError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT")) {
        throw new ImportError("conflict", "import_conflict", { message: "Some of this file's identifiers are already used here by other records: nothing was imported." });
      }
      throw e;
    }
  }

  return { importSession, readExport, isPlanned };
}
export type Imports = ReturnType<typeof createImports>;
