/**
 * Linking local recommendations to what the sessions above made of them (SPEC section 6): the pure
 * rules. The relation a local recommendation ended with, the order of strength between relations, and
 * the coverage arithmetic (counts per group, shares that add up to 100).
 */
/** How a higher session's recommendation took up a local one. Strongest first. */
export const LINK_RELATIONS = ["adopted_as_is", "merged", "adapted", "partly_taken_up", "not_retained"] as const;

export type LinkRelation = (typeof LINK_RELATIONS)[number];
/** What became of a local recommendation: its strongest link, or nothing yet. */
export type Outcome = LinkRelation | "unaddressed";
export const OUTCOMES: readonly Outcome[] = [...LINK_RELATIONS, "unaddressed"];

/** The consolidation workspace's "link status" filter. */
export const LINK_STATUSES = ["all", "unaddressed", "here", "below", "not_retained"] as const;
export type LinkStatusFilter = (typeof LINK_STATUSES)[number];

/** Strongest first: a demand adopted as is by one level and not retained by another was taken up. */
const STRENGTH: Record<LinkRelation, number> = { adopted_as_is: 5, merged: 4, adapted: 3, partly_taken_up: 2, not_retained: 1 };

export function isRelation(value: unknown): value is LinkRelation {
  return typeof value === "string" && (LINK_RELATIONS as readonly string[]).includes(value);
}

/** The outcome of a local recommendation from the relations of its links (any level above). */
export function outcomeOf(relations: readonly LinkRelation[]): Outcome {
  let best: LinkRelation | null = null;
  for (const r of relations) if (!best || STRENGTH[r] > STRENGTH[best]) best = r;
  return best ?? "unaddressed";
}

/** Taken up in some form (everything but "not retained" and "unaddressed"). */
export function isTakenUp(outcome: Outcome): boolean {
  return outcome !== "not_retained" && outcome !== "unaddressed";
}

export type OutcomeCounts = Record<Outcome, number>;
export const emptyCounts = (): OutcomeCounts => ({ adopted_as_is: 0, merged: 0, adapted: 0, partly_taken_up: 0, not_retained: 0, unaddressed: 0 });

export type CoverageRow<K extends string> = { key: K; counts: OutcomeCounts; total: number; takenUp: number; percents: OutcomeCounts };

/**
 * Percentages that add up to exactly 100 (largest remainder), so a table and its chart never
 * disagree with the total; all zero for an empty group.
 */
export function percentsOf(counts: OutcomeCounts): OutcomeCounts {
  const total = OUTCOMES.reduce((n, o) => n + counts[o], 0);
  const out = emptyCounts();
  if (!total) return out;
  const raw = OUTCOMES.map((o) => ({ o, exact: (counts[o] * 100) / total }));
  let given = 0;
  for (const r of raw) {
    out[r.o] = Math.floor(r.exact);
    given += out[r.o];
  }
  const order = [...raw].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || OUTCOMES.indexOf(a.o) - OUTCOMES.indexOf(b.o));
  for (let i = 0; given < 100; i++, given++) out[order[i % order.length].o] += 1;
  return out;
}

/** Coverage per group: counts of each outcome, total, how many were taken up, and the percentages. */
export function coverageBy<K extends string>(items: readonly { outcome: Outcome }[], keyOf: (item: { outcome: Outcome }, index: number) => K): CoverageRow<K>[] {
  const groups = new Map<K, OutcomeCounts>();
  items.forEach((item, i) => {
    const key = keyOf(item, i);
    const counts = groups.get(key) ?? emptyCounts();
    counts[item.outcome] += 1;
    groups.set(key, counts);
  });
  return [...groups].map(([key, counts]) => {
    const total = OUTCOMES.reduce((n, o) => n + counts[o], 0);
    return { key, counts, total, takenUp: OUTCOMES.filter(isTakenUp).reduce((n, o) => n + counts[o], 0), percents: percentsOf(counts) };
  });
}

/** The whole set as one row. */
export function coverageTotal(items: readonly { outcome: Outcome }[]): CoverageRow<"all"> {
  return coverageBy(items, () => "all" as const)[0] ?? { key: "all", counts: emptyCounts(), total: 0, takenUp: 0, percents: emptyCounts() };
}

/**
 * Why a link may not be made, from where the two sessions stand: `chainOf` gives a session's
 * ancestors, nearest first. Pure, so the refusals are unit-tested without a database.
 */
export function linkRefusal(
  source: { recommendationId: string; sessionId: string; programmeId: string },
  target: { recommendationId: string | null; sessionId: string; programmeId: string },
  chainOf: (sessionId: string) => readonly string[],
): "link_to_itself" | "link_other_programme" | "link_same_session" | "link_points_down" | "link_not_above" | null {
  if (target.recommendationId !== null && target.recommendationId === source.recommendationId) return "link_to_itself";
  if (source.programmeId !== target.programmeId) return "link_other_programme";
  if (source.sessionId === target.sessionId) return "link_same_session";
  if (chainOf(target.sessionId).includes(source.sessionId)) return "link_points_down";
  if (!chainOf(source.sessionId).includes(target.sessionId)) return "link_not_above";
  return null;
}

/** A session's ancestors, nearest first, from a parent map (cycles and broken chains end the walk). */
export function ancestorsOf(sessionId: string, parentOf: (id: string) => string | null | undefined, limit = 50): string[] {
  const out: string[] = [];
  const seen = new Set([sessionId]);
  for (let cursor = parentOf(sessionId); cursor && !seen.has(cursor) && out.length < limit; cursor = parentOf(cursor)) {
    out.push(cursor);
    seen.add(cursor);
  }
  return out;
}
