/**
 * What the summary's draft is made from (summary-draft.ts), read from the database. It carries only
 * what the published text may contain:
 * - notes: curated ones only (visible: not hidden, not held by the guard, not merged away; withdrawn
 *   notes no longer exist), their text, kind, first theme, key-point flag, how many notes were merged
 *   into them, and their minute; never an author tag, an author's id or a client id;
 * - who took part: how many people (the most the data shows: the roster's panelists, participants and
 *   observers, the session's members in those roles, or the most people counted at a vote), the
 *   roster's categories (small-count protected), the number of moderators; names and affiliations of
 *   panelists only when the organiser chose to list them, and never in an anonymous session (whose
 *   roster is for organisers only);
 * - recommendations: adopted and not adopted ones, with the result of their current round (aggregates
 *   only: positions are never read), addressee, theme and horizon.
 * No permission check here: the summary service that calls it checks who may draft.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { addressees, agendaItems, dialogueSessions, localities, notes, recommendations, rosterEntries, sessionMembers, themes, votes } from "../../db/schema";
import type { ConsensusResult } from "./consensus";
import { DomainError } from "./errors";
import { floorToMinute } from "./notes";
import { mergeSmallGroups } from "./small-groups";
import type { ParticipantCategory, SummaryItem, SummaryNote, SummaryRecommendation, SummarySource } from "./summary-draft";

export type GatherOptions = {
  /** The organiser's choice: panelists listed as a group by name and affiliation. Off by default. */
  listPanelists: boolean;
};

/** Roster roles counted as the people the session gathered (staff running it are described by role). */
const GATHERED_ROLES = ["panelist", "participant", "observer"] as const;
const CATEGORY_ORDER: ParticipantCategory[] = ["academic", "un_official", "diplomat", "ngo", "government", "community", "media", "other"];

/** "A; B" (the session form's co-hosts field) -> ["A", "B"]. */
export function splitCoHosts(coHosts: string): string[] {
  return coHosts
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function asResult(value: unknown): ConsensusResult | null {
  if (!value || typeof value !== "object") return null;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "counted" || kind === "declared" ? (value as ConsensusResult) : null;
}

export function gatherSummarySource(db: Db, sessionId: string, options: GatherOptions = { listPanelists: false }): SummarySource {
  const session = db
    .select({
      title: dialogueSessions.title,
      description: dialogueSessions.description,
      coHosts: dialogueSessions.coHosts,
      kind: dialogueSessions.kind,
      languages: dialogueSessions.languages,
      startsAt: dialogueSessions.startsAt,
      endsAt: dialogueSessions.endsAt,
      timeZone: dialogueSessions.timeZone,
      attributionMode: dialogueSessions.attributionMode,
      showNumbers: dialogueSessions.showNumbers,
      localityId: dialogueSessions.localityId,
    })
    .from(dialogueSessions)
    .where(eq(dialogueSessions.id, sessionId))
    .get();
  if (!session) throw new DomainError("not_found", "session_not_found");

  const locality = session.localityId ? (db.select({ name: localities.name }).from(localities).where(eq(localities.id, session.localityId)).get()?.name ?? null) : null;

  // ---- Who was there: numbers by category, moderators by role, panelists only if chosen ----
  const categoryRows = db
    .select({ category: rosterEntries.category, n: sql<number>`count(*)` })
    .from(rosterEntries)
    .where(and(eq(rosterEntries.sessionId, sessionId), inArray(rosterEntries.role, [...GATHERED_ROLES])))
    .groupBy(rosterEntries.category)
    .all();
  const byCategory = mergeSmallGroups(CATEGORY_ORDER.map((key) => ({ key, count: categoryRows.find((c) => c.category === key)?.n ?? 0 })));
  const rosterCount = categoryRows.reduce((n, c) => n + c.n, 0);
  const memberCount =
    db
      .select({ n: sql<number>`count(*)` })
      .from(sessionMembers)
      .where(and(eq(sessionMembers.sessionId, sessionId), inArray(sessionMembers.role, [...GATHERED_ROLES])))
      .get()?.n ?? 0;
  // The people counted at a vote (present on devices when it opened, plus a show-of-hands headcount):
  // a floor for attendance where the roster is incomplete.
  const countedAtVotes = db
    .select({ eligible: votes.eligible, headcount: votes.handsHeadcount, result: votes.result })
    .from(votes)
    .innerJoin(recommendations, eq(recommendations.id, votes.recommendationId))
    .where(eq(recommendations.sessionId, sessionId))
    .all()
    .reduce((most, v) => {
      const r = asResult(v.result);
      return Math.max(most, r?.kind === "counted" ? r.eligible : 0, v.eligible + (v.headcount ?? 0));
    }, 0);

  const memberModerators = db.select({ n: sql<number>`count(*)` }).from(sessionMembers).where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.role, "moderator"))).get()?.n ?? 0;
  const rosterModerators = db.select({ n: sql<number>`count(*)` }).from(rosterEntries).where(and(eq(rosterEntries.sessionId, sessionId), eq(rosterEntries.role, "moderator"))).get()?.n ?? 0;

  const panelists =
    options.listPanelists && session.attributionMode !== "anonymous"
      ? db
          .select({ name: rosterEntries.name, affiliation: rosterEntries.organisation })
          .from(rosterEntries)
          .where(and(eq(rosterEntries.sessionId, sessionId), eq(rosterEntries.role, "panelist")))
          .orderBy(asc(rosterEntries.name), asc(rosterEntries.organisation))
          .all()
      : null;

  // ---- The agenda and its curated notes ----
  const itemRows = db
    .select({ id: agendaItems.id, position: agendaItems.position, title: agendaItems.title, attributionMode: agendaItems.attributionMode })
    .from(agendaItems)
    .where(eq(agendaItems.sessionId, sessionId))
    .orderBy(asc(agendaItems.position), asc(agendaItems.id))
    .all();
  const noteRows = db
    .select({ id: notes.id, itemId: notes.itemId, kind: notes.kind, text: notes.text, highlighted: notes.highlighted, themeIds: notes.themeIds, createdAt: notes.createdAt })
    .from(notes)
    .where(and(eq(notes.sessionId, sessionId), eq(notes.status, "visible")))
    .orderBy(asc(notes.createdAt), asc(notes.id))
    .all();
  const mergedCounts = new Map(
    db
      .select({ target: notes.mergedIntoId, n: sql<number>`count(*)` })
      .from(notes)
      .where(and(eq(notes.sessionId, sessionId), eq(notes.status, "merged")))
      .groupBy(notes.mergedIntoId)
      .all()
      .map((r) => [r.target, r.n]),
  );
  const notesByItem = new Map<string, SummaryNote[]>();
  for (const n of noteRows) {
    const list = notesByItem.get(n.itemId) ?? [];
    list.push({ id: n.id, kind: n.kind, text: n.text, keyPoint: n.highlighted, merged: mergedCounts.get(n.id) ?? 0, themeId: n.themeIds[0] ?? null, minute: floorToMinute(n.createdAt) });
    notesByItem.set(n.itemId, list);
  }
  const items: SummaryItem[] = itemRows.map((i) => ({
    id: i.id,
    position: i.position,
    title: i.title,
    attributionMode: i.attributionMode ?? session.attributionMode,
    notes: notesByItem.get(i.id) ?? [],
  }));

  // ---- Recommendations decided by the room ----
  const recRows = db
    .select({
      id: recommendations.id,
      text: recommendations.text,
      status: recommendations.status,
      round: recommendations.round,
      horizon: recommendations.horizon,
      createdAt: recommendations.createdAt,
      addresseeId: addressees.id,
      addresseeEn: addressees.labelEn,
      addresseeFr: addressees.labelFr,
      themeEn: themes.labelEn,
      themeFr: themes.labelFr,
      itemPosition: agendaItems.position,
    })
    .from(recommendations)
    .leftJoin(addressees, eq(addressees.id, recommendations.addresseeId))
    .leftJoin(themes, eq(themes.id, recommendations.themeId))
    .leftJoin(agendaItems, eq(agendaItems.id, recommendations.itemId))
    .where(and(eq(recommendations.sessionId, sessionId), inArray(recommendations.status, ["adopted", "not_adopted"])))
    .orderBy(asc(recommendations.createdAt), asc(recommendations.id))
    .all();
  const results = new Map<string, unknown>();
  if (recRows.length) {
    for (const v of db
      .select({ recommendationId: votes.recommendationId, round: votes.round, result: votes.result, closedAt: votes.closedAt })
      .from(votes)
      .where(inArray(votes.recommendationId, recRows.map((r) => r.id)))
      .all()) {
      if (v.closedAt !== null) results.set(`${v.recommendationId}:${v.round}`, v.result);
    }
  }
  const recs: SummaryRecommendation[] = recRows.map((r) => ({
    id: r.id,
    text: r.text,
    status: r.status as SummaryRecommendation["status"],
    addressee: r.addresseeId && r.addresseeEn !== null && r.addresseeFr !== null ? { id: r.addresseeId, label: { en: r.addresseeEn, fr: r.addresseeFr } } : null,
    theme: r.themeEn !== null && r.themeFr !== null ? { en: r.themeEn, fr: r.themeFr } : null,
    horizon: r.horizon,
    itemPosition: r.itemPosition,
    // The wording is put beside the level the room reached on it: the current round's, not an earlier one's.
    result: asResult(results.get(`${r.id}:${r.round}`)),
    createdAt: r.createdAt,
  }));

  return {
    session: {
      title: session.title,
      description: session.description,
      coHosts: splitCoHosts(session.coHosts),
      kind: session.kind,
      languages: session.languages,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      timeZone: session.timeZone,
      attributionMode: session.attributionMode,
      showNumbers: session.showNumbers,
      locality,
    },
    moderators: memberModerators > 0 ? memberModerators : rosterModerators,
    participants: { total: Math.max(rosterCount, memberCount, countedAtVotes), byCategory },
    panelists,
    items,
    recommendations: recs,
  };
}
