/**
 * Presence counts and small-count protection (SPEC section 4): in what participants and observers
 * see, a group of fewer than 3 people is merged into "other", and an "other" still under 3 is folded
 * into the largest group. Roles that are public by nature (organiser, moderator, rapporteur) are
 * shown as they are. Staff see exact counts.
 */
import type { SessionRole } from "./permissions";
import { mergeSmallGroups, SMALL_GROUP } from "./small-groups";

export type RoleCounts = Partial<Record<SessionRole, number>>;
export type ProtectedCounts = { total: number; groups: { key: SessionRole | "other"; count: number }[] };

export { SMALL_GROUP };
const PUBLIC_BY_NATURE: SessionRole[] = ["organiser", "moderator", "rapporteur"];
const ORDER: SessionRole[] = ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer"];

export function exactCounts(counts: RoleCounts): ProtectedCounts {
  const groups = ORDER.filter((r) => (counts[r] ?? 0) > 0).map((r) => ({ key: r, count: counts[r]! }));
  return { total: groups.reduce((n, g) => n + g.count, 0), groups };
}

/**
 * Merges small groups among the roles that are not public by nature. The total is unchanged, and no
 * group under 3 remains visible unless it is the only group of non-staff people at all.
 */
export function protectCounts(counts: RoleCounts): ProtectedCounts {
  const exact = exactCounts(counts);
  const staff = exact.groups.filter((g) => PUBLIC_BY_NATURE.includes(g.key as SessionRole));
  const others = exact.groups.filter((g) => !PUBLIC_BY_NATURE.includes(g.key as SessionRole));
  const groups = mergeSmallGroups(others);
  return { total: exact.total, groups: [...staff, ...groups] };
}
