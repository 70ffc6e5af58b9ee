/**
 * Presence counts and small-count protection (SPEC section 4, app/models/presence.ts): groups of fewer
 * than 3 people are merged into "other", an "other" still under 3 is folded into the largest group;
 * roles public by nature (organiser, moderator, rapporteur) are shown as they are; staff see exact counts.
 */
import fc from "fast-check";
import { exactCounts, protectCounts, SMALL_GROUP, type RoleCounts } from "../../app/models/presence";
import type { SessionRole } from "../../app/models/permissions";

const STAFF: SessionRole[] = ["organiser", "moderator", "rapporteur"];
const NON_STAFF: SessionRole[] = ["panelist", "participant", "observer"];
const ALL: SessionRole[] = [...STAFF, ...NON_STAFF];

describe("exactCounts", () => {
  it("lists every role present, in the role order, with the total", () => {
    expect(exactCounts({ observer: 1, moderator: 1, participant: 12 })).toEqual({
      total: 14,
      groups: [
        { key: "moderator", count: 1 },
        { key: "participant", count: 12 },
        { key: "observer", count: 1 },
      ],
    });
  });

  it("leaves out empty roles and gives zero for nobody", () => {
    expect(exactCounts({ participant: 0, observer: 2 })).toEqual({ total: 2, groups: [{ key: "observer", count: 2 }] });
    expect(exactCounts({})).toEqual({ total: 0, groups: [] });
  });
});

describe("protectCounts", () => {
  it("keeps staff roles as they are, however small", () => {
    expect(protectCounts({ organiser: 1, moderator: 1, rapporteur: 2, participant: 5 })).toEqual({
      total: 9,
      groups: [
        { key: "organiser", count: 1 },
        { key: "moderator", count: 1 },
        { key: "rapporteur", count: 2 },
        { key: "participant", count: 5 },
      ],
    });
  });

  it("merges groups under 3 into 'other'", () => {
    expect(protectCounts({ moderator: 1, panelist: 2, participant: 10, observer: 1 })).toEqual({
      total: 14,
      groups: [
        { key: "moderator", count: 1 },
        { key: "participant", count: 10 },
        { key: "other", count: 3 },
      ],
    });
    expect(protectCounts({ panelist: 2, participant: 10, observer: 2 })).toEqual({
      total: 14,
      groups: [
        { key: "participant", count: 10 },
        { key: "other", count: 4 },
      ],
    });
  });

  it("folds an 'other' still under 3 into the largest group", () => {
    expect(protectCounts({ panelist: 4, participant: 7, observer: 2 })).toEqual({
      total: 13,
      groups: [
        { key: "panelist", count: 4 },
        { key: "participant", count: 9 },
      ],
    });
    expect(protectCounts({ panelist: 3, participant: 1 }).groups).toEqual([{ key: "panelist", count: 4 }]);
  });

  it("folds into one largest group on a tie, never both", () => {
    const out = protectCounts({ panelist: 3, participant: 3, observer: 1 });
    expect(out.total).toBe(7);
    expect(out.groups.map((g) => g.count).sort()).toEqual([3, 4]);
  });

  it("shows a single 'other' when all non-staff people together are fewer than 3", () => {
    expect(protectCounts({ moderator: 1, participant: 1, observer: 1 })).toEqual({
      total: 3,
      groups: [
        { key: "moderator", count: 1 },
        { key: "other", count: 2 },
      ],
    });
    // Even one role alone is not named when it is that small.
    expect(protectCounts({ participant: 2 }).groups).toEqual([{ key: "other", count: 2 }]);
  });

  it("leaves groups of 3 or more alone", () => {
    expect(protectCounts({ panelist: 3, participant: 30, observer: 5 })).toEqual(exactCounts({ panelist: 3, participant: 30, observer: 5 }));
    expect(protectCounts({})).toEqual({ total: 0, groups: [] });
  });

  it("does not change the counts it was given", () => {
    const counts: RoleCounts = { panelist: 4, participant: 7, observer: 2 };
    protectCounts(counts);
    expect(counts).toEqual({ panelist: 4, participant: 7, observer: 2 });
  });

  /**
   * The guarantee, exactly: the total is unchanged and the groups add up to it; staff roles are
   * exact; a non-staff role is named only when at least 3 people hold it, and never with fewer than
   * it holds; no non-staff group under 3 is visible, except when all non-staff people together are
   * fewer than 3 (nothing left to hide them in), and then they are one unnamed "other".
   * (So "no group under 3 when there are at least 2 non-staff groups" does not hold as such: one
   * participant and one observer show as "other: 2", the only way to keep the total right.)
   */
  it("never shows a small non-staff group, for any counts (property)", () => {
    const counts = fc.record(Object.fromEntries(ALL.map((r) => [r, fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 60 }))])) as Record<SessionRole, fc.Arbitrary<number>>, {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(counts, (input: RoleCounts) => {
        const out = protectCounts(input);
        const exact = exactCounts(input);
        const nonStaffTotal = NON_STAFF.reduce((n, r) => n + (input[r] ?? 0), 0);
        const visibleNonStaff = out.groups.filter((g) => !STAFF.includes(g.key as SessionRole));

        expect(out.total).toBe(exact.total);
        expect(out.groups.reduce((n, g) => n + g.count, 0)).toBe(out.total);
        expect(out.groups.every((g) => g.count > 0)).toBe(true);
        expect(new Set(out.groups.map((g) => g.key)).size).toBe(out.groups.length);
        // Staff as they are, in order, first.
        expect(out.groups.slice(0, out.groups.length - visibleNonStaff.length)).toEqual(exact.groups.filter((g) => STAFF.includes(g.key as SessionRole)));

        for (const g of visibleNonStaff) {
          if (g.key !== "other") {
            expect(input[g.key]).toBeGreaterThanOrEqual(SMALL_GROUP);
            expect(g.count).toBeGreaterThanOrEqual(input[g.key]!);
          }
        }
        if (nonStaffTotal >= SMALL_GROUP) {
          expect(visibleNonStaff.every((g) => g.count >= SMALL_GROUP)).toBe(true);
        } else if (nonStaffTotal > 0) {
          expect(visibleNonStaff).toEqual([{ key: "other", count: nonStaffTotal }]);
        } else {
          expect(visibleNonStaff).toEqual([]);
        }
        // Whenever at least two non-staff groups are visible, none of them is small.
        if (visibleNonStaff.length >= 2) expect(visibleNonStaff.every((g) => g.count >= SMALL_GROUP)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
