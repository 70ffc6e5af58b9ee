/**
 * Traceability pages and the coverage dashboard (SPEC section 6), on top of the linking domain
 * (linking.server.ts): what a trace page shows (both directions, with the labels it needs), the
 * outcome of each adopted recommendation of one session (the published summary's "what became of
 * these recommendations"), and the coverage of a programme's local demands by region, level and
 * theme, with filters, the unaddressed list and the rows of the CSV export.
 *
 * Visibility is the linking domain's rule (`mayTrace`): a recommendation's text, its session's title
 * and a link to its summary are shown only where the viewer may see that session; everything else is
 * counted, never shown.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { dialogueSessions, levels, localities, programmes, publications, recommendationLinks, recommendations, themes } from "../../db/schema";
import type { Access } from "./access.server";
import type { Actor } from "./actor";
import { DomainError, type FieldErrors } from "./errors";
import { coverageBy, coverageTotal, outcomeOf, type CoverageRow, type LinkRelation, type Outcome } from "./linking";
import type { Linking, TraceLink, TraceNode } from "./linking.server";

export const UNADDRESSED_PAGE_SIZE = 25;
/** The most recommendations linking.trace puts in one tree (its MAX_NODES). */
export const TRACE_NODE_LIMIT = 5000;
/**
 * What one trace page shows at most, so a national recommendation drawing on thousands of commune
 * demands stays readable on a phone: the root's own links up to PAGE_BUDGET recommendations in all,
 * each deeper recommendation's links up to PER_NODE; the rest counted, one "follow" away.
 */
export const PAGE_BUDGET = 400;
export const PER_NODE = 25;

/** A trace node as a page shows it: `omitted` links are counted, not shown (follow the node to see them). */
export type PageNode = Omit<TraceNode, "links"> & { links: (Omit<TraceLink, "node"> & { node: PageNode | null })[]; omitted: number };

/** Keeps the top of the tree, breadth first, within the budgets. Pure. */
export function pruneTrace(root: TraceNode, budget = PAGE_BUDGET, perNode = PER_NODE): PageNode {
  const top: PageNode = { ...root, links: [], omitted: 0 };
  const queue: [TraceNode, PageNode, number][] = [[root, top, 0]];
  let used = 1;
  for (let i = 0; i < queue.length; i++) {
    const [original, copy, depth] = queue[i];
    let shown = 0;
    for (const link of original.links) {
      if (!link.node) {
        copy.links.push({ ...link, node: null });
        continue;
      }
      if (used >= budget || (depth > 0 && shown >= perNode)) {
        copy.omitted += 1;
        continue;
      }
      used += 1;
      shown += 1;
      const child: PageNode = { ...link.node, links: [], omitted: 0 };
      copy.links.push({ ...link, node: child });
      queue.push([link.node, child, depth + 1]);
    }
  }
  return top;
}
/** Group key for demands with no region or no theme. */
export const NONE = "none";

export type LevelLabel = { id: string; key: string; labelEn: string; labelFr: string };
export type ThemeLabel = { id: string; labelEn: string; labelFr: string };
/** A region, or the diaspora as a whole (then keyed by its level, with the level's labels). */
export type RegionLabel = { id: string; name: string; labelEn: string | null; labelFr: string | null };

/** One adopted recommendation of a session and what is known (to this viewer) of its links. */
export type SessionOutcome = {
  id: string;
  text: string;
  consensus: string | null;
  /** The strongest relation among the links this viewer may see; "unaddressed" when there is none at all; null when unknown or moot. */
  outcome: Outcome | null;
  /** Links up to sessions this viewer may not see. */
  hiddenUp: number;
  /** Local recommendations this one draws on (visible to the viewer), and those hidden. */
  drawsOn: number;
  hiddenDown: number;
};

export type CoverageDemand = {
  id: string;
  /** Null where the viewer may not see the session's recommendations. */
  text: string | null;
  sessionId: string | null;
  sessionTitle: string | null;
  levelId: string;
  regionId: string | null;
  place: string[];
  themeId: string | null;
  consensus: string | null;
  outcome: Outcome;
};

const filterId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().uuid("choice_invalid").optional());
const collator = new Intl.Collator("fr");
const pageInput = z.preprocess((v) => (v === "" || v === null || v === undefined ? 1 : v), z.coerce.number().int("number_invalid").min(1, "out_of_range").max(100_000, "out_of_range"));

export function createTraceability(deps: { db: Db; access: Access; linking: Linking }) {
  const { db, access, linking } = deps;

  const levelsOf = (programmeId: string): LevelLabel[] =>
    db.select({ id: levels.id, key: levels.key, labelEn: levels.labelEn, labelFr: levels.labelFr }).from(levels).where(eq(levels.programmeId, programmeId)).orderBy(asc(levels.rank)).all();

  /** Which of these sessions have a published summary (for links to it). */
  function publishedAmong(sessionIds: string[]): string[] {
    if (!sessionIds.length) return [];
    return [...new Set(db.select({ sessionId: publications.sessionId }).from(publications).where(inArray(publications.sessionId, sessionIds)).all().map((r) => r.sessionId))];
  }

  function countNodes(node: TraceNode): number {
    let n = 1;
    for (const l of node.links) if (l.node) n += countNodes(l.node);
    return n;
  }

  function sessionIdsOf(node: TraceNode | PageNode, out = new Set<string>()): Set<string> {
    out.add(node.session.id);
    for (const l of node.links) {
      out.add(l.session.id);
      if (l.node) sessionIdsOf(l.node, out);
    }
    return out;
  }

  /**
   * A trace page: the recommendation, what became of it (up) and what it draws on (down), whether its
   * session feeds another (so "not yet addressed" makes sense), the programme's level labels and
   * which sessions on the page have a published summary.
   */
  function tracePage(actor: Actor, recommendationId: unknown) {
    // An address that cannot name a recommendation is simply not found (not "invalid input").
    if (!z.string().uuid().safeParse(recommendationId).success) throw new DomainError("not_found", "recommendation_not_found");
    const down = linking.trace(actor, recommendationId, "down");
    const up = linking.trace(actor, recommendationId, "up");
    const session = db.select({ programmeId: dialogueSessions.programmeId, parentSessionId: dialogueSessions.parentSessionId }).from(dialogueSessions).where(eq(dialogueSessions.id, down.session.id)).get();
    if (!session) throw new DomainError("not_found", "recommendation_not_found");
    const programme = db.select({ id: programmes.id, name: programmes.name }).from(programmes).where(eq(programmes.id, session.programmeId)).get()!;
    const ids = [...sessionIdsOf(up, sessionIdsOf(down))];
    // linking.trace stops at TRACE_NODE_LIMIT recommendations without saying so: say it on the page.
    const truncated = countNodes(down) >= TRACE_NODE_LIMIT || countNodes(up) >= TRACE_NODE_LIMIT;
    return { up: pruneTrace(up), down: pruneTrace(down), truncated, feeds: session.parentSessionId !== null, programme, levels: levelsOf(session.programmeId), published: publishedAmong(ids) };
  }

  const sessionLite = (id: string) => db.select({ id: dialogueSessions.id, programmeId: dialogueSessions.programmeId, status: dialogueSessions.status, parentSessionId: dialogueSessions.parentSessionId }).from(dialogueSessions).where(eq(dialogueSessions.id, id)).get();

  /**
   * The adopted recommendations of one session with their outcome as this viewer may know it: for
   * the published summary's reader and the session page. Null when the viewer may not see the
   * session's recommendations on a trace (or it does not exist).
   */
  function sessionOutcomes(actor: Actor, sessionId: string): { feeds: boolean; items: SessionOutcome[] } | null {
    const session = sessionLite(sessionId);
    if (!session || !linking.mayTrace(actor, session)) return null;
    const recs = db.$client
      .prepare(
        `SELECT r.id, r.text, json_extract(v.result, '$.level') AS consensus
           FROM recommendations r LEFT JOIN votes v ON v.recommendation_id = r.id AND v.round = r.round
          WHERE r.session_id = ? AND r.status = 'adopted' ORDER BY r.created_at, r.id`,
      )
      .all(sessionId) as { id: string; text: string; consensus: string | null }[];
    if (!recs.length) return { feeds: session.parentSessionId !== null, items: [] };
    const ids = recs.map((r) => r.id);
    const visible = new Map<string, boolean>();
    const canSee = (id: string) => {
      if (!visible.has(id)) {
        const s = sessionLite(id);
        visible.set(id, !!s && s.programmeId === session.programmeId && linking.mayTrace(actor, s));
      }
      return visible.get(id)!;
    };
    const upLinks = db
      .select({ sourceId: recommendationLinks.sourceRecommendationId, targetSessionId: recommendationLinks.targetSessionId, relation: recommendationLinks.relation })
      .from(recommendationLinks)
      .where(inArray(recommendationLinks.sourceRecommendationId, ids))
      .all();
    const downLinks = db
      .select({ targetId: recommendationLinks.targetRecommendationId, sessionId: recommendations.sessionId })
      .from(recommendationLinks)
      .innerJoin(recommendations, eq(recommendations.id, recommendationLinks.sourceRecommendationId))
      .where(inArray(recommendationLinks.targetRecommendationId, ids))
      .all();
    const items = recs.map((r) => {
      const ups = upLinks.filter((l) => l.sourceId === r.id);
      const seen: LinkRelation[] = ups.filter((l) => canSee(l.targetSessionId)).map((l) => l.relation);
      const downs = downLinks.filter((l) => l.targetId === r.id);
      const drawsOn = downs.filter((l) => canSee(l.sessionId)).length;
      return {
        ...r,
        // Visible links: the strongest; only hidden ones: unknown here; none, in a session that feeds
        // another: not yet addressed; none, at the top: nothing to say.
        outcome: seen.length ? outcomeOf(seen) : ups.length || session.parentSessionId === null ? null : ("unaddressed" as const),
        hiddenUp: ups.length - seen.length,
        drawsOn,
        hiddenDown: downs.length - drawsOn,
      };
    });
    return { feeds: session.parentSessionId !== null, items };
  }

  /** The programme's demands, filtered; with the labels and the filter choices. */
  function coverageData(actor: Actor, programmeId: string, input: Record<string, unknown>) {
    const { programme, role, items } = linking.coverageItems(actor, programmeId);
    const levelList = levelsOf(programmeId);
    const themeList: ThemeLabel[] = db.select({ id: themes.id, labelEn: themes.labelEn, labelFr: themes.labelFr }).from(themes).where(eq(themes.programmeId, programmeId)).orderBy(asc(themes.labelEn)).all();
    // Regions as people count them: each region, and the diaspora as one (its embassies and
    // consulates, each its own place at the diaspora level, are grouped under the level's name).
    const placeLevel = new Map(db.select({ id: localities.id, levelId: localities.levelId }).from(localities).where(eq(localities.programmeId, programmeId)).all().map((l) => [l.id, l.levelId]));
    const diaspora = levelList.find((l) => l.key === "diaspora");
    const regionKey = (regionId: string | null) => (regionId && diaspora && placeLevel.get(regionId) === diaspora.id ? diaspora.id : regionId);
    const regionMap = new Map<string, RegionLabel>();
    for (const i of items) {
      const key = regionKey(i.regionId);
      if (!key || regionMap.has(key)) continue;
      regionMap.set(key, key === diaspora?.id ? { id: key, name: diaspora.labelEn, labelEn: diaspora.labelEn, labelFr: diaspora.labelFr } : { id: key, name: i.regionName ?? "", labelEn: null, labelFr: null });
    }
    const regions = [...regionMap.values()].sort((a, b) => collator.compare(a.name, b.name));

    // Filters come from a GET form: a bad one is dropped with a message, the page still answers.
    const filterErrors: FieldErrors = {};
    const filters: { levelId?: string; regionId?: string; themeId?: string } = {};
    const known = { levelId: new Set(levelList.map((l) => l.id)), regionId: new Set(regions.map((r) => r.id)), themeId: new Set(themeList.map((t) => t.id)) };
    for (const key of ["levelId", "regionId", "themeId"] as const) {
      // Each filter on its own, so that one bad filter does not drop the good ones.
      const parsed = filterId.safeParse(input[key]);
      if (!parsed.success || (parsed.data && !known[key].has(parsed.data))) filterErrors[key] = ["choice_invalid"];
      else if (parsed.data) filters[key] = parsed.data;
    }
    const chosen = items.filter((i) => (!filters.levelId || i.levelId === filters.levelId) && (!filters.regionId || regionKey(i.regionId) === filters.regionId) && (!filters.themeId || i.themeId === filters.themeId));
    const unsorted: CoverageDemand[] = chosen.map((i) => ({
      id: i.id,
      text: i.text,
      sessionId: i.text === null ? null : i.sessionId,
      sessionTitle: i.sessionTitle,
      levelId: i.levelId,
      regionId: regionKey(i.regionId),
      place: i.place,
      themeId: i.themeId,
      consensus: i.consensus,
      outcome: i.outcome,
    }));
    // A stable order people can follow: by place, then text (one collator: 12,000 demands sort fast).
    const keyed = unsorted.map((d) => ({ d, place: d.place.join("\u0000"), text: d.text ?? "\uffff" }));
    keyed.sort((a, b) => collator.compare(a.place, b.place) || collator.compare(a.text, b.text) || (a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0));
    const demands = keyed.map((k) => k.d);
    return { programme: { id: programme.id, name: programme.name }, role, levels: levelList, themes: themeList, regions, filters, filterErrors, demands };
  }

  /**
   * The coverage dashboard: totals, per region, level and theme (each outcome's count and share),
   * and one page of the unaddressed demands (texts only where the viewer may see them).
   */
  function coverage(actor: Actor, programmeId: string, input: Record<string, unknown> = {}) {
    const data = coverageData(actor, programmeId, input);
    const { demands } = data;
    const levelRank = new Map(data.levels.map((l, i) => [l.id, i]));
    const regionName = new Map(data.regions.map((r) => [r.id, r.name]));
    const byRegion = coverageBy(demands, (_, i) => demands[i].regionId ?? NONE).sort((a, b) => (a.key === NONE ? 1 : b.key === NONE ? -1 : collator.compare(regionName.get(a.key) ?? "", regionName.get(b.key) ?? "")));
    const byLevel = coverageBy(demands, (_, i) => demands[i].levelId).sort((a, b) => (levelRank.get(a.key) ?? 99) - (levelRank.get(b.key) ?? 99));
    const byTheme = coverageBy(demands, (_, i) => demands[i].themeId ?? NONE);
    const unaddressedAll = demands.filter((d) => d.outcome === "unaddressed");
    const pageParsed = pageInput.safeParse(input.page);
    const filterErrors = { ...data.filterErrors };
    if (!pageParsed.success) filterErrors.page = [pageParsed.error.issues[0]?.message ?? "number_invalid"];
    const pages = Math.max(1, Math.ceil(unaddressedAll.length / UNADDRESSED_PAGE_SIZE));
    const page = Math.min(pageParsed.success ? pageParsed.data : 1, pages);
    const { demands: _all, ...rest } = data;
    return {
      ...rest,
      filterErrors,
      total: coverageTotal(demands),
      byRegion,
      byLevel,
      byTheme: byTheme as CoverageRow<string>[],
      unaddressed: { count: unaddressedAll.length, page, pages, pageSize: UNADDRESSED_PAGE_SIZE, items: unaddressedAll.slice((page - 1) * UNADDRESSED_PAGE_SIZE, page * UNADDRESSED_PAGE_SIZE) },
    };
  }

  /** Every demand of the programme (filtered as the dashboard), for the CSV export. */
  function coverageExport(actor: Actor, programmeId: string, input: Record<string, unknown> = {}) {
    const data = coverageData(actor, programmeId, input);
    return { programme: data.programme, levels: data.levels, themes: data.themes, regions: data.regions, demands: data.demands, filterErrors: data.filterErrors };
  }

  /** Whether the viewer may open the coverage dashboard (for a link on the programme page). */
  function mayViewCoverage(actor: Actor, programmeId: string): boolean {
    try {
      access.requireProgramme(actor, programmeId, "programme.coverage.view");
      return true;
    } catch {
      return false;
    }
  }

  return { tracePage, sessionOutcomes, coverage, coverageExport, mayViewCoverage };
}

export type Traceability = ReturnType<typeof createTraceability>;
export type TracePage = ReturnType<Traceability["tracePage"]>;
export type CoverageView = ReturnType<Traceability["coverage"]>;
