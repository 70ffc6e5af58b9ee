/**
 * The level function (app/models/consensus.ts) against SPEC section 4 and docs/consensus.md: counting,
 * quorum, levels in order, blocks, show of hands, declared levels, and the edge cases decided there.
 */
import fc from "fast-check";
import {
  declare,
  DEFAULT_THRESHOLDS,
  levelRank,
  LEVELS,
  roundedPercent,
  tally,
  validateHands,
  type CountedResult,
  type Level,
  type TallyError,
  type TallyInput,
  type Thresholds,
} from "../../app/models/consensus";
import { optionsOf, SCALE_KEYS, type MappingCounts } from "../../app/models/scales";

const counts = (support: number, neutral = 0, oppose = 0, block = 0): MappingCounts => ({ support, neutral, oppose, block });

function ok(input: TallyInput): CountedResult {
  const out = tally(input);
  if (!out.ok) throw new Error(`expected a result, got ${JSON.stringify(out.error)}`);
  return out.value;
}

function err(input: TallyInput): TallyError {
  const out = tally(input);
  if (out.ok) throw new Error(`expected an error, got the level ${out.value.level}`);
  return out.error;
}

/** Level of device positions only, everyone eligible having taken one. */
const levelOf = (c: MappingCounts, thresholds?: Partial<Thresholds>) => ok({ positions: c, eligible: c.support + c.neutral + c.oppose + c.block, thresholds }).level;

describe("levels, one case each", () => {
  it("unanimous: every position is support", () => {
    expect(levelOf(counts(34))).toBe("unanimous");
    expect(levelOf(counts(1))).toBe("unanimous");
  });

  it("consensus: no oppose, no block, support at least 80 %, abstentions counted in the whole", () => {
    const r = ok({ positions: counts(31, 3), eligible: 40 });
    expect(r).toMatchObject({ level: "consensus", taken: 34, eligible: 40, support: 31, neutral: 3, oppose: 0, block: 0, quorumReached: true, handsIncluded: false });
    expect(r.share).toBeCloseTo(31 / 34, 12);
    expect(r.sharePercent).toBe(91);
  });

  it("broad support: some opposition, no block, at least two thirds", () => {
    expect(levelOf(counts(25, 3, 6))).toBe("broad_support");
    // Strong support, but one person opposed: not consensus.
    expect(levelOf(counts(33, 0, 1))).toBe("broad_support");
    // No opposition but too many abstentions for consensus (24 of 34 = 70.6 %).
    expect(levelOf(counts(24, 10))).toBe("broad_support");
  });

  it("majority: more than half", () => {
    expect(levelOf(counts(20, 2, 12))).toBe("majority");
    expect(levelOf(counts(6, 0, 5))).toBe("majority");
  });

  it("divided: from a third to a half", () => {
    expect(levelOf(counts(15, 5, 14))).toBe("divided");
  });

  it("opposed: less than a third", () => {
    expect(levelOf(counts(8, 4, 22))).toBe("opposed");
    expect(levelOf(counts(0, 0, 5))).toBe("opposed");
    // Only abstentions: nobody supports it.
    expect(levelOf(counts(0, 12))).toBe("opposed");
  });

  it("no quorum: fewer than half of the people eligible took a position", () => {
    const r = ok({ positions: counts(12), eligible: 40 });
    expect(r).toMatchObject({ level: "no_quorum", quorumReached: false, taken: 12, eligible: 40, support: 12, sharePercent: 100 });
  });
});

describe("blocks", () => {
  it("prevent unanimity, consensus and broad support whatever the share", () => {
    expect(levelOf(counts(99, 0, 0, 1))).toBe("majority");
    expect(levelOf(counts(9, 0, 0, 1))).toBe("majority");
    expect(levelOf(counts(0, 0, 0, 1))).toBe("opposed");
    expect(levelOf(counts(1, 0, 0, 1))).toBe("divided");
  });

  it("come from the consent scale's objection too", () => {
    const r = ok({ positions: counts(0), eligible: 20, hands: { scale: "consent", headcount: 20, counts: { consent: 19, objection: 1 } } });
    expect(r).toMatchObject({ level: "majority", block: 1, support: 19 });
  });
});

describe("edge cases", () => {
  it("no position at all is no quorum with a share of 0, even with nobody eligible", () => {
    for (const eligible of [0, 1, 30]) {
      expect(ok({ positions: counts(0), eligible })).toMatchObject({ level: "no_quorum", taken: 0, share: 0, sharePercent: 0, quorumReached: false, eligible });
    }
    expect(ok({ positions: counts(0), eligible: 0, hands: { scale: "agree_abstain_disagree", headcount: 0, counts: {} } }).level).toBe("no_quorum");
  });

  it("counts device positions beyond the number eligible as eligible (a late arrival let in)", () => {
    const r = ok({ positions: counts(5, 1), eligible: 0 });
    expect(r).toMatchObject({ eligible: 6, quorumReached: true, level: "consensus" });
    expect(ok({ positions: counts(5, 1), eligible: 4, hands: { scale: "agree_abstain_disagree", headcount: 10, counts: { agree: 2 } } }).eligible).toBe(16);
  });

  it("reaches the quorum at exactly the threshold, not one below", () => {
    expect(ok({ positions: counts(17), eligible: 34 }).quorumReached).toBe(true);
    expect(ok({ positions: counts(16), eligible: 34 }).quorumReached).toBe(false);
    expect(ok({ positions: counts(3), eligible: 7, thresholds: { quorumPercent: 42 } }).quorumReached).toBe(true); // 42.86 %
    expect(ok({ positions: counts(3), eligible: 7, thresholds: { quorumPercent: 43 } }).quorumReached).toBe(false);
    expect(ok({ positions: counts(10), eligible: 10, thresholds: { quorumPercent: 100 } }).quorumReached).toBe(true);
    expect(ok({ positions: counts(9), eligible: 10, thresholds: { quorumPercent: 100 } }).quorumReached).toBe(false);
  });

  it("gives consensus at exactly the consensus threshold, not one position below", () => {
    expect(levelOf(counts(8, 2))).toBe("consensus");
    expect(levelOf(counts(80, 20))).toBe("consensus");
    expect(levelOf(counts(79, 21))).toBe("broad_support");
    expect(levelOf(counts(9, 1), { consensusPercent: 90 })).toBe("consensus");
    expect(levelOf(counts(89, 11), { consensusPercent: 90 })).toBe("broad_support");
  });

  it("reads 667 ‰ as two thirds: exactly two thirds is broad support, just under is not", () => {
    expect(levelOf(counts(2, 0, 1))).toBe("broad_support");
    expect(levelOf(counts(20, 0, 10))).toBe("broad_support");
    expect(levelOf(counts(6, 0, 3))).toBe("broad_support");
    expect(levelOf(counts(1999, 0, 1001))).toBe("majority"); // 66.63 %
    expect(levelOf(counts(1333, 0, 667))).toBe("broad_support"); // 66.65 %, rounds to 66.7 %
    expect(levelOf(counts(1332, 0, 668))).toBe("majority"); // 66.6 %
    // Other thresholds, at the thousandth.
    expect(levelOf(counts(3, 0, 1), { broadSupportPermille: 750 })).toBe("broad_support");
    expect(levelOf(counts(749, 0, 251), { broadSupportPermille: 750 })).toBe("majority");
    expect(levelOf(counts(7, 0, 3), { broadSupportPermille: 700 })).toBe("broad_support");
  });

  it("calls exactly one half divided, and one more supporting position a majority", () => {
    expect(levelOf(counts(5, 0, 5))).toBe("divided");
    expect(levelOf(counts(17, 3, 14))).toBe("divided");
    expect(levelOf(counts(6, 0, 5))).toBe("majority");
  });

  it("calls exactly one third divided, and just under opposed", () => {
    expect(levelOf(counts(1, 0, 2))).toBe("divided");
    expect(levelOf(counts(10, 10, 10))).toBe("divided");
    expect(levelOf(counts(9, 10, 11))).toBe("opposed");
  });

  it("shows 100 % only when every position is support and 0 % only when none is", () => {
    expect(roundedPercent(199, 200)).toBe(99);
    expect(roundedPercent(1, 300)).toBe(1);
    expect(roundedPercent(2, 3)).toBe(67);
    expect(roundedPercent(1, 2)).toBe(50);
    expect(roundedPercent(1, 8)).toBe(13); // 12.5 rounds up
    expect(roundedPercent(0, 0)).toBe(0);
    expect(roundedPercent(5, 5)).toBe(100);
  });

  it("fills in the default thresholds and reports those applied", () => {
    expect(ok({ positions: counts(1), eligible: 1 }).thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(ok({ positions: counts(1), eligible: 1, thresholds: { quorumPercent: 60, consensusPercent: undefined } }).thresholds).toEqual({ ...DEFAULT_THRESHOLDS, quorumPercent: 60 });
  });
});

describe("show of hands", () => {
  it("counts hands alone, with the declared headcount as the people eligible", () => {
    const r = ok({ positions: counts(0), eligible: 0, hands: { scale: "agree_abstain_disagree", headcount: 40, counts: { agree: 31, abstain: 3 } } });
    expect(r).toMatchObject({ level: "consensus", taken: 34, eligible: 40, handsIncluded: true, devicePositions: 0, handPositions: 34 });
  });

  it("adds hands to device positions, the headcount to the people eligible", () => {
    const r = ok({ positions: counts(10, 0, 1), eligible: 12, hands: { scale: "kaner", headcount: 20, counts: { endorse: 8, dislike_but_support: 4, serious_disagreement: 2, veto: 0 } } });
    expect(r).toMatchObject({ level: "broad_support", taken: 25, eligible: 32, support: 22, oppose: 3, devicePositions: 11, handPositions: 14, handsIncluded: true });
  });

  it("applies the quorum to hands: few hands in a large room is no quorum", () => {
    expect(ok({ positions: counts(0), eligible: 0, hands: { scale: "fist_of_five", headcount: 60, counts: { five: 20 } } }).level).toBe("no_quorum");
  });

  it("refuses more hands than the headcount, with the numbers", () => {
    expect(err({ positions: counts(0), eligible: 0, hands: { scale: "agree_abstain_disagree", headcount: 30, counts: { agree: 20, disagree: 11 } } })).toEqual({
      code: "hands_above_headcount",
      headcount: 30,
      hands: 31,
    });
    // Exactly the headcount is fine.
    expect(ok({ positions: counts(0), eligible: 0, hands: { scale: "agree_abstain_disagree", headcount: 30, counts: { agree: 20, disagree: 10 } } }).taken).toBe(30);
  });

  it("refuses negative, fractional or non-numeric counts and headcounts, and options of another scale", () => {
    const hands = (counts: Record<string, number>, headcount = 10) => ({ scale: "agree_abstain_disagree" as const, headcount, counts });
    expect(validateHands(hands({ agree: -1 }))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.counts.agree" } });
    expect(validateHands(hands({ agree: 1.5 }))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.counts.agree" } });
    expect(validateHands(hands({ agree: Number.NaN }))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.counts.agree" } });
    expect(validateHands(hands({ agree: "3" as unknown as number }))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.counts.agree" } });
    expect(validateHands(hands({ agree: 1 }, -1))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.headcount" } });
    expect(validateHands(hands({ agree: 1 }, Number.POSITIVE_INFINITY))).toEqual({ ok: false, error: { code: "count_invalid", field: "hands.headcount" } });
    expect(validateHands(hands({ block: 1 }))).toEqual({ ok: false, error: { code: "option_unknown", option: "block" } });
    expect(validateHands(hands({ agree: 2, abstain: 1 }))).toEqual({ ok: true, value: { counts: counts(2, 1), total: 3, headcount: 10 } });
  });
});

describe("invalid input", () => {
  it("is a typed error, never a thrown one", () => {
    expect(err({ positions: counts(-1), eligible: 3 })).toEqual({ code: "count_invalid", field: "positions.support" });
    expect(err({ positions: counts(1, 0, 0.5), eligible: 3 })).toEqual({ code: "count_invalid", field: "positions.oppose" });
    expect(err({ positions: counts(1), eligible: -3 })).toEqual({ code: "count_invalid", field: "eligible" });
    expect(err({ positions: counts(1), eligible: 3, thresholds: { quorumPercent: 0 } })).toEqual({ code: "thresholds_invalid", field: "quorumPercent" });
    expect(err({ positions: counts(1), eligible: 3, thresholds: { consensusPercent: 50 } })).toEqual({ code: "thresholds_invalid", field: "consensusPercent" });
    expect(err({ positions: counts(1), eligible: 3, thresholds: { broadSupportPermille: 500 } })).toEqual({ code: "thresholds_invalid", field: "broadSupportPermille" });
    // Broad support above consensus is refused, as the programme settings form does.
    expect(err({ positions: counts(1), eligible: 3, thresholds: { consensusPercent: 70, broadSupportPermille: 750 } })).toEqual({ code: "thresholds_invalid", field: "broadSupportPermille" });
  });
});

describe("declared levels", () => {
  it("are the sense of the room: marked declared, no counts", () => {
    const out = declare("consensus");
    expect(out).toEqual({ ok: true, value: { kind: "declared", declared: true, level: "consensus" } });
    for (const level of ["broad_support", "divided", "opposed"]) expect(declare(level).ok).toBe(true);
  });

  it("cannot be unanimous, a majority or no quorum: those need a count", () => {
    for (const level of ["unanimous", "majority", "no_quorum", "whatever"]) expect(declare(level)).toEqual({ ok: false, error: { code: "level_not_declarable", level } });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

describe("level order", () => {
  it("ranks no quorum lowest and unanimity highest", () => {
    const order: Level[] = ["no_quorum", "opposed", "divided", "majority", "broad_support", "consensus", "unanimous"];
    expect(order.map(levelRank)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...LEVELS].sort()).toEqual([...order].sort());
  });
});

const count = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 5000 }));
const mappingCounts = fc.record({ support: count, neutral: count, oppose: count, block: count });
const thresholds: fc.Arbitrary<Thresholds> = fc
  .record({ quorumPercent: fc.integer({ min: 1, max: 100 }), consensusPercent: fc.integer({ min: 51, max: 100 }), broadSupportPermille: fc.integer({ min: 501, max: 1000 }) })
  .map((t) => ({ ...t, broadSupportPermille: Math.min(t.broadSupportPermille, t.consensusPercent * 10) }));

/** A show of hands on some scale, within its headcount. */
const hands = fc
  .constantFrom(...SCALE_KEYS)
  .chain((scale) =>
    fc.tuple(fc.constant(scale), fc.array(count, { minLength: optionsOf(scale).length, maxLength: optionsOf(scale).length }), fc.integer({ min: 0, max: 200 })),
  )
  .map(([scale, ns, extra]) => ({
    scale,
    counts: Object.fromEntries(optionsOf(scale).map((o, i) => [o.key, ns[i]])),
    headcount: ns.reduce((a, b) => a + b, 0) + extra,
  }));

const input: fc.Arbitrary<TallyInput> = fc.record({
  positions: mappingCounts,
  eligible: count,
  hands: fc.option(hands, { nil: undefined }),
  thresholds: fc.option(thresholds, { nil: undefined }),
});

describe("properties", () => {
  it("one more supporting position never lowers the level", () => {
    fc.assert(
      fc.property(input, (i) => {
        const before = ok(i);
        const after = ok({ ...i, positions: { ...i.positions, support: i.positions.support + 1 } });
        expect(levelRank(after.level)).toBeGreaterThanOrEqual(levelRank(before.level));
      }),
      { numRuns: 1000 },
    );
  });

  it("one more supporting hand never lowers the level either", () => {
    fc.assert(
      fc.property(input, fc.nat(), (i, pick) => {
        if (!i.hands) return;
        const supportive = optionsOf(i.hands.scale).filter((o) => o.mapping === "support");
        const key = supportive[pick % supportive.length].key;
        const more = { ...i.hands, headcount: i.hands.headcount + 1, counts: { ...i.hands.counts, [key]: (i.hands.counts[key] ?? 0) + 1 } };
        expect(levelRank(ok({ ...i, hands: more }).level)).toBeGreaterThanOrEqual(levelRank(ok(i).level));
      }),
      { numRuns: 500 },
    );
  });

  it("one more position that is not support never raises the level once the quorum is reached", () => {
    fc.assert(
      fc.property(input, fc.constantFrom("neutral" as const, "oppose" as const, "block" as const), (i, m) => {
        const before = ok(i);
        if (!before.quorumReached) return;
        const after = ok({ ...i, positions: { ...i.positions, [m]: i.positions[m] + 1 } });
        expect(levelRank(after.level)).toBeLessThanOrEqual(levelRank(before.level));
      }),
      { numRuns: 1000 },
    );
  });

  it("never gives unanimity, consensus or broad support with a block", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 50 }), (i, blocks) => {
        const r = ok({ ...i, positions: { ...i.positions, block: i.positions.block + blocks } });
        expect(r.block).toBeGreaterThan(0);
        expect(["unanimous", "consensus", "broad_support"]).not.toContain(r.level);
      }),
      { numRuns: 1000 },
    );
  });

  it("is always no quorum below the quorum, and never no quorum at or above it", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = ok(i);
        const below = r.taken * 100 < r.thresholds.quorumPercent * r.eligible || r.taken === 0;
        expect(r.quorumReached).toBe(!below);
        expect(r.level === "no_quorum").toBe(below);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps the share within [0, 1] and adds the numbers up", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = ok(i);
        expect(r.share).toBeGreaterThanOrEqual(0);
        expect(r.share).toBeLessThanOrEqual(1);
        expect(r.sharePercent).toBeGreaterThanOrEqual(0);
        expect(r.sharePercent).toBeLessThanOrEqual(100);
        expect(r.support + r.neutral + r.oppose + r.block).toBe(r.taken);
        expect(r.devicePositions + r.handPositions).toBe(r.taken);
        expect(r.taken).toBeLessThanOrEqual(r.eligible);
        expect(r.handsIncluded).toBe(i.hands !== undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with the levels written with fractions and a rounded share (exact big-integer arithmetic)", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = ok(i);
        if (r.level === "no_quorum") return;
        const [s, t] = [BigInt(r.support), BigInt(r.taken)];
        const { consensusPercent: c, broadSupportPermille: b } = r.thresholds;
        const expected: Level =
          s === t
            ? "unanimous"
            : r.block === 0 && r.oppose === 0 && s * 100n >= BigInt(c) * t
              ? "consensus"
              : r.block === 0 && (2000n * s + t) / (2n * t) >= BigInt(b) // the share in thousandths, rounded half up
                ? "broad_support"
                : 2n * s > t
                  ? "majority"
                  : 3n * s >= t
                    ? "divided"
                    : "opposed";
        expect(r.level).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("always refuses hands above the headcount", () => {
    fc.assert(
      fc.property(hands, fc.integer({ min: 1, max: 100 }), mappingCounts, (h, over, positions) => {
        const total = Object.values(h.counts).reduce<number>((a, b) => a + (b ?? 0), 0);
        if (total === 0) return;
        const headcount = Math.max(0, total - over);
        const out = tally({ positions, eligible: 10, hands: { ...h, headcount } });
        expect(out).toEqual({ ok: false, error: { code: "hands_above_headcount", headcount, hands: total } });
      }),
      { numRuns: 500 },
    );
  });
});
