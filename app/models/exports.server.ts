/**
 * Session exports (docs/export-format.md): a published version of a session's summary with the
 * context another instance needs to import it, and nothing personal.
 *
 * What goes out is built for the public audience whoever downloads it: key points are curated notes
 * (highlighted, visible) without author tags, author ids, client ids or timestamps; recommendations
 * carry aggregates only, and counts only where small-count protection and the organiser's numbers
 * switch allow them for the public (consensus-wording.ts `countsVisible`); the roster, the members,
 * accounts and the panelists (unless the organiser lists them) never appear. Every export is checked
 * against the JSON Schema and for internal consistency before it is returned: a failure is a bug.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { and, asc, eq, inArray } from "drizzle-orm";
import { createHash } from "node:crypto";
import type { Db } from "../../db/database.server";
import {
  addressees,
  agendaItems,
  dialogueSessions,
  instance,
  levels,
  localities,
  notes,
  programmes,
  publications,
  recommendationLinks,
  recommendationRevisions,
  recommendations,
  recommendationSources,
  sessionImports,
  summaries,
  themes,
  votes,
} from "../../db/schema";
import schema from "../../docs/export-format.schema.json";
import pkg from "../../package.json";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import type { ConsensusResult } from "./consensus";
import { countsVisible } from "./consensus-wording";
import { DomainError } from "./errors";
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  type ExportLabel,
  type ExportLanguage,
  type ExportPlace,
  type ExportRecommendation,
  type ExportRound,
  type ExportScale,
  type ExportThresholds,
  type ImportProblem,
  type SessionExport,
} from "./export-format";
import { publicationReadable, sessionRoleCan, standingFrom, type PublicationVisibility } from "./permissions";
import { isScaleKey } from "./scales";
import { newId } from "./tokens.server";
import { isValidTimeZone } from "./validation";

export const SOFTWARE_VERSION: string = pkg.version;
export const DEFAULT_INSTANCE_NAME = "Parley";
const EXPORTABLE_STATUSES = ["finalised", "published", "archived"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How many problems an invalid file reports: enough to fix it, few enough to read. */
export const MAX_PROBLEMS = 5;

// ---------------------------------------------------------------------------------------------
// The schema and the consistency check

let validator: ValidateFunction | null = null;

/** The compiled JSON Schema (draft 2020-12, ajv strict mode). */
export function schemaValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv, ["uuid", "date-time"]);
    validator = ajv.compile(schema);
  }
  return validator;
}

function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** Ajv's errors as a few problems a person can act on, one per place in the file. */
export function problemsFromAjv(errors: ErrorObject[] | null | undefined): ImportProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors ?? []) {
    const path =
      e.keyword === "required"
        ? pointer(e.instancePath, (e.params as { missingProperty: string }).missingProperty)
        : e.keyword === "additionalProperties"
          ? pointer(e.instancePath, (e.params as { additionalProperty: string }).additionalProperty)
          : e.instancePath;
    byPath.set(path, [...(byPath.get(path) ?? []), e]);
  }
  const problems: ImportProblem[] = [];
  const paths = [...byPath.keys()];
  for (const [path, errs] of byPath) {
    // A nullable value that is wrong fails both "must be null" and the real rule: say the real one,
    // where it is (deeper in the file when the value is an object).
    const useful = errs.filter((e) => !["anyOf", "if"].includes(e.keyword) && !(e.keyword === "type" && (e.params as { type: unknown }).type === "null"));
    if (!useful.length && paths.some((other) => other.startsWith(`${path}/`))) continue;
    problems.push({ path, message: messageOf(useful[0] ?? errs[0]) });
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return problems;
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return "is missing";
    case "additionalProperties":
      return "is not part of the format";
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "format":
      return p.format === "uuid" ? "must be an identifier (UUID)" : p.format === "date-time" ? "must be a date and time with its offset (ISO 8601)" : `must be a ${String(p.format)}`;
    default:
      return e.message ?? "is not valid";
  }
}

/** What the schema cannot say: every reference points at something in the same file, counts add up. */
export function consistencyProblems(doc: SessionExport): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const add = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
  };
  const unique = <T>(list: T[], key: (t: T) => string, path: string) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      const k = key(t);
      if (seen.has(k)) add(`${path}/${i}`, "repeats an identifier already used in this list");
      seen.add(k);
    });
    return seen;
  };

  const levelIds = unique(doc.programme.levels, (l) => l.id, "/programme/levels");
  unique(doc.programme.levels, (l) => l.key, "/programme/levels");
  if (!levelIds.has(doc.context.levelId)) add("/context/levelId", "does not name a level of /programme/levels");
  const loc = doc.context.locality;
  if (loc) {
    if (!levelIds.has(loc.levelId)) add("/context/locality/levelId", "does not name a level of /programme/levels");
    loc.ancestors.forEach((a, i) => {
      if (!levelIds.has(a.levelId)) add(`/context/locality/ancestors/${i}/levelId`, "does not name a level of /programme/levels");
    });
    const chain = new Set([loc.id]);
    loc.ancestors.forEach((a, i) => {
      if (chain.has(a.id)) add(`/context/locality/ancestors/${i}/id`, "repeats a locality of the chain");
      chain.add(a.id);
    });
  }
  if (doc.context.parentSession?.id === doc.session.id) add("/context/parentSession/id", "is the session itself");
  if (!isValidTimeZone(doc.session.schedule.timeZone)) add("/session/schedule/timeZone", "is not a time zone this instance knows (IANA name, e.g. Africa/Bamako)");
  const themeIds = unique(doc.context.themes, (t) => t.id, "/context/themes");
  const addresseeIds = unique(doc.context.addressees, (t) => t.id, "/context/addressees");
  const itemIds = unique(doc.agenda, (a) => a.id, "/agenda");
  const keyPointIds = unique(doc.keyPoints, (k) => k.id, "/keyPoints");
  doc.keyPoints.forEach((k, i) => {
    if (!itemIds.has(k.itemId)) add(`/keyPoints/${i}/itemId`, "does not name an agenda item of /agenda");
    k.themeIds.forEach((t, j) => {
      if (!themeIds.has(t)) add(`/keyPoints/${i}/themeIds/${j}`, "does not name a theme of /context/themes");
    });
  });
  unique(doc.recommendations, (r) => r.id, "/recommendations");
  doc.recommendations.forEach((r, i) => {
    const at = `/recommendations/${i}`;
    if (r.itemId && !itemIds.has(r.itemId)) add(`${at}/itemId`, "does not name an agenda item of /agenda");
    if (r.themeId && !themeIds.has(r.themeId)) add(`${at}/themeId`, "does not name a theme of /context/themes");
    if (r.addresseeId && !addresseeIds.has(r.addresseeId)) add(`${at}/addresseeId`, "does not name an addressee of /context/addressees");
    r.sourceKeyPointIds.forEach((k, j) => {
      if (!keyPointIds.has(k)) add(`${at}/sourceKeyPointIds/${j}`, "does not name a key point of /keyPoints");
    });
    const revisionRounds = new Set<number>();
    r.revisions.forEach((v, j) => {
      if (revisionRounds.has(v.round) || (j > 0 && v.round <= r.revisions[j - 1].round)) add(`${at}/revisions/${j}/round`, "revisions must be in increasing order of rounds");
      revisionRounds.add(v.round);
    });
    const finalRound = r.revisions[r.revisions.length - 1].round;
    if (r.revisions[r.revisions.length - 1].text !== r.text) add(`${at}/text`, "differs from the last revision's text");
    const roundNumbers = new Set<number>();
    r.rounds.forEach((round, j) => {
      const rat = `${at}/rounds/${j}`;
      if (roundNumbers.has(round.round)) add(`${rat}/round`, "repeats a round");
      roundNumbers.add(round.round);
      if (!revisionRounds.has(round.round)) add(`${rat}/round`, "has no revision for its round");
      for (const p of roundProblems(round)) add(`${rat}${p.path}`, p.message);
    });
    if (r.result) {
      const same = r.rounds.find((x) => x.round === r.result!.round);
      if (r.result.round !== finalRound) add(`${at}/result/round`, "is not the round of the last revision");
      else if (!same || canonicalJson(same) !== canonicalJson(r.result)) add(`${at}/result`, "differs from the same round in /rounds");
    } else if (r.rounds.some((x) => x.round === finalRound)) add(`${at}/result`, "is missing although the last round has a result");
    (r.drawsOn ?? []).forEach((l, j) => {
      if (l.sessionId === doc.session.id) add(`${at}/drawsOn/${j}/sessionId`, "a link must point to another session");
    });
  });
  return problems;
}

function roundProblems(r: ExportRound): ImportProblem[] {
  const out: ImportProblem[] = [];
  if (r.handsOnly && !r.handsIncluded) out.push({ path: "/handsOnly", message: "cannot be true without handsIncluded" });
  const c = r.counts;
  if (!c) return out;
  if (r.thresholds === null) out.push({ path: "/thresholds", message: "is required with counts" });
  if (c.support + c.neutral + c.oppose + c.block !== c.taken) out.push({ path: "/counts/taken", message: "is not the sum of support, neutral, oppose and block" });
  if (c.devicePositions + c.handPositions !== c.taken) out.push({ path: "/counts/taken", message: "is not the sum of devicePositions and handPositions" });
  if (c.taken > c.eligible) out.push({ path: "/counts/eligible", message: "is below the positions taken" });
  if (r.handsOnly !== (r.handsIncluded && c.devicePositions === 0)) out.push({ path: "/handsOnly", message: "does not match the counts" });
  return out;
}

export type Validation = { ok: true; doc: SessionExport } | { ok: false; problems: ImportProblem[] };

/** Schema, then consistency: what an import must pass, and what every export is checked against. */
export function validateExport(value: unknown): Validation {
  const validate = schemaValidator();
  if (!validate(value)) return { ok: false, problems: problemsFromAjv(validate.errors) };
  const doc = value as SessionExport;
  const problems = consistencyProblems(doc);
  return problems.length ? { ok: false, problems } : { ok: true, doc };
}

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function exportHash(doc: SessionExport): string {
  return createHash("sha256").update(canonicalJson(doc)).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// This instance

/** This instance's stable id, created on first use (one row; a concurrent first use keeps the first). */
export function instanceIdentity(db: Db, now: () => number = Date.now): { id: string } {
  const found = db.select({ id: instance.id }).from(instance).where(eq(instance.singleton, 1)).get();
  if (found) return found;
  db.insert(instance).values({ singleton: 1, id: newId(), createdAt: now() }).onConflictDoNothing().run();
  return db.select({ id: instance.id }).from(instance).where(eq(instance.singleton, 1)).get()!;
}

// ---------------------------------------------------------------------------------------------
// Building an export

export type ExportOptions = {
  /** List the agenda's panelists (the organiser's choice for the summary); off by default. */
  listPanelists?: boolean;
  instanceName?: string;
  now?: () => number;
};

const iso = (ms: number) => new Date(ms).toISOString();
/** An epoch in ms as the export format writes times (ISO 8601, UTC), or null. */
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function scaleOf(key: string): ExportScale {
  return (isScaleKey(key) ? key : "agree_abstain_disagree") as ExportScale;
}

/** A closed round as the public may see it: the level, and counts only where they may be shown. */
export function exportRound(round: number, scale: string, result: ConsensusResult, showNumbers: boolean, fallback: ExportThresholds): ExportRound {
  if (result.kind === "declared") {
    return { round, scale: scaleOf(scale), declared: true, level: result.level, handsIncluded: false, handsOnly: false, thresholds: null, counts: null };
  }
  const visible = countsVisible(result, { audience: "public", numbers: showNumbers });
  return {
    round,
    scale: scaleOf(scale),
    declared: false,
    level: result.level,
    handsIncluded: result.handsIncluded,
    handsOnly: result.handsIncluded && result.devicePositions === 0,
    thresholds: result.thresholds ? { quorumPercent: result.thresholds.quorumPercent, consensusPercent: result.thresholds.consensusPercent, broadSupportPermille: result.thresholds.broadSupportPermille } : fallback,
    counts: visible
      ? {
          taken: result.taken,
          eligible: result.eligible,
          support: result.support,
          neutral: result.neutral,
          oppose: result.oppose,
          block: result.block,
          sharePercent: result.sharePercent,
          quorumReached: result.quorumReached,
          devicePositions: result.devicePositions,
          handPositions: result.handPositions,
        }
      : null,
  };
}

/**
 * The export of a session's published version `publicationNumber`, with no permission check (the
 * domain entry point is `createExports(...).session`). Throws DomainError not_found when the session
 * or the version does not exist, conflict when the session is not finalised; a plain Error when the
 * result fails its own schema (a bug).
 */
export function exportSession(db: Db, sessionId: string, publicationNumber: number, options: ExportOptions = {}): SessionExport {
  const now = options.now ?? Date.now;
  const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
  if (!session || session.status === "purged") throw new DomainError("not_found", "session_not_found");
  const publication = db
    .select()
    .from(publications)
    .where(and(eq(publications.sessionId, sessionId), eq(publications.number, publicationNumber)))
    .get();
  if (!publication) throw new DomainError("not_found", "publication_not_found");
  const status = session.status;
  if (!(EXPORTABLE_STATUSES as readonly string[]).includes(status)) throw new DomainError("conflict", "session_not_finalised");

  const programme = db.select().from(programmes).where(eq(programmes.id, session.programmeId)).get()!;
  const thresholds: ExportThresholds = { quorumPercent: programme.quorumPercent, consensusPercent: programme.consensusPercent, broadSupportPermille: programme.broadSupportPermille };
  const programmeLevels = db.select().from(levels).where(eq(levels.programmeId, programme.id)).orderBy(asc(levels.rank), asc(levels.key)).all();

  // The locality and its ancestors, from the root down.
  let locality: SessionExport["context"]["locality"] = null;
  if (session.localityId) {
    const place = (id: string) => db.select({ id: localities.id, name: localities.name, levelId: localities.levelId, parentId: localities.parentId }).from(localities).where(eq(localities.id, id)).get();
    const own = place(session.localityId);
    if (own) {
      const ancestors: ExportPlace[] = [];
      const seen = new Set([own.id]);
      for (let cursor = own.parentId; cursor && !seen.has(cursor) && ancestors.length < 20; ) {
        const p = place(cursor);
        if (!p) break;
        seen.add(p.id);
        ancestors.unshift({ id: p.id, name: p.name, levelId: p.levelId });
        cursor = p.parentId;
      }
      locality = { id: own.id, name: own.name, levelId: own.levelId, ancestors };
    }
  }
  const parent = session.parentSessionId
    ? (db.select({ id: dialogueSessions.id, title: dialogueSessions.title }).from(dialogueSessions).where(eq(dialogueSessions.id, session.parentSessionId)).get() ?? null)
    : null;

  const items = db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).orderBy(asc(agendaItems.position), asc(agendaItems.id)).all();
  const itemOrder = new Map(items.map((item, i) => [item.id, i]));
  const programmeThemes = new Map(db.select().from(themes).where(eq(themes.programmeId, programme.id)).all().map((t) => [t.id, t]));
  const programmeAddressees = new Map(db.select().from(addressees).where(eq(addressees.programmeId, programme.id)).all().map((a) => [a.id, a]));

  // Curated key points: highlighted and visible (not hidden, held or merged). Only what they say.
  const keyPoints = db
    .select({ id: notes.id, itemId: notes.itemId, kind: notes.kind, themeIds: notes.themeIds, text: notes.text, createdAt: notes.createdAt })
    .from(notes)
    .where(and(eq(notes.sessionId, sessionId), eq(notes.status, "visible"), eq(notes.highlighted, true)))
    .all()
    .sort((a, b) => (itemOrder.get(a.itemId) ?? 0) - (itemOrder.get(b.itemId) ?? 0) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .map((n) => ({ id: n.id, itemId: n.itemId, kind: n.kind, themeIds: [...new Set(n.themeIds)].filter((t) => programmeThemes.has(t)), text: n.text }));
  const keyPointIds = new Set(keyPoints.map((k) => k.id));

  // Recommendations the room saw (drafts never were), with their rounds as the public may see them.
  const recRows = db
    .select()
    .from(recommendations)
    .where(and(eq(recommendations.sessionId, sessionId), inArray(recommendations.status, ["closed", "adopted", "not_adopted"])))
    .orderBy(asc(recommendations.createdAt), asc(recommendations.id))
    .all();
  const recIds = recRows.map((r) => r.id);
  const revisionRows = recIds.length
    ? db.select().from(recommendationRevisions).where(inArray(recommendationRevisions.recommendationId, recIds)).orderBy(asc(recommendationRevisions.round), asc(recommendationRevisions.createdAt)).all()
    : [];
  const voteRows = recIds.length ? db.select().from(votes).where(inArray(votes.recommendationId, recIds)).orderBy(asc(votes.round)).all() : [];
  const sourceRows = recIds.length ? db.select().from(recommendationSources).where(inArray(recommendationSources.recommendationId, recIds)).all() : [];
  // What each recommendation draws on below (Linking): ids, relation and reason only.
  const linkRows = recIds.length
    ? db
        .select({ recommendationId: recommendationLinks.targetRecommendationId, sourceId: recommendationLinks.sourceRecommendationId, sourceSessionId: recommendations.sessionId, relation: recommendationLinks.relation, reason: recommendationLinks.reason })
        .from(recommendationLinks)
        .innerJoin(recommendations, eq(recommendations.id, recommendationLinks.sourceRecommendationId))
        .where(inArray(recommendationLinks.targetRecommendationId, recIds))
        .orderBy(asc(recommendationLinks.sourceRecommendationId))
        .all()
        .map((l) => ({ ...l, recommendationId: l.recommendationId! }))
    : [];

  const groupBy = <T extends { recommendationId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.recommendationId);
      if (list) list.push(row);
      else map.set(row.recommendationId, [row]);
    }
    return map;
  };
  const revisionsOf = groupBy(revisionRows);
  const votesOf = groupBy(voteRows);
  const sourcesOf = groupBy(sourceRows);
  const linksOf = groupBy(linkRows);

  const recs: ExportRecommendation[] = recRows.map((r) => {
    // One revision per round (the latest wording of that round), ending with the current text.
    const byRound = new Map<number, { round: number; text: string; reason: string }>();
    for (const v of (revisionsOf.get(r.id) ?? []).filter((v) => v.round <= r.round)) byRound.set(v.round, { round: v.round, text: v.text, reason: v.reason });
    byRound.set(r.round, { round: r.round, text: r.text, reason: byRound.get(r.round)?.reason ?? "" });
    const revisions = [...byRound.values()].sort((a, b) => a.round - b.round);
    const rounds = (votesOf.get(r.id) ?? [])
      .filter((v) => v.closedAt !== null && v.result && byRound.has(v.round))
      .map((v) => exportRound(v.round, v.scale, v.result as unknown as ConsensusResult, session.showNumbers, thresholds));
    return {
      id: r.id,
      itemId: r.itemId,
      text: r.text,
      addresseeId: r.addresseeId && programmeAddressees.has(r.addresseeId) ? r.addresseeId : null,
      themeId: r.themeId && programmeThemes.has(r.themeId) ? r.themeId : null,
      horizon: r.horizon,
      status: r.status as ExportRecommendation["status"],
      sourceKeyPointIds: (sourcesOf.get(r.id) ?? []).filter((s) => keyPointIds.has(s.noteId)).map((s) => s.noteId).sort(),
      revisions,
      rounds,
      result: rounds.find((x) => x.round === r.round) ?? null,
      ...(linksOf.has(r.id)
        ? { drawsOn: linksOf.get(r.id)!.map((l) => ({ recommendationId: l.sourceId, sessionId: l.sourceSessionId, relation: l.relation, reason: l.reason })) }
        : {}),
    };
  });

  // Only the themes and addressees this export refers to.
  const usedThemes = new Set([...keyPoints.flatMap((k) => k.themeIds), ...recs.map((r) => r.themeId).filter((t): t is string => !!t)]);
  const usedAddressees = new Set(recs.map((r) => r.addresseeId).filter((a): a is string => !!a));
  const labels = (map: Map<string, { id: string; labelEn: string; labelFr: string }>, used: Set<string>): ExportLabel[] =>
    [...map.values()]
      .filter((t) => used.has(t.id))
      .map((t) => ({ id: t.id, labelEn: t.labelEn, labelFr: t.labelFr }))
      .sort((a, b) => a.labelEn.localeCompare(b.labelEn) || (a.id < b.id ? -1 : 1));

  const languages = session.languages.filter((l): l is ExportLanguage => l === "en" || l === "fr");
  const origin = db.select().from(sessionImports).where(eq(sessionImports.sessionId, sessionId)).orderBy(asc(sessionImports.importedAt)).get();

  const doc: SessionExport = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    provenance: {
      instanceId: instanceIdentity(db, now).id,
      instanceName: options.instanceName?.trim() || DEFAULT_INSTANCE_NAME,
      software: { name: "parley", version: SOFTWARE_VERSION },
      exportedAt: iso(now()),
      importedFrom: origin ? { instanceId: origin.sourceInstanceId, instanceName: origin.sourceInstanceName, exportedAt: iso(origin.exportedAt), importedAt: iso(origin.importedAt) } : null,
    },
    programme: {
      id: programme.id,
      name: programme.name,
      levels: programmeLevels.map((l) => ({ id: l.id, key: l.key, labelEn: l.labelEn, labelFr: l.labelFr, rank: l.rank })),
      thresholds,
    },
    context: {
      levelId: session.levelId,
      locality,
      parentSession: parent,
      themes: labels(programmeThemes, usedThemes),
      addressees: labels(programmeAddressees, usedAddressees),
    },
    session: {
      id: session.id,
      title: session.title,
      description: session.description,
      coHosts: session.coHosts,
      kind: session.kind,
      languages: languages.length ? [...new Set(languages)] : [publication.language],
      schedule: { startsAt: isoOrNull(session.startsAt), endsAt: isoOrNull(session.endsAt), timeZone: session.timeZone },
      attributionMode: session.attributionMode,
      status: status as SessionExport["session"]["status"],
      scale: scaleOf(session.scale),
      showNumbers: session.showNumbers,
    },
    agenda: items.map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      description: item.description,
      plannedMinutes: Math.round(item.plannedMs / 60_000),
      attributionMode: item.attributionMode,
      ...(options.listPanelists && item.panelists.trim() ? { panelists: item.panelists.trim() } : {}),
    })),
    keyPoints,
    recommendations: recs,
    publication: {
      number: publication.number,
      language: publication.language,
      visibility: publication.visibility,
      title: publication.title,
      markdown: publication.markdown,
      changeNote: publication.changeNote,
      publishedAt: iso(publication.publishedAt),
    },
  };

  const check = validateExport(doc);
  if (!check.ok) throw new Error(`The export of session ${sessionId} failed its own schema check: ${JSON.stringify(check.problems)}`);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// The domain entry point

export function createExports(deps: { db: Db; now: () => number; access: Access; audit: Audit; instanceName?: string }) {
  const { db, now, access, audit } = deps;

  /**
   * Version `number` of the session's published summary as an export. Staff (`summary.export`:
   * organisers, programme organisers and staff) may export any published version, and each such
   * export is audited; everyone else exactly what they may read (`publicationReadable`), signed out
   * included for public versions. Nobody exports a session with no published version.
   */
  function session(actor: Actor, sessionId: unknown, number: unknown): SessionExport {
    const id = typeof sessionId === "string" && UUID.test(sessionId) ? sessionId : null;
    const n = typeof number === "number" && Number.isSafeInteger(number) && number >= 1 ? number : typeof number === "string" && /^[1-9][0-9]{0,8}$/.test(number) ? Number(number) : null;
    const row = id ? db.select().from(dialogueSessions).where(eq(dialogueSessions.id, id)).get() : undefined;
    const found = row && row.status !== "purged" ? row : null;
    const publication =
      found && n !== null
        ? db.select({ id: publications.id, visibility: publications.visibility }).from(publications).where(and(eq(publications.sessionId, found.id), eq(publications.number, n))).get()
        : undefined;
    const sessionRole = actor && found ? access.sessionRole(actor.userId, found.id) : null;
    const programmeRole = actor && found ? access.programmeRole(actor.userId, found.programmeId) : null;
    const standing = standingFrom(sessionRole, programmeRole);

    const staff = !!found && sessionRoleCan(standing, "summary.export");
    const readable = !!publication && publicationReadable(publication.visibility as PublicationVisibility, { sessionRole, programmeRole });
    if (!staff && !readable) {
      if (!actor) throw new DomainError("unauthenticated", "sign_in_required");
      if (!standing) throw new DomainError("not_found", "session_not_found");
      if (!publication) throw new DomainError("not_found", "publication_not_found");
      throw new DomainError("forbidden", "forbidden");
    }
    if (!found || !publication || n === null) throw new DomainError("not_found", "publication_not_found");

    const listPanelists = db.select({ listPanelists: summaries.listPanelists }).from(summaries).where(eq(summaries.sessionId, found.id)).get()?.listPanelists ?? false;
    const doc = exportSession(db, found.id, n, { listPanelists, instanceName: deps.instanceName, now });
    if (staff) {
      audit.record({ action: "summary.exported", actorUserId: actor!.userId, programmeId: found.programmeId, sessionId: found.id, targetId: publication.id, details: { number: n, format: EXPORT_FORMAT_VERSION, file: "json" } });
    }
    return doc;
  }

  /**
   * The Markdown and print HTML downloads of a published version (the route checked it may be read):
   * audited like the JSON export when the person holds `summary.export` for the session; readers'
   * downloads are not recorded.
   */
  function recordDownload(actor: Actor, sessionId: string, number: number, file: "md" | "html") {
    if (!actor) return;
    const found = db.select({ id: dialogueSessions.id, programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get();
    if (!found) return;
    const standing = standingFrom(access.sessionRole(actor.userId, found.id), access.programmeRole(actor.userId, found.programmeId));
    if (!sessionRoleCan(standing, "summary.export")) return;
    const publication = db.select({ id: publications.id }).from(publications).where(and(eq(publications.sessionId, found.id), eq(publications.number, number))).get();
    if (!publication) return;
    audit.record({ action: "summary.exported", actorUserId: actor.userId, programmeId: found.programmeId, sessionId: found.id, targetId: publication.id, details: { number, file } });
  }

  return { session, recordDownload };
}
export type Exports = ReturnType<typeof createExports>;
