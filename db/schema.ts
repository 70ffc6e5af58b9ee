/**
 * Parley's database schema (SQLite through Drizzle).
 *
 * Conventions: TypeScript keys camelCase, SQL columns snake_case; identifiers are random UUIDs
 * (never insertion-ordered); timestamps are integers (milliseconds since the epoch).
 * Data minimisation: no column that the workflow does not need.
 */

import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ITEM_STATES } from "../app/models/agenda";
import { LINK_RELATIONS } from "../app/models/linking";
import { NOTE_KINDS } from "../app/models/notes";

const id = () => text("id").primaryKey();
const createdAt = () => integer("created_at").notNull();

/** Account holders and guests. A guest has no email and no password. */
export const users = sqliteTable(
  "users",
  {
    id: id(),
    email: text("email"),
    passwordHash: text("password_hash"),
    displayName: text("display_name"),
    isGuest: integer("is_guest", { mode: "boolean" }).notNull().default(false),
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    locale: text("locale"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

/** Lucia-style sessions: the id is the SHA-256 (hex) of the random token held in the cookie. */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("auth_sessions_user").on(t.userId)],
);

/** One-time onboarding and password-reset links; only the token's hash is stored. */
export const accountTokens = sqliteTable("account_tokens", {
  id: id(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  purpose: text("purpose", { enum: ["onboarding", "reset"] }).notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export const programmes = sqliteTable("programmes", {
  id: id(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  /** Consensus thresholds (SPEC section 4); used by the Recommendations issue. */
  quorumPercent: integer("quorum_percent").notNull().default(50),
  consensusPercent: integer("consensus_percent").notNull().default(80),
  broadSupportPermille: integer("broad_support_permille").notNull().default(667),
  retentionDays: integer("retention_days").notNull().default(365),
  createdAt: createdAt(),
});

export const programmeMembers = sqliteTable(
  "programme_members",
  {
    id: id(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["organiser", "staff", "member"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("programme_members_unique").on(t.programmeId, t.userId)],
);

export const levels = sqliteTable(
  "levels",
  {
    id: id(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    labelEn: text("label_en").notNull(),
    labelFr: text("label_fr").notNull(),
    rank: integer("rank").notNull(),
  },
  (t) => [uniqueIndex("levels_key_unique").on(t.programmeId, t.key)],
);

export const localities = sqliteTable(
  "localities",
  {
    id: id(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    parentId: text("parent_id"),
    levelId: text("level_id")
      .notNull()
      .references(() => levels.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
  },
  (t) => [index("localities_programme").on(t.programmeId), index("localities_parent").on(t.parentId)],
);

/** Themes and addressees: controlled lists with English and French labels. */
export const themes = sqliteTable("themes", {
  id: id(),
  programmeId: text("programme_id")
    .notNull()
    .references(() => programmes.id, { onDelete: "cascade" }),
  labelEn: text("label_en").notNull(),
  labelFr: text("label_fr").notNull(),
});

export const addressees = sqliteTable("addressees", {
  id: id(),
  programmeId: text("programme_id")
    .notNull()
    .references(() => programmes.id, { onDelete: "cascade" }),
  labelEn: text("label_en").notNull(),
  labelFr: text("label_fr").notNull(),
});

export const SESSION_STATUSES = [
  "draft",
  "scheduled",
  "live",
  "ended",
  "finalised",
  "published",
  "archived",
  "purged",
] as const;
export const SESSION_KINDS = ["roundtable", "local_dialogue", "plenary"] as const;
export const ATTRIBUTION_MODES = ["chatham_house", "anonymous", "on_the_record"] as const;
export const NOTE_VISIBILITIES = ["participants", "staff"] as const;

/** A dialogue session (named so as not to be confused with sign-in sessions). */
export const dialogueSessions = sqliteTable(
  "dialogue_sessions",
  {
    id: id(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    levelId: text("level_id")
      .notNull()
      .references(() => levels.id, { onDelete: "restrict" }),
    localityId: text("locality_id").references(() => localities.id, { onDelete: "set null" }),
    parentSessionId: text("parent_session_id"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    coHosts: text("co_hosts").notNull().default(""),
    kind: text("kind", { enum: SESSION_KINDS }).notNull(),
    /** JSON array of language codes, e.g. ["fr","en"]. The first one is the session's language. */
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull(),
    startsAt: integer("starts_at"),
    endsAt: integer("ends_at"),
    timeZone: text("time_zone").notNull(),
    attributionMode: text("attribution_mode", { enum: ATTRIBUTION_MODES }).notNull(),
    noteVisibility: text("note_visibility", { enum: NOTE_VISIBILITIES }).notNull(),
    rosterVisibleToRoom: integer("roster_visible_to_room", { mode: "boolean" }).notNull().default(false),
    /** The scale positions are taken on (app/models/scales.ts). */
    scale: text("scale").notNull().default("agree_abstain_disagree"),
    /** Organiser's switch: numbers beside consensus wording ("31 of 34 participants"). */
    showNumbers: integer("show_numbers", { mode: "boolean" }).notNull().default(true),
    status: text("status", { enum: SESSION_STATUSES }).notNull(),
    joinCode: text("join_code"),
    endedAt: integer("ended_at"),
    finalisedAt: integer("finalised_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sessions_programme").on(t.programmeId),
    index("sessions_parent").on(t.parentSessionId),
    uniqueIndex("sessions_join_code_unique").on(t.joinCode),
  ],
);

export const SESSION_ROLES = [
  "organiser",
  "moderator",
  "rapporteur",
  "panelist",
  "participant",
  "observer",
] as const;

/**
 * Agenda items. The live state (state, elapsed time, extensions) is kept here so that a restart or
 * a second process sees the same agenda; remaining time is derived (app/models/agenda.ts).
 */
export const agendaItems = sqliteTable(
  "agenda_items",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    plannedMs: integer("planned_ms").notNull(),
    /** Panelists listed as speakers on this item (public, as in a published programme). */
    panelists: text("panelists").notNull().default(""),
    /** "Or part thereof": null follows the session's attribution mode. */
    attributionMode: text("attribution_mode", { enum: ATTRIBUTION_MODES }),
    state: text("state", { enum: ITEM_STATES }).notNull().default("pending"),
    extendedMs: integer("extended_ms").notNull().default(0),
    elapsedBeforeMs: integer("elapsed_before_ms").notNull().default(0),
    runningSince: integer("running_since"),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
  },
  (t) => [index("agenda_session").on(t.sessionId, t.position)],
);

/** Who takes part in a session and in which role. Removal deletes the row. */
export const sessionMembers = sqliteTable(
  "session_members",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: SESSION_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("session_members_unique").on(t.sessionId, t.userId), index("session_members_user").on(t.userId)],
);

export const ROSTER_CATEGORIES = [
  "academic",
  "un_official",
  "diplomat",
  "ngo",
  "government",
  "community",
  "media",
  "other",
] as const;

/**
 * What the attribution guard needs to know about the people in the room. Visible to organisers only
 * (and to the room where the session says so). Purged with personal data at the end of retention.
 */
export const rosterEntries = sqliteTable(
  "roster_entries",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** JSON array of usual short forms of the name. */
    shortForms: text("short_forms", { mode: "json" }).$type<string[]>().notNull(),
    organisation: text("organisation").notNull().default(""),
    /** JSON array of the organisation's acronyms. */
    acronyms: text("acronyms", { mode: "json" }).$type<string[]>().notNull(),
    title: text("title").notNull().default(""),
    country: text("country").notNull().default(""),
    role: text("role", { enum: SESSION_ROLES }).notNull(),
    category: text("category", { enum: ROSTER_CATEGORIES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("roster_session").on(t.sessionId)],
);

/** Personal invitation links: single use, expiring, revocable; only the token's hash is stored. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: SESSION_ROLES }).notNull(),
    rosterEntryId: text("roster_entry_id").references(() => rosterEntries.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_session").on(t.sessionId)],
);

/** Administrative actions. Never who wrote what, never identifying text. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    at: integer("at").notNull(),
    actorUserId: text("actor_user_id"),
    action: text("action").notNull(),
    programmeId: text("programme_id"),
    sessionId: text("session_id"),
    targetId: text("target_id"),
    details: text("details", { mode: "json" }).$type<Record<string, string | number | boolean | null>>(),
  },
  (t) => [index("audit_programme").on(t.programmeId, t.at), index("audit_session").on(t.sessionId, t.at)],
);


/** visible: in the feed; flagged: held for staff by the attribution guard; hidden: by a curator; merged: into another note. */
export const NOTE_STATUSES = ["visible", "flagged", "hidden", "merged"] as const;

/**
 * Notes. Nothing here groups one person's notes (SPEC section 7): the key is random and the table is
 * created WITHOUT ROWID (db/migrations/0002_notes.sql), so storage order is the random key's order,
 * not the order of insertion; `author_tag` is HMAC(session secret, userId || noteId), different for
 * every note and nulled at finalisation with the secret destroyed; `client_id` (random per note, for
 * exactly-once delivery from outboxes) is nulled then too, and timestamps are coarsened to the minute.
 * Only on-the-record notes store their author.
 */
export const notes = sqliteTable(
  "notes",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    itemId: text("item_id")
      .notNull()
      .references(() => agendaItems.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTE_KINDS }).notNull(),
    /** JSON array of theme ids from the programme. */
    themeIds: text("theme_ids", { mode: "json" }).$type<string[]>().notNull(),
    text: text("text").notNull(),
    /** The attribution mode the note was written under (the item's, or the session's). */
    attributionMode: text("attribution_mode", { enum: ATTRIBUTION_MODES }).notNull(),
    authorTag: text("author_tag"),
    /** Only for notes written on the record. */
    authorUserId: text("author_user_id").references(() => users.id, { onDelete: "set null" }),
    clientId: text("client_id"),
    status: text("status", { enum: NOTE_STATUSES }).notNull(),
    mergedIntoId: text("merged_into_id"),
    highlighted: integer("highlighted", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [index("notes_session_item").on(t.sessionId, t.itemId), uniqueIndex("notes_client_unique").on(t.sessionId, t.clientId)],
);

/** The per-session authorship secret: deleted (with secure_delete) at finalisation. */
export const sessionSecrets = sqliteTable("session_secrets", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => dialogueSessions.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
});

export const RECOMMENDATION_STATUSES = ["draft", "open", "closed", "adopted", "not_adopted"] as const;
/** Immediate; 3 to 5 years; longer (the 2019 national dialogue's horizons). */
export const HORIZONS = ["immediate", "medium", "long"] as const;

/** Recommendations drafted in a session (SPEC section 4). Staff work: no authorship is kept. */
export const recommendations = sqliteTable(
  "recommendations",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    itemId: text("item_id").references(() => agendaItems.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    addresseeId: text("addressee_id").references(() => addressees.id, { onDelete: "set null" }),
    themeId: text("theme_id").references(() => themes.id, { onDelete: "set null" }),
    horizon: text("horizon", { enum: HORIZONS }),
    status: text("status", { enum: RECOMMENDATION_STATUSES }).notNull(),
    /** The current round: a revision of an open recommendation starts a new one. */
    round: integer("round").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [index("recommendations_session").on(t.sessionId)],
);

/** The notes a recommendation was drawn from. */
export const recommendationSources = sqliteTable(
  "recommendation_sources",
  {
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id, { onDelete: "cascade" }),
    noteId: text("note_id")
      .notNull()
      .references(() => notes.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.recommendationId, t.noteId] })],
);

/** Every wording a recommendation had, with the reason for each change. */
export const recommendationRevisions = sqliteTable(
  "recommendation_revisions",
  {
    id: id(),
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    text: text("text").notNull(),
    reason: text("reason").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("revisions_recommendation").on(t.recommendationId, t.round)],
);

/**
 * One round of positions on a recommendation: the scale, who was eligible when it opened, the
 * show-of-hands counts, and the result kept when it closed (earlier rounds keep theirs). A declared
 * level (the sense of the room, no vote) is a round with `declared_level` and no positions.
 */
export const votes = sqliteTable(
  "votes",
  {
    id: id(),
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    scale: text("scale").notNull(),
    /** Participants and panelists present when the vote opened. */
    eligible: integer("eligible").notNull(),
    hiddenTally: integer("hidden_tally", { mode: "boolean" }).notNull().default(false),
    handsHeadcount: integer("hands_headcount"),
    /** JSON: show-of-hands counts per option. */
    hands: text("hands", { mode: "json" }).$type<Record<string, number>>(),
    declaredLevel: text("declared_level"),
    /** JSON: the ConsensusResult at close (app/models/consensus.ts). */
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    openedAt: integer("opened_at").notNull(),
    closedAt: integer("closed_at"),
  },
  (t) => [index("votes_recommendation").on(t.recommendationId, t.round)],
);

/**
 * Positions: one per person per round, found again by `voter_tag` = HMAC(session secret, userId ||
 * voteId) so a person can change theirs; nulled at finalisation with the secret destroyed. WITHOUT
 * ROWID (db/migrations/0003_recommendations.sql) and no timestamps: nothing orders or groups them.
 */
export const positions = sqliteTable(
  "positions",
  {
    id: id(),
    voteId: text("vote_id")
      .notNull()
      .references(() => votes.id, { onDelete: "cascade" }),
    option: text("option").notNull(),
    voterTag: text("voter_tag"),
  },
  (t) => [uniqueIndex("positions_voter_unique").on(t.voteId, t.voterTag)],
);

// ---- Summaries (SPEC section 5) ----

export const SUMMARY_STATUSES = ["draft", "circulated", "approved"] as const;
export const SUMMARY_VISIBILITIES = ["public", "programme", "participants"] as const;
export const SUMMARY_LANGUAGES = ["en", "fr"] as const;

/**
 * The working summary of a session: one Markdown text that staff edit, with a version that every save
 * must name (so two editors never overwrite each other silently). Published versions are copied out
 * to `publications` and never change.
 */
export const summaries = sqliteTable("summaries", {
  id: id(),
  sessionId: text("session_id")
    .notNull()
    .unique()
    .references(() => dialogueSessions.id, { onDelete: "cascade" }),
  language: text("language", { enum: SUMMARY_LANGUAGES }).notNull(),
  /** Organiser's choice: list the panelists by name and affiliation in the format paragraph. */
  listPanelists: integer("list_panelists", { mode: "boolean" }).notNull().default(false),
  visibility: text("visibility", { enum: SUMMARY_VISIBILITIES }).notNull().default("public"),
  markdown: text("markdown").notNull(),
  /** Incremented by every save; a save naming an older version is a conflict. */
  version: integer("version").notNull().default(1),
  status: text("status", { enum: SUMMARY_STATUSES }).notNull().default("draft"),
  /** Review deadline while circulated (ms). */
  reviewDeadline: integer("review_deadline"),
  circulatedAt: integer("circulated_at"),
  updatedAt: integer("updated_at").notNull(),
  createdAt: createdAt(),
});

/**
 * Guard findings on the summary an organiser chose to publish anyway, with a written reason. The
 * finding is kept only as a keyed hash of its normalised text (never the text), so the override holds
 * across edits of other paragraphs. Deleted with the summary's review secret at publication.
 */
export const summaryOverrides = sqliteTable(
  "summary_overrides",
  {
    id: id(),
    summaryId: text("summary_id")
      .notNull()
      .references(() => summaries.id, { onDelete: "cascade" }),
    findingKey: text("finding_key").notNull(),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("summary_overrides_unique").on(t.summaryId, t.findingKey)],
);

/** The per-summary review secret: comment authorship tags are HMACs under it; deleted at publication. */
export const summarySecrets = sqliteTable("summary_secrets", {
  summaryId: text("summary_id")
    .primaryKey()
    .references(() => summaries.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
});

export const COMMENT_KINDS = ["comment", "objection"] as const;

/**
 * Review comments and objections on a circulated draft. Non-attributed sessions: the author is a tag,
 * HMAC(review secret, userId|commentId), nulled at publication; timestamps are minutes. WITHOUT ROWID
 * (hand-edited migration) like notes and positions.
 */
export const summaryComments = sqliteTable(
  "summary_comments",
  {
    id: id(),
    summaryId: text("summary_id")
      .notNull()
      .references(() => summaries.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: COMMENT_KINDS }).notNull(),
    text: text("text").notNull(),
    authorTag: text("author_tag"),
    /** Only in on-the-record sessions. */
    authorUserId: text("author_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Staff marked it as dealt with. */
    resolved: integer("resolved", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("summary_comments_summary").on(t.summaryId)],
);

/**
 * Published versions: numbered from 1 per session, immutable (a trigger refuses any UPDATE; see the
 * migration). A correction is a new row with a change note.
 */
export const publications = sqliteTable(
  "publications",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    language: text("language", { enum: SUMMARY_LANGUAGES }).notNull(),
    visibility: text("visibility", { enum: SUMMARY_VISIBILITIES }).notNull(),
    title: text("title").notNull(),
    markdown: text("markdown").notNull(),
    changeNote: text("change_note").notNull().default(""),
    /** Where the publication came from: null here, or the instance and export it was imported from. */
    importedFrom: text("imported_from"),
    publishedAt: integer("published_at").notNull(),
  },
  (t) => [uniqueIndex("publications_number_unique").on(t.sessionId, t.number), index("publications_published").on(t.publishedAt)],
);

/** In-app notices for account holders (e.g. a draft summary circulated for review). */
export const notices = sqliteTable(
  "notices",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["summary_circulated", "summary_published"] }).notNull(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    readAt: integer("read_at"),
    createdAt: createdAt(),
  },
  (t) => [index("notices_user").on(t.userId, t.readAt)],
);

// ---- Exports and imports (docs/export-format.md) ----

/**
 * This instance's identity, for the provenance of what it exports: one row (the `singleton` key is
 * always 1), created on first use with a random id. Not personal data.
 */
export const instance = sqliteTable(
  "instance",
  {
    singleton: integer("singleton").primaryKey(),
    id: text("id").notNull(),
    createdAt: createdAt(),
    /**
     * Field instances (docs/field.md): this instance's Ed25519 key pair, made the first time it signs
     * (a field kit on a national instance, a bundle on a laptop). Raw public key and PKCS#8 private key,
     * base64.
     */
    signingPublicKey: text("signing_public_key"),
    signingPrivateKey: text("signing_private_key"),
  },
  (t) => [check("instance_singleton", sql`${t.singleton} = 1`)],
);

/**
 * Session exports imported here: provenance (which instance, when it exported, with which software)
 * and de-duplication (one row per session and publication number). The importing account is in the
 * audit log, not here.
 */
export const sessionImports = sqliteTable(
  "session_imports",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    publicationNumber: integer("publication_number").notNull(),
    sourceInstanceId: text("source_instance_id").notNull(),
    sourceInstanceName: text("source_instance_name").notNull(),
    sourceSoftwareVersion: text("source_software_version").notNull(),
    formatVersion: integer("format_version").notNull(),
    /** When the source instance made the export (ms). */
    exportedAt: integer("exported_at").notNull(),
    importedAt: integer("imported_at").notNull(),
    /** SHA-256 (hex) of the export's canonical JSON (keys sorted): the same file imported twice has the same hash. */
    contentSha256: text("content_sha256").notNull(),
    /** Field bundles (docs/field.md): the registered laptop key that signed it, and when it was signed. */
    fieldKeyId: text("field_key_id").references(() => fieldKeys.id, { onDelete: "set null" }),
    keyFingerprint: text("key_fingerprint"),
    signedAt: integer("signed_at"),
  },
  (t) => [uniqueIndex("session_imports_unique").on(t.sessionId, t.publicationNumber), index("session_imports_source").on(t.sourceInstanceId)],
);

/** How a higher session's recommendation took up a local one (SPEC section 6): app/models/linking.ts. */
export { LINK_RELATIONS };

/**
 * Links from a local recommendation (the source, in a session below) to what the session it feeds
 * made of it: a recommendation of that higher session with a relation, or "not retained" with a
 * reason and no target recommendation. Many-to-many. Links belong to the higher session (a national
 * recommendation cites the local ones); who made a link is in the audit log, not here.
 */
export const recommendationLinks = sqliteTable(
  "recommendation_links",
  {
    id: id(),
    sourceRecommendationId: text("source_recommendation_id")
      .notNull()
      .references(() => recommendations.id, { onDelete: "cascade" }),
    /** The higher session that consolidated the source: the target recommendation's session. */
    targetSessionId: text("target_session_id")
      .notNull()
      .references(() => dialogueSessions.id, { onDelete: "cascade" }),
    /** Null only when the relation is "not_retained". */
    targetRecommendationId: text("target_recommendation_id").references(() => recommendations.id, { onDelete: "cascade" }),
    relation: text("relation", { enum: LINK_RELATIONS }).notNull(),
    reason: text("reason").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("links_source").on(t.sourceRecommendationId),
    index("links_target").on(t.targetRecommendationId),
    index("links_target_session").on(t.targetSessionId),
    check("links_target_needed", sql`(${t.relation} = 'not_retained') = (${t.targetRecommendationId} IS NULL)`),
  ],
);

// ---- Field instances (docs/field.md) ----

/**
 * National side: the field laptops' keys a programme organiser registered, by fingerprint (read out
 * over the phone). The public key itself arrives with the first bundle it signs, and must match the
 * fingerprint. A revoked key signs nothing more that is accepted; what it signed before stays.
 */
export const fieldKeys = sqliteTable(
  "field_keys",
  {
    id: id(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    /** The short fingerprint as registered: the first 24 hex digits of SHA-256(raw public key), lower case. */
    fingerprint: text("fingerprint").notNull(),
    label: text("label").notNull(),
    publicKey: text("public_key"),
    registeredBy: text("registered_by").references(() => users.id, { onDelete: "set null" }),
    registeredAt: integer("registered_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedBy: text("revoked_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("field_keys_unique").on(t.programmeId, t.fingerprint)],
);

/**
 * Field kits, on both sides: "issued" on the national instance (which session went out to be held in
 * the field), "received" on the laptop (the kit it was set up from). One row per kit and side.
 */
export const fieldKits = sqliteTable(
  "field_kits",
  {
    id: id(),
    direction: text("direction", { enum: ["issued", "received"] }).notNull(),
    programmeId: text("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    sessionId: text("session_id").notNull(),
    /** The fingerprint (full, hex) of the national key that signed the kit. */
    signerFingerprint: text("signer_fingerprint").notNull(),
    signedAt: integer("signed_at").notNull(),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [index("field_kits_session").on(t.sessionId)],
);

/** Laptop side: the national instance's public key pinned for a programme by its first kit. */
export const fieldPins = sqliteTable("field_pins", {
  programmeId: text("programme_id")
    .primaryKey()
    .references(() => programmes.id, { onDelete: "cascade" }),
  publicKey: text("public_key").notNull(),
  fingerprint: text("fingerprint").notNull(),
  issuerInstanceId: text("issuer_instance_id").notNull(),
  issuerName: text("issuer_name").notNull(),
  pinnedAt: integer("pinned_at").notNull(),
});
