/**
 * Small-count protection for counts by group (SPEC section 4), pure: in what participants, observers
 * and the public see, a group of fewer than 3 people is merged into "other", and an "other" still
 * under 3 is folded into the largest group. Used for presence by role (presence.ts) and for
 * participant numbers by category in summaries (summary-draft.ts).
 *
 * An "other" group in the input (a roster category literally called "other") is pooled with the
 * small groups, so a category named "other" is never shown with fewer than 3 people either.
 */

export const SMALL_GROUP = 3;

export type GroupCount<K extends string> = { key: K | "other"; count: number };

/**
 * Merges small groups. The groups keep the order they came in; "other", when it stands, comes last.
 * The total is unchanged. On a tie for the largest group, the first one in the input order takes
 * the fold (one group, never several). When all the people together are fewer than 3, they are one
 * "other" group: there is nothing to hide them in, and the total must stay right.
 * Groups of zero (or less, or not whole numbers) are left out.
 */
export function mergeSmallGroups<K extends string>(groups: readonly GroupCount<K>[], min: number = SMALL_GROUP): GroupCount<K>[] {
  const present = groups.filter((g) => Number.isSafeInteger(g.count) && g.count > 0);
  const kept: GroupCount<K>[] = present.filter((g) => g.key !== "other" && g.count >= min).map((g) => ({ key: g.key, count: g.count }));
  const pooled = present.filter((g) => g.key === "other" || g.count < min).reduce((n, g) => n + g.count, 0);
  if (pooled === 0) return kept;
  if (pooled >= min || kept.length === 0) return [...kept, { key: "other", count: pooled }];
  const largest = kept.reduce((a, b) => (b.count > a.count ? b : a));
  largest.count += pooled;
  return kept;
}
