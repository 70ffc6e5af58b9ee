/**
 * The session export format (docs/export-format.md, docs/export-format.schema.json): its TypeScript
 * types, and the small pure helpers the download route needs (file name, content type, body).
 *
 * Types and pure functions only: no database, no zod, no ajv, so that a route or a page may import
 * it. The schema check lives in exports.server.ts; the importer in imports.server.ts.
 *
 * The enumerations are written out here (not taken from db/schema.ts) because the format is a
 * contract with other instances: tests/unit/export-format.test.ts checks that they still match the
 * app's own lists, so that a new kind of session or level forces a decision about the format.
 */
import { asciiSlug } from "../utils/slug";

export const EXPORT_FORMAT = "parley.session-export";
/** The format version this instance writes, and the newest it reads. */
export const EXPORT_FORMAT_VERSION = 1;
export const EXPORT_CONTENT_TYPE = "application/json; charset=utf-8";

export type Uuid = string;
/** ISO 8601 date and time with its offset ("2026-02-03T09:00:00.000Z"). */
export type IsoDateTime = string;

export type ExportLanguage = "en" | "fr";
export type ExportSessionKind = "roundtable" | "local_dialogue" | "plenary";
export type ExportAttributionMode = "chatham_house" | "anonymous" | "on_the_record";
/** Only sessions whose authorship is destroyed are exported. */
export type ExportSessionStatus = "finalised" | "published" | "archived";
export type ExportScale = "kaner" | "fist_of_five" | "consent" | "agree_abstain_disagree" | "agree_abstain_disagree_block";
export type ExportNoteKind = "point" | "proposal" | "question" | "concern";
export type ExportHorizon = "immediate" | "medium" | "long";
/** Drafts are never exported (the room never saw them). */
export type ExportRecommendationStatus = "closed" | "adopted" | "not_adopted";
export type ExportLevel = "unanimous" | "consensus" | "broad_support" | "majority" | "divided" | "opposed" | "no_quorum";
export type ExportVisibility = "public" | "programme" | "participants";
/** Relations of the Linking issue (SPEC section 6). */
export type ExportLinkRelation = "adopted_as_is" | "merged" | "adapted" | "partly_taken_up" | "not_retained";

export type ExportLabel = { id: Uuid; labelEn: string; labelFr: string };
export type ExportLevelEntry = ExportLabel & { key: string; rank: number };
export type ExportPlace = { id: Uuid; name: string; levelId: Uuid };
export type ExportThresholds = { quorumPercent: number; consensusPercent: number; broadSupportPermille: number };

export type ExportProvenance = {
  instanceId: Uuid;
  instanceName: string;
  software: { name: "parley"; version: string };
  exportedAt: IsoDateTime;
  /** When this session was itself imported here: where it came from first (the chain of custody). */
  importedFrom: { instanceId: Uuid; instanceName: string; exportedAt: IsoDateTime; importedAt: IsoDateTime } | null;
};

export type ExportProgramme = {
  id: Uuid;
  name: string;
  levels: ExportLevelEntry[];
  thresholds: ExportThresholds;
};

export type ExportContext = {
  levelId: Uuid;
  /** With its ancestors, from the root of the tree down to the locality's parent. */
  locality: (ExportPlace & { ancestors: ExportPlace[] }) | null;
  parentSession: { id: Uuid; title: string } | null;
  /** The themes and addressees this export refers to (not the programme's whole lists). */
  themes: ExportLabel[];
  addressees: ExportLabel[];
};

export type ExportSession = {
  id: Uuid;
  title: string;
  description: string;
  coHosts: string;
  kind: ExportSessionKind;
  /** The first one is the session's language. */
  languages: ExportLanguage[];
  schedule: { startsAt: IsoDateTime | null; endsAt: IsoDateTime | null; timeZone: string };
  attributionMode: ExportAttributionMode;
  status: ExportSessionStatus;
  scale: ExportScale;
  /** The organiser's switch for numbers beside consensus wording. */
  showNumbers: boolean;
};

export type ExportAgendaItem = {
  id: Uuid;
  position: number;
  title: string;
  description: string;
  plannedMinutes: number;
  /** "Or part thereof": null follows the session's mode. */
  attributionMode: ExportAttributionMode | null;
  /** Present only when the export was made with panelists listed (the organiser's choice). */
  panelists?: string;
};

export type ExportKeyPoint = { id: Uuid; itemId: Uuid; kind: ExportNoteKind; themeIds: Uuid[]; text: string };

export type ExportCounts = {
  taken: number;
  eligible: number;
  support: number;
  neutral: number;
  oppose: number;
  block: number;
  sharePercent: number;
  quorumReached: boolean;
  devicePositions: number;
  handPositions: number;
};

export type ExportRound = {
  round: number;
  scale: ExportScale;
  /** The sense of the room, recorded without a vote: never any counts. */
  declared: boolean;
  level: ExportLevel;
  handsIncluded: boolean;
  /** Every position was a raised hand ("by show of hands" rather than "partly by show of hands"). */
  handsOnly: boolean;
  /** The thresholds the level was worked out with; null for a declared level. */
  thresholds: ExportThresholds | null;
  /** Null under small-count protection, with numbers switched off, and for declared levels. */
  counts: ExportCounts | null;
};

export type ExportLink = { recommendationId: Uuid; sessionId: Uuid; relation: ExportLinkRelation; reason: string };

export type ExportRecommendation = {
  id: Uuid;
  itemId: Uuid | null;
  text: string;
  addresseeId: Uuid | null;
  themeId: Uuid | null;
  horizon: ExportHorizon | null;
  status: ExportRecommendationStatus;
  /** Key points of this export it was drafted from. */
  sourceKeyPointIds: Uuid[];
  revisions: { round: number; text: string; reason: string }[];
  rounds: ExportRound[];
  /** The result of the final wording's round; null when that wording was never put to the room. */
  result: ExportRound | null;
  /** Reserved for the Linking issue: the recommendations of sessions below that this one draws on. */
  drawsOn?: ExportLink[];
};

export type ExportPublication = {
  number: number;
  language: ExportLanguage;
  visibility: ExportVisibility;
  title: string;
  markdown: string;
  changeNote: string;
  publishedAt: IsoDateTime;
};

export type SessionExport = {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  provenance: ExportProvenance;
  programme: ExportProgramme;
  context: ExportContext;
  session: ExportSession;
  agenda: ExportAgendaItem[];
  keyPoints: ExportKeyPoint[];
  recommendations: ExportRecommendation[];
  publication: ExportPublication;
};

/** One problem found in an import file: a JSON pointer into the file and what is wrong there. */
export type ImportProblem = { path: string; message: string };

/** The codes (message keys) the importer answers with; the UI shows one message per code. */
export const IMPORT_ERRORS = [
  "import_not_json",
  "import_too_large",
  "import_invalid",
  "import_newer_format",
  "import_needs_target",
  "import_duplicate",
  "import_conflict",
] as const;
export type ImportErrorKey = (typeof IMPORT_ERRORS)[number];

/** The file as it is written: two-space indented JSON with a final newline (what is signed in a bundle). */
export function serialiseExport(doc: SessionExport): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A download's file name from a session title: "parley-civilians-at-risk-v2.json" (ASCII only). */
export function downloadFileName(title: string, number: number, ext: string): string {
  const slug = asciiSlug(title);
  return `parley-${slug || "session"}-v${number}.${ext}`;
}

/** "parley-civilians-at-risk-v2.json": ASCII only, from the title, with the publication number. */
export function exportFileName(doc: Pick<SessionExport, "session" | "publication">): string {
  return downloadFileName(doc.session.title, doc.publication.number, "json");
}

/** What the download route sends: the body, its content type and the file name to offer. */
export function exportDownload(doc: SessionExport): { filename: string; contentType: string; body: string } {
  return { filename: exportFileName(doc), contentType: EXPORT_CONTENT_TYPE, body: serialiseExport(doc) };
}
