/**
 * The audit log's vocabulary (shared by the domain, the audit page and its tests): every action the
 * domain records, as "group.verb", grouped as the audit page filters them. Entries never hold who
 * wrote what nor identifying text: ids, counts and codes only (app/models/audit.server.ts).
 */
export const AUDIT_ACTIONS = {
  programme: [
    "created",
    "settings_changed",
    "level_added",
    "level_renamed",
    "level_removed",
    "locality_added",
    "locality_removed",
    "theme_added",
    "theme_removed",
    "addressee_added",
    "addressee_removed",
    "member_added",
    "member_role_changed",
    "member_removed",
    "reset_link_issued",
  ],
  session: [
    "created",
    "updated",
    "status_changed",
    "voting_changed",
    "join_code_rotated",
    "join_code_disabled",
    "joined_by_code",
    "joined_by_invitation",
    "member_role_changed",
    "member_removed",
    "wal_truncate_failed",
  ],
  roster: ["entry_added", "entry_changed", "entry_removed"],
  invitation: ["created", "revoked"],
  agenda: ["item_added", "item_changed", "item_removed", "reordered"],
  note: ["flag_dismissed", "curated", "merged", "hidden", "shown"],
  recommendation: ["created", "changed", "revised", "decided"],
  vote: ["opened", "closed", "hands_recorded", "declared"],
  summary: ["generated", "visibility_changed", "finding_overridden", "circulated", "comment_resolved", "approved", "published", "exported", "imported"],
  retention: ["purged", "guests_purged"],
  links: ["merged", "linked", "not_retained", "removed"],
  field: ["kit_exported", "kit_imported", "key_registered", "key_revoked", "bundle_exported", "bundle_imported"],
  /** Not tied to a programme: recorded, but on no programme's page. */
  account: ["signup", "onboarded", "password_reset", "onboarding_link_issued", "reset_link_issued"],
} as const;

export type AuditGroup = keyof typeof AUDIT_ACTIONS;

/** The groups a programme's audit page offers as filters, in the order shown. */
export const AUDIT_GROUPS: AuditGroup[] = ["programme", "session", "roster", "invitation", "agenda", "note", "recommendation", "vote", "summary", "links", "field", "retention"];

/** Every known action, "group.verb". */
export const ALL_AUDIT_ACTIONS: string[] = Object.entries(AUDIT_ACTIONS).flatMap(([group, verbs]) => verbs.map((v) => `${group}.${v}`));

/** A filter on the action: a whole group ("roster": every "roster.*" action) or one action ("roster.entry_added"). */
export const AUDIT_FILTER = /^[a-z_]{1,40}(\.[a-z_]{1,60})?$/;
export const AUDIT_PAGE_SIZE = 50;
