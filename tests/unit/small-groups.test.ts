/**
 * Small-count protection by group (app/models/small-groups.ts): groups under 3 merged into "other",
 * an "other" still under 3 folded into the largest group; shared by presence and summaries.
 */
import fc from "fast-check";
import { mergeSmallGroups, SMALL_GROUP, type GroupCount } from "../../app/models/small-groups";

type Cat = "academic" | "diplomat" | "ngo" | "un_official";
const g = (key: Cat | "other", count: number): GroupCount<Cat> => ({ key, count });

describe("mergeSmallGroups", () => {
  it("leaves groups of 3 or more as they are, in their order", () => {
    expect(mergeSmallGroups([g("diplomat", 3), g("academic", 12)])).toEqual([g("diplomat", 3), g("academic", 12)]);
  });

  it("merges groups under 3 into 'other', placed last", () => {
    expect(mergeSmallGroups([g("academic", 2), g("diplomat", 10), g("ngo", 1), g("un_official", 2)])).toEqual([g("diplomat", 10), g("other", 5)]);
  });

  it("folds an 'other' still under 3 into the largest group", () => {
    expect(mergeSmallGroups([g("academic", 4), g("diplomat", 7), g("ngo", 2)])).toEqual([g("academic", 4), g("diplomat", 9)]);
  });

  it("on a tie, folds into the first of the largest groups only", () => {
    expect(mergeSmallGroups([g("academic", 5), g("diplomat", 5), g("ngo", 1)])).toEqual([g("academic", 6), g("diplomat", 5)]);
  });

  it("pools a category called 'other' with the small ones, so it is never shown under 3 either", () => {
    expect(mergeSmallGroups([g("other", 2), g("academic", 6)])).toEqual([g("academic", 8)]);
    expect(mergeSmallGroups([g("other", 1), g("ngo", 2), g("academic", 6)])).toEqual([g("academic", 6), g("other", 3)]);
    expect(mergeSmallGroups([g("other", 4), g("academic", 6)])).toEqual([g("academic", 6), g("other", 4)]);
  });

  it("shows everyone as one 'other' when all together are fewer than 3, or when no group is large", () => {
    expect(mergeSmallGroups([g("academic", 1), g("ngo", 1)])).toEqual([g("other", 2)]);
    expect(mergeSmallGroups([g("academic", 2), g("ngo", 2), g("diplomat", 1)])).toEqual([g("other", 5)]);
  });

  it("drops empty groups and does not change its input", () => {
    const input = [g("academic", 0), g("diplomat", 4), g("ngo", 2)];
    expect(mergeSmallGroups(input)).toEqual([g("diplomat", 6)]);
    expect(input).toEqual([g("academic", 0), g("diplomat", 4), g("ngo", 2)]);
    expect(mergeSmallGroups([])).toEqual([]);
  });

  it("is idempotent: protecting protected counts changes nothing", () => {
    const once = mergeSmallGroups([g("academic", 2), g("diplomat", 10), g("ngo", 1), g("un_official", 4)]);
    expect(mergeSmallGroups(once)).toEqual(once);
  });

  it("keeps the total and never shows a group under 3 unless everyone together is under 3 (property)", () => {
    const keys: (Cat | "other")[] = ["academic", "diplomat", "ngo", "un_official", "other"];
    const arb = fc.array(fc.record({ key: fc.constantFrom(...keys), count: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 60 })) }), { maxLength: 8 });
    fc.assert(
      fc.property(arb, (raw) => {
        // One entry per key, as callers give.
        const input = keys.map((key) => ({ key, count: raw.filter((r) => r.key === key).reduce((n, r) => n + r.count, 0) }));
        const total = input.reduce((n, x) => n + x.count, 0);
        const out = mergeSmallGroups(input);
        expect(out.reduce((n, x) => n + x.count, 0)).toBe(total);
        expect(new Set(out.map((x) => x.key)).size).toBe(out.length);
        if (total >= SMALL_GROUP) expect(out.every((x) => x.count >= SMALL_GROUP)).toBe(true);
        else if (total > 0) expect(out).toEqual([{ key: "other", count: total }]);
        for (const x of out) if (x.key !== "other") expect(x.count).toBeGreaterThanOrEqual(input.find((i) => i.key === x.key)!.count);
        expect(mergeSmallGroups(out)).toEqual(out);
      }),
      { numRuns: 2000 },
    );
  });
});
