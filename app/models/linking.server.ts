/**
 * Linking local sessions to national outputs (SPEC section 6): links from a local recommendation to
 * what a session above made of it, the consolidation workspace's incoming list, traceability both
 * ways, and the data behind coverage. The pure rules are in linking.ts.
 *
 * "Incoming" recommendations of a session are the adopted recommendations of every session below it
 * (its children, their children, ...): what the localities asked for. A link belongs to the higher
 * session; who made it is in the audit log only.
 */
import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { foldForSearch } from "./validation";
import type { Db } from "../../db/database.server";
import { dialogueSessions, HORIZONS, recommendationLinks, recommendations } from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import { groupRecommendationsAsync, type RecommendationGroup } from "./grouping";
import { ancestorsOf, LINK_STATUSES, linkRefusal, outcomeOf, type LinkRelation, type Outcome } from "./linking";
import { parseOrThrow } from "./parse";
import { publicationReadable, type PublicationVisibility } from "./permissions";
import type { Recommendations } from "./recommendations.server";
import { newId } from "./tokens.server";

export const PAGE_SIZE = 50;
const MAX_BULK = 500;

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
const optionalId = z.preprocess(blank, z.string().uuid("choice_invalid").optional());
const filtersInput = z.object({
  levelId: optionalId,
  localityId: optionalId,
  themeId: optionalId,
  horizon: z.preprocess(blank, z.enum(HORIZONS, { errorMap: () => ({ message: "choice_invalid" }) }).optional()),
  consensus: z.preprocess(blank, z.string().max(40, "choice_invalid").regex(/^[a-z_]+$/, "choice_invalid").optional()),
  status: z.preprocess(blank, z.enum(LINK_STATUSES, { errorMap: () => ({ message: "choice_invalid" }) }).optional()),
  q: z.preprocess(blank, z.string().trim().max(200, "too_long").optional()),
  page: z.preprocess(blank, z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(100_000, "out_of_range").optional()),
});
export type IncomingFilters = z.input<typeof filtersInput>;

const sourceIds = z
  .array(z.string({ invalid_type_error: "recommendation_not_found" }).uuid("recommendation_not_found"), { invalid_type_error: "selection_required" })
  .min(1, "selection_required")
  .max(MAX_BULK, "too_many");
const reason = z.string({ invalid_type_error: "required" }).trim().max(500, "too_long");
const mergeInput = z.object({
  sourceIds,
  text: z.string({ required_error: "required" }).trim().min(1, "required").max(2000, "too_long"),
  addresseeId: optionalId,
  themeId: optionalId,
  horizon: z.preprocess(blank, z.enum(HORIZONS, { errorMap: () => ({ message: "choice_invalid" }) }).optional()),
});
const linkInput = z.object({
  sourceIds,
  targetRecommendationId: z.string({ required_error: "required" }).uuid("recommendation_not_found"),
  relation: z.enum(["adopted_as_is", "merged", "adapted", "partly_taken_up"], { errorMap: () => ({ message: "choice_invalid" }) }),
  reason: reason.optional().default(""),
});
const notRetainedInput = z.object({ sourceIds, reason: reason.min(1, "reason_required") });

type RecLite = { id: string; sessionId: string; text: string; status: string; consensus: string | null };
export type TraceSession = { id: string; title: string; levelId: string; place: string[] };
export type TraceLink = { id: string; relation: LinkRelation; reason: string; session: TraceSession; node: TraceNode | null };
export type TraceNode = {
  id: string;
  text: string;
  status: string;
  consensus: string | null;
  session: TraceSession & { published: boolean };
  /** Down: the local recommendations it draws on; up: what the sessions above made of it. */
  links: TraceLink[];
  /** Links to recommendations the viewer may not see. */
  hidden: number;
};
type SessionLite = { id: string; programmeId: string; parentSessionId: string | null; levelId: string; localityId: string | null; title: string; status: string; languages: string[] };
type Place = { id: string; name: string; parentId: string | null; levelId: string };
export type LinkView = { id: string; targetSessionId: string; targetRecommendationId: string | null; relation: LinkRelation; reason: string };
export type IncomingItem = {
  id: string;
  text: string;
  language: string;
  sessionId: string;
  sessionTitle: string;
  levelId: string;
  localityId: string | null;
  /** The locality's name and its ancestors' names, from the top (e.g. ["Mopti", "Bandiagara", "Sangha"]). */
  place: string[];
  themeId: string | null;
  addresseeId: string | null;
  horizon: string | null;
  consensus: string | null;
  outcome: Outcome;
  /** Links made by the session being consolidated. */
  here: LinkView[];
  /** Links made by sessions in between (a cercle or a region, for a national session). */
  below: LinkView[];
};

export function createLinking(deps: { db: Db; now: () => number; access: Access; audit: Audit; recommendations: Recommendations }) {
  const { db, now, access, audit } = deps;
  const sqlite = db.$client;

  const sessionsOf = sqlite.prepare<[string]>(
    "SELECT id, programme_id AS programmeId, parent_session_id AS parentSessionId, level_id AS levelId, locality_id AS localityId, title, status, languages FROM dialogue_sessions WHERE programme_id = ? AND status != 'purged'",
  );
  const levelsOf = sqlite.prepare<[string]>("SELECT id, key FROM levels WHERE programme_id = ?");
  const placesOf = sqlite.prepare<[string]>("SELECT id, name, parent_id AS parentId, level_id AS levelId FROM localities WHERE programme_id = ?");
  const adoptedIn = sqlite.prepare<[string]>(
    `SELECT r.id, r.session_id AS sessionId, r.text, r.theme_id AS themeId, r.addressee_id AS addresseeId, r.horizon,
            json_extract(v.result, '$.level') AS consensus
       FROM recommendations r LEFT JOIN votes v ON v.recommendation_id = r.id AND v.round = r.round
      WHERE r.status = 'adopted' AND r.session_id IN (SELECT value FROM json_each(?))`,
  );
  const linksFrom = sqlite.prepare<[string]>(
    `SELECT l.id, l.source_recommendation_id AS sourceId, l.target_session_id AS targetSessionId, l.target_recommendation_id AS targetRecommendationId, l.relation, l.reason
       FROM recommendation_links l JOIN recommendations r ON r.id = l.source_recommendation_id
      WHERE r.session_id IN (SELECT value FROM json_each(?))`,
  );

  /** A programme's sessions and places, indexed (a few hundred rows even at national scale). */
  function programmeIndex(programmeId: string) {
    const sessions = new Map<string, SessionLite>();
    const children = new Map<string, string[]>();
    for (const row of sessionsOf.all(programmeId) as (Omit<SessionLite, "languages"> & { languages: string })[]) {
      const s = { ...row, languages: safeLanguages(row.languages) };
      sessions.set(s.id, s);
      if (s.parentSessionId) children.set(s.parentSessionId, [...(children.get(s.parentSessionId) ?? []), s.id]);
    }
    const places = new Map<string, Place>();
    for (const p of placesOf.all(programmeId) as Place[]) places.set(p.id, p);
    const chainOf = (sessionId: string) => ancestorsOf(sessionId, (id) => sessions.get(id)?.parentSessionId ?? null);
    const descendantsOf = (sessionId: string) => {
      const out: string[] = [];
      const seen = new Set([sessionId]);
      for (let queue = [...(children.get(sessionId) ?? [])]; queue.length; ) {
        const id = queue.shift()!;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(id);
        queue.push(...(children.get(id) ?? []));
      }
      return out;
    };
    /** A place and its ancestors, from the top (computed once per place). */
    const chains = new Map<string | null, Place[]>();
    const placeChain = (localityId: string | null): Place[] => {
      const known = chains.get(localityId);
      if (known) return known;
      const out: Place[] = [];
      const seen = new Set<string>();
      for (let cursor = localityId; cursor && !seen.has(cursor) && out.length < 20; ) {
        const p = places.get(cursor);
        if (!p) break;
        out.unshift(p);
        seen.add(cursor);
        cursor = p.parentId;
      }
      chains.set(localityId, out);
      return out;
    };
    return { sessions, places, chainOf, descendantsOf, placeChain };
  }

  function requireTarget(actor: Actor, sessionId: string) {
    const found = access.requireSession(actor, sessionId, "recommendations.consolidate");
    return { ...found, index: programmeIndex(found.session.programmeId) };
  }

  /** Every incoming recommendation of a session, with its place and what became of it. */
  function incomingAll(session: SessionRow, index: ReturnType<typeof programmeIndex>): IncomingItem[] {
    const below = index.descendantsOf(session.id);
    if (!below.length) return [];
    const ids = JSON.stringify(below);
    const links = new Map<string, LinkView[]>();
    for (const l of linksFrom.all(ids) as (LinkView & { sourceId: string })[]) {
      const { sourceId, ...view } = l;
      links.set(sourceId, [...(links.get(sourceId) ?? []), view]);
    }
    const rows = adoptedIn.all(ids) as { id: string; sessionId: string; text: string; themeId: string | null; addresseeId: string | null; horizon: string | null; consensus: string | null }[];
    return rows.map((r) => {
      const s = index.sessions.get(r.sessionId)!;
      const all = links.get(r.id) ?? [];
      return {
        ...r,
        language: s.languages[0] ?? "fr",
        sessionTitle: s.title,
        levelId: s.levelId,
        localityId: s.localityId,
        place: index.placeChain(s.localityId).map((p) => p.name),
        outcome: outcomeOf(all.map((l) => l.relation)),
        here: all.filter((l) => l.targetSessionId === session.id),
        below: all.filter((l) => l.targetSessionId !== session.id),
      };
    });
  }

  const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

  function matches(item: IncomingItem, f: z.output<typeof filtersInput>, index: ReturnType<typeof programmeIndex>, q: string | null): boolean {
    if (f.levelId && item.levelId !== f.levelId) return false;
    if (f.localityId && !index.placeChain(item.localityId).some((p) => p.id === f.localityId)) return false;
    if (f.themeId && item.themeId !== f.themeId) return false;
    if (f.horizon && item.horizon !== f.horizon) return false;
    if (f.consensus && item.consensus !== f.consensus) return false;
    switch (f.status ?? "all") {
      case "unaddressed":
        if (item.here.length || item.below.length) return false;
        break;
      case "here":
        if (!item.here.length) return false;
        break;
      case "below":
        if (!item.below.length || item.here.length) return false;
        break;
      case "not_retained":
        if (item.outcome !== "not_retained") return false;
        break;
    }
    if (q && !foldForSearch(item.text).includes(q)) return false;
    return true;
  }

  /**
   * The consolidation workspace's list: filtered, sorted by place then text, one page at a time,
   * with what the filters can offer and the session's own recommendations to link to.
   */
  function incoming(actor: Actor, sessionId: string, rawFilters: unknown = {}) {
    const { session, index, can } = requireTarget(actor, sessionId);
    const filters = parseOrThrow(filtersInput, rawFilters);
    const all = incomingAll(session, index);
    const q = filters.q ? foldForSearch(filters.q) : null;
    const kept = all.filter((item) => matches(item, filters, index, q));
    // By place, session and text: one collator, keys built once (12,000 items at national scale).
    const keyed = kept.map((item) => ({ item, key: `${item.place.join("\u0001")}\u0002${item.sessionTitle}\u0002${item.text}` }));
    keyed.sort((a, b) => collator.compare(a.key, b.key) || (a.item.id < b.item.id ? -1 : 1));
    kept.splice(0, kept.length, ...keyed.map((k) => k.item));
    const pages = Math.max(1, Math.ceil(kept.length / PAGE_SIZE));
    const page = Math.min(filters.page ?? 1, pages);
    const used = (pick: (i: IncomingItem) => string | null) => [...new Set(all.map(pick).filter((v): v is string => !!v))];
    // Places worth filtering on: every ancestor of an incoming recommendation's place (regions, cercles).
    const placeIds = new Set<string>();
    for (const item of all) for (const p of index.placeChain(item.localityId).slice(0, -1)) placeIds.add(p.id);
    return {
      session,
      can,
      filters,
      total: all.length,
      matching: kept.length,
      page,
      pages,
      items: kept.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      /** Every matching id, for "select all that match" (ids only). */
      matchingIds: kept.map((i) => i.id),
      options: {
        levelIds: used((i) => i.levelId),
        places: [...placeIds].map((id) => ({ id, name: index.placeChain(id).map((p) => p.name).join(" › "), levelId: index.places.get(id)!.levelId })).sort((a, b) => a.name.localeCompare(b.name)),
        themeIds: used((i) => i.themeId),
        horizons: used((i) => i.horizon),
        consensus: used((i) => i.consensus),
      },
      targets: db
        .select({ id: recommendations.id, text: recommendations.text, status: recommendations.status })
        .from(recommendations)
        .where(eq(recommendations.sessionId, session.id))
        .all(),
    };
  }

  /** Checks each source may be linked to this session; throws the first refusal with its reason. */
  function checkSources(session: SessionRow, index: ReturnType<typeof programmeIndex>, ids: string[], targetRecommendationId: string | null) {
    const unique = [...new Set(ids)];
    const rows = db.select({ id: recommendations.id, sessionId: recommendations.sessionId, status: recommendations.status }).from(recommendations).where(inArray(recommendations.id, unique)).all();
    if (rows.length !== unique.length) throw new DomainError("not_found", "recommendation_not_found", { sourceIds: ["recommendation_not_found"] });
    for (const row of rows) {
      const source = db.select({ programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, row.sessionId)).get();
      const refusal = linkRefusal(
        { recommendationId: row.id, sessionId: row.sessionId, programmeId: source?.programmeId ?? "" },
        { recommendationId: targetRecommendationId, sessionId: session.id, programmeId: session.programmeId },
        index.chainOf,
      );
      if (refusal) throw new DomainError("invalid", refusal, { sourceIds: [refusal] });
      if (row.status !== "adopted") throw new DomainError("invalid", "link_source_not_adopted", { sourceIds: ["link_source_not_adopted"] });
    }
    return unique;
  }

  /** Adds or replaces links from each source to a target (one per source and target). */
  function writeLinks(sessionId: string, ids: string[], targetRecommendationId: string | null, relation: LinkRelation, why: string) {
    const t = now();
    for (const sourceId of ids) {
      const existing = db
        .select({ id: recommendationLinks.id })
        .from(recommendationLinks)
        .where(
          and(
            eq(recommendationLinks.sourceRecommendationId, sourceId),
            eq(recommendationLinks.targetSessionId, sessionId),
            targetRecommendationId ? eq(recommendationLinks.targetRecommendationId, targetRecommendationId) : eq(recommendationLinks.relation, "not_retained"),
          ),
        )
        .get();
      if (existing) db.update(recommendationLinks).set({ relation, reason: why }).where(eq(recommendationLinks.id, existing.id)).run();
      else db.insert(recommendationLinks).values({ id: newId(), sourceRecommendationId: sourceId, targetSessionId: sessionId, targetRecommendationId, relation, reason: why, createdAt: t }).run();
    }
  }

  /** Merges local recommendations into a new recommendation of this session (a draft, to be put to the room). */
  function merge(actor: Actor, sessionId: string, input: unknown): { id: string; linked: number; again: boolean } {
    const { actor: a, session, index } = requireTarget(actor, sessionId);
    const data = parseOrThrow(mergeInput, input);
    const ids = checkSources(session, index, data.sourceIds, null);
    const result = db.transaction(() => {
      // The same merge sent again (a form resent on a slow network, a double tap): the draft it made.
      const again = sameMerge(sessionId, ids, data.text);
      if (again) return { id: again, linked: 0, again: true };
      const { id } = deps.recommendations.create(a, sessionId, { text: data.text, addresseeId: data.addresseeId, themeId: data.themeId, horizon: data.horizon }, "recommendations.consolidate");
      writeLinks(sessionId, ids, id, "merged", "");
      return { id, linked: ids.length, again: false };
    });
    if (!result.again) audit.record({ action: "links.merged", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: result.id, details: { count: ids.length } });
    return result;
  }

  /** A draft of this session with this text that merges exactly these sources, if one exists. */
  function sameMerge(sessionId: string, ids: string[], text: string): string | null {
    const wanted = new Set(ids);
    const drafts = db
      .select({ id: recommendations.id })
      .from(recommendations)
      .where(and(eq(recommendations.sessionId, sessionId), eq(recommendations.status, "draft"), eq(recommendations.text, text)))
      .all();
    for (const d of drafts) {
      const merged = db
        .select({ source: recommendationLinks.sourceRecommendationId })
        .from(recommendationLinks)
        .where(and(eq(recommendationLinks.targetRecommendationId, d.id), eq(recommendationLinks.relation, "merged")))
        .all();
      if (merged.length === wanted.size && merged.every((m) => wanted.has(m.source))) return d.id;
    }
    return null;
  }

  /** Links local recommendations to an existing recommendation of this session. */
  function link(actor: Actor, sessionId: string, input: unknown): { linked: number } {
    const { actor: a, session, index } = requireTarget(actor, sessionId);
    const data = parseOrThrow(linkInput, input);
    const target = db.select({ id: recommendations.id }).from(recommendations).where(and(eq(recommendations.id, data.targetRecommendationId), eq(recommendations.sessionId, sessionId))).get();
    if (!target) {
      // A recommendation of another session: say why, not just "not found".
      const elsewhere = db.select({ sessionId: recommendations.sessionId }).from(recommendations).where(eq(recommendations.id, data.targetRecommendationId)).get();
      if (!elsewhere) throw new DomainError("not_found", "recommendation_not_found", { targetRecommendationId: ["recommendation_not_found"] });
      const other = db.select({ programmeId: dialogueSessions.programmeId }).from(dialogueSessions).where(eq(dialogueSessions.id, elsewhere.sessionId)).get();
      const why = other?.programmeId !== session.programmeId ? "link_other_programme" : index.chainOf(elsewhere.sessionId).includes(session.id) ? "link_points_down" : "link_target_elsewhere";
      throw new DomainError("invalid", why, { targetRecommendationId: [why] });
    }
    const ids = checkSources(session, index, data.sourceIds, target.id);
    db.transaction(() => writeLinks(sessionId, ids, target.id, data.relation, data.reason));
    audit.record({ action: "links.linked", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: target.id, details: { count: ids.length, relation: data.relation } });
    return { linked: ids.length };
  }

  /** Marks local recommendations as not retained by this session, with the reason given. */
  function notRetained(actor: Actor, sessionId: string, input: unknown): { linked: number } {
    const { actor: a, session, index } = requireTarget(actor, sessionId);
    const data = parseOrThrow(notRetainedInput, input);
    const ids = checkSources(session, index, data.sourceIds, null);
    db.transaction(() => writeLinks(sessionId, ids, null, "not_retained", data.reason));
    audit.record({ action: "links.not_retained", actorUserId: a.userId, programmeId: session.programmeId, sessionId, details: { count: ids.length } });
    return { linked: ids.length };
  }

  /** Removes one link this session made (a mistake undone). */
  function unlink(actor: Actor, sessionId: string, linkId: unknown) {
    const { actor: a, session } = requireTarget(actor, sessionId);
    const id = parseOrThrow(z.string().uuid("link_not_found"), linkId);
    const row = db.select({ id: recommendationLinks.id }).from(recommendationLinks).where(and(eq(recommendationLinks.id, id), eq(recommendationLinks.targetSessionId, sessionId))).get();
    if (!row) throw new DomainError("not_found", "link_not_found");
    db.delete(recommendationLinks).where(eq(recommendationLinks.id, id)).run();
    audit.record({ action: "links.removed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id });
  }

  // ---- Traceability ----

  const latestVisibility = sqlite.prepare<[string]>("SELECT visibility FROM publications WHERE session_id = ? ORDER BY number DESC LIMIT 1");

  /**
   * Whether a viewer (signed out included) may see a session's recommendations on a trace: its own
   * members and the programme's staff always; anyone else as its latest published summary allows.
   */
  function mayTrace(actor: Actor, session: { id: string; programmeId: string; status: string }): boolean {
    if (session.status === "purged") return false;
    const sessionRole = actor ? access.sessionRole(actor.userId, session.id) : null;
    const programmeRole = actor ? access.programmeRole(actor.userId, session.programmeId) : null;
    if (sessionRole || programmeRole === "organiser" || programmeRole === "staff") return true;
    const latest = latestVisibility.get(session.id) as { visibility: PublicationVisibility } | undefined;
    return !!latest && publicationReadable(latest.visibility, { sessionRole, programmeRole });
  }

  const recRow = sqlite.prepare<[string]>(
    `SELECT r.id, r.session_id AS sessionId, r.text, r.status, json_extract(v.result, '$.level') AS consensus
       FROM recommendations r LEFT JOIN votes v ON v.recommendation_id = r.id AND v.round = r.round WHERE r.id = ?`,
  );
  const linksInto = sqlite.prepare<[string]>(
    "SELECT id, source_recommendation_id AS otherId, target_session_id AS targetSessionId, relation, reason FROM recommendation_links WHERE target_recommendation_id = ? ORDER BY created_at, id",
  );
  const linksOutOf = sqlite.prepare<[string]>(
    "SELECT id, target_recommendation_id AS otherId, target_session_id AS targetSessionId, relation, reason FROM recommendation_links WHERE source_recommendation_id = ? ORDER BY created_at, id",
  );
  const MAX_NODES = 5000;

  /**
   * A recommendation and what it is linked to, followed down (the local recommendations it draws on)
   * or up (what became of it), level after level. Recommendations the viewer may not see are left
   * out and counted, so the page can say how many there are without showing them.
   */
  function trace(actor: Actor, recommendationId: unknown, direction: "down" | "up"): TraceNode {
    const id = parseOrThrow(z.string().uuid("recommendation_not_found"), recommendationId);
    const root = recRow.get(id) as RecLite | undefined;
    const rootSession = root ? db.select().from(dialogueSessions).where(eq(dialogueSessions.id, root.sessionId)).get() : undefined;
    if (!root || !rootSession || !mayTrace(actor, rootSession)) throw new DomainError(actor ? "not_found" : "unauthenticated", actor ? "recommendation_not_found" : "sign_in_required");
    const index = programmeIndex(rootSession.programmeId);
    const visible = new Map<string, boolean>();
    const canSee = (sessionId: string) => {
      if (!visible.has(sessionId)) {
        const s = index.sessions.get(sessionId);
        visible.set(sessionId, !!s && mayTrace(actor, s));
      }
      return visible.get(sessionId)!;
    };
    let count = 0;
    const seen = new Set<string>([root.id]);
    const nodeOf = (rec: RecLite): TraceNode => {
      count += 1;
      const s = index.sessions.get(rec.sessionId)!;
      const node: TraceNode = {
        id: rec.id,
        text: rec.text,
        status: rec.status,
        consensus: rec.consensus,
        session: { id: s.id, title: s.title, levelId: s.levelId, place: index.placeChain(s.localityId).map((p) => p.name), published: latestVisibility.get(s.id) !== undefined },
        links: [],
        hidden: 0,
      };
      const links = (direction === "down" ? linksInto : linksOutOf).all(rec.id) as { id: string; otherId: string | null; targetSessionId: string; relation: LinkRelation; reason: string }[];
      for (const l of links) {
        if (l.otherId === null) {
          // "Not retained": no recommendation above, only the session that decided it.
          const s2 = index.sessions.get(l.targetSessionId);
          if (!s2 || !canSee(s2.id)) node.hidden += 1;
          else node.links.push({ id: l.id, relation: l.relation, reason: l.reason, session: { id: s2.id, title: s2.title, levelId: s2.levelId, place: index.placeChain(s2.localityId).map((p) => p.name) }, node: null });
          continue;
        }
        const other = recRow.get(l.otherId) as RecLite | undefined;
        if (!other || !index.sessions.has(other.sessionId) || !canSee(other.sessionId)) {
          node.hidden += 1;
          continue;
        }
        if (seen.has(other.id) || count >= MAX_NODES) continue;
        seen.add(other.id);
        const s2 = index.sessions.get(other.sessionId)!;
        node.links.push({ id: l.id, relation: l.relation, reason: l.reason, session: { id: s2.id, title: s2.title, levelId: s2.levelId, place: index.placeChain(s2.localityId).map((p) => p.name) }, node: nodeOf(other) });
      }
      return node;
    };
    return nodeOf(root);
  }

  /**
   * Every local demand of a programme (the adopted recommendations of sessions that feed another)
   * with what became of it, for coverage: its level, region, theme and outcome. The text is given only
   * where the viewer may see the session (for the list of unaddressed demands).
   */
  function coverageItems(actor: Actor, programmeId: string) {
    const { programme, role } = access.requireProgramme(actor, programmeId, "programme.coverage.view");
    const index = programmeIndex(programmeId);
    const local = [...index.sessions.values()].filter((s) => s.parentSessionId && index.sessions.has(s.parentSessionId)).map((s) => s.id);
    const ids = JSON.stringify(local);
    const links = new Map<string, LinkRelation[]>();
    for (const l of linksFrom.all(ids) as { sourceId: string; relation: LinkRelation }[]) links.set(l.sourceId, [...(links.get(l.sourceId) ?? []), l.relation]);
    const levelKeys = new Map((levelsOf.all(programmeId) as { id: string; key: string }[]).map((l) => [l.id, l.key]));
    const staff = role === "organiser" || role === "staff";
    const visible = new Map<string, boolean>();
    const items = (adoptedIn.all(ids) as { id: string; sessionId: string; text: string; themeId: string | null; horizon: string | null; consensus: string | null }[]).map((r) => {
      const s = index.sessions.get(r.sessionId)!;
      const chain = index.placeChain(s.localityId);
      // The region: the place on the chain at the "region" (or "diaspora") level, else the top one below the country.
      const region = chain.find((p) => ["region", "diaspora"].includes(levelKeys.get(p.levelId) ?? "")) ?? chain[1] ?? chain[0] ?? null;
      if (!visible.has(s.id)) visible.set(s.id, staff || mayTrace(actor, s));
      return {
        id: r.id,
        text: visible.get(s.id) ? r.text : null,
        sessionId: s.id,
        sessionTitle: visible.get(s.id) ? s.title : null,
        levelId: s.levelId,
        regionId: region?.id ?? null,
        regionName: region?.name ?? null,
        place: chain.map((p) => p.name),
        themeId: r.themeId,
        horizon: r.horizon,
        consensus: r.consensus,
        outcome: outcomeOf(links.get(r.id) ?? []),
      };
    });
    return { programme, role, items };
  }

  // ---- Grouping (near-identical recommendations) ----

  type GroupJob = { version: string; done: number; total: number; startedAt: number; groups: RecommendationGroup[] | null; failed: boolean };
  /** Grouping runs in the background, one job per session and filters, kept while the data is the same. */
  const jobs = new Map<string, GroupJob>();
  const MAX_JOBS = 20;
  const GROUPS_PER_PAGE = 20;

  /**
   * Near-identical incoming recommendations (those matching the filters), grouped within each
   * language. The first call starts the work in the background and reports progress; later calls
   * report progress until the groups are ready, then page through them (largest groups first).
   */
  function groups(actor: Actor, sessionId: string, rawFilters: unknown = {}) {
    const { session, index } = requireTarget(actor, sessionId);
    const filters = parseOrThrow(filtersInput, rawFilters);
    const q = filters.q ? foldForSearch(filters.q) : null;
    const items = incomingAll(session, index).filter((item) => matches(item, filters, index, q));
    const version = createHash("sha256")
      .update(items.map((i) => `${i.id}:${i.text.length}`).sort().join(","))
      .digest("hex");
    const key = JSON.stringify([sessionId, { ...filters, page: undefined }]);
    let job = jobs.get(key);
    if (!job || job.version !== version || job.failed) {
      const started: GroupJob = { version, done: 0, total: items.length, startedAt: now(), groups: null, failed: false };
      job = started;
      jobs.delete(key);
      jobs.set(key, started);
      while (jobs.size > MAX_JOBS) jobs.delete(jobs.keys().next().value!);
      const texts = items.map((i) => ({ id: i.id, text: i.text, language: i.language === "en" ? ("en" as const) : ("fr" as const) }));
      void groupRecommendationsAsync(texts, { onProgress: (done, total) => Object.assign(started, { done, total }) }).then(
        (result) => (started.groups = result.groups),
        () => (started.failed = true),
      );
    }
    if (!job.groups) return { state: "working" as const, done: job.done, total: job.total };
    const sorted = [...job.groups].sort((a, b) => b.ids.length - a.ids.length || a.representativeId.localeCompare(b.representativeId));
    const pages = Math.max(1, Math.ceil(sorted.length / GROUPS_PER_PAGE));
    const page = Math.min(filters.page ?? 1, pages);
    const byId = new Map(items.map((i) => [i.id, i]));
    const shown = sorted.slice((page - 1) * GROUPS_PER_PAGE, page * GROUPS_PER_PAGE).map((g) => ({
      representativeId: g.representativeId,
      language: g.language,
      score: g.score,
      // Members that still match (a member linked meanwhile drops out of an "unaddressed" view).
      items: g.ids.map((id) => byId.get(id)).filter((i): i is IncomingItem => !!i),
    }));
    return { state: "ready" as const, count: sorted.length, grouped: sorted.reduce((n, g) => n + g.ids.length, 0), page, pages, groups: shown.filter((g) => g.items.length > 1) };
  }

  const childCount = sqlite.prepare<[string]>("SELECT count(*) AS n FROM dialogue_sessions WHERE parent_session_id = ? AND status != 'purged'");
  /** How many sessions feed this one directly (for the session page's link to the workspace). */
  function feeders(sessionId: string): number {
    return (childCount.get(sessionId) as { n: number }).n;
  }

  return { feeders, groups, incoming, merge, link, notRetained, unlink, mayTrace, trace, coverageItems };
}

function safeLanguages(raw: string): string[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export type Linking = ReturnType<typeof createLinking>;
