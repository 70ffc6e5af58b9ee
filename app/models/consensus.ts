/**
 * The level of support a recommendation received (SPEC section 4), pure: no database, no clock.
 * The rules in plain words, with worked examples, are in docs/consensus.md; keep both in step.
 *
 * Every threshold comparison is done on integers (cross-multiplied), never on a computed share, so
 * that "exactly 80 %" is exactly 80 % and not 79.99999 %.
 *
 * Edge cases, decided here:
 * - No position at all (devices and hands): `no_quorum`, share 0, whatever the number eligible.
 * - Nobody eligible: only possible with no position (see next point), so `no_quorum`.
 * - More device positions than people eligible (someone who arrived after the vote opened was let
 *   in): they count as eligible, so eligible is never below the device positions.
 * - Exactly the quorum, the consensus threshold or the broad-support threshold: reached (>=).
 * - The broad-support threshold is in thousandths and is reached when the share, rounded to the
 *   nearest thousandth, reaches it: the default 667 then means two thirds, as SPEC says (20 of 30 is
 *   broad support; with a strict 0.667 it would not be).
 * - Exactly one half: `divided` (a majority is more than half). Exactly one third: `divided`.
 * - A block prevents unanimity, consensus and broad support whatever the share; majority, divided and
 *   opposed are still possible (they describe the share; the block is in the numbers).
 */
import { countsByMapping, isOption, type Mapping, type MappingCounts, type ScaleKey } from "./scales";

/** From the strongest to the weakest; `no_quorum` is below them all (nothing could be said). */
export const LEVELS = ["unanimous", "consensus", "broad_support", "majority", "divided", "opposed", "no_quorum"] as const;
export type Level = (typeof LEVELS)[number];

/** Rank for comparisons: higher is more support. `no_quorum` is 0. */
export function levelRank(level: Level): number {
  return LEVELS.length - 1 - LEVELS.indexOf(level);
}

/**
 * What a moderator may record as the sense of the room without a vote. Not `unanimous` (in UN
 * practice unanimity means a vote was taken and all voted alike), not `majority` (a majority is a
 * count), not `no_quorum` (a count too).
 */
export const DECLARABLE_LEVELS = ["consensus", "broad_support", "divided", "opposed"] as const satisfies readonly Level[];
export type DeclarableLevel = (typeof DECLARABLE_LEVELS)[number];

export type Thresholds = { quorumPercent: number; consensusPercent: number; broadSupportPermille: number };
/** The programme defaults (db/schema.ts). */
export const DEFAULT_THRESHOLDS: Thresholds = { quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667 };

/** Show of hands: the headcount the moderator declares in the room and the counts per option. */
export type HandsInput = { scale: ScaleKey; headcount: number; counts: Partial<Record<string, number>> };

export type TallyInput = {
  /** Positions taken on devices, by mapping. */
  positions: MappingCounts;
  /** Participants and panelists present when the vote opened (not counting the show-of-hands headcount). */
  eligible: number;
  hands?: HandsInput;
  /** The programme's thresholds; missing ones take the defaults. */
  thresholds?: Partial<Thresholds>;
};

export type TallyError =
  /** A count, the headcount or `eligible` is not a non-negative whole number. */
  | { code: "count_invalid"; field: string }
  /** A show-of-hands row names an option that is not on the scale. */
  | { code: "option_unknown"; option: string }
  /** More hands than the headcount the moderator declared. */
  | { code: "hands_above_headcount"; headcount: number; hands: number }
  /** Thresholds outside the ranges a programme can set (programmes.server.ts). */
  | { code: "thresholds_invalid"; field: keyof Thresholds }
  /** A level that cannot be declared without a vote. */
  | { code: "level_not_declarable"; level: string };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: TallyError };

export type CountedResult = {
  kind: "counted";
  declared: false;
  level: Level;
  /** All positions taken, abstentions included, devices and hands together. */
  taken: number;
  /** People eligible: present when the vote opened (at least the device positions) plus the headcount. */
  eligible: number;
  support: number;
  neutral: number;
  oppose: number;
  block: number;
  /** support / taken, in [0, 1]; 0 when nothing was taken. */
  share: number;
  /** The share as a whole percentage, never 100 unless every position is support, never 0 unless none is. */
  sharePercent: number;
  quorumReached: boolean;
  handsIncluded: boolean;
  /** Positions taken on devices, and by show of hands (0 when there was none). */
  devicePositions: number;
  handPositions: number;
  /** The thresholds applied, defaults filled in. */
  thresholds: Thresholds;
};

/** The sense of the room, recorded by the moderator without a vote: a level and no counts. */
export type DeclaredResult = { kind: "declared"; declared: true; level: DeclarableLevel };

export type ConsensusResult = CountedResult | DeclaredResult;

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
const fail = (error: TallyError): { ok: false; error: TallyError } => ({ ok: false, error });

/** Same ranges as the programme settings form, so that a stored programme always passes. */
export function validateThresholds(t: Partial<Thresholds> | undefined): Outcome<Thresholds> {
  const v = { ...DEFAULT_THRESHOLDS, ...stripUndefined(t ?? {}) };
  const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!inRange(v.quorumPercent, 1, 100)) return fail({ code: "thresholds_invalid", field: "quorumPercent" });
  if (!inRange(v.consensusPercent, 51, 100)) return fail({ code: "thresholds_invalid", field: "consensusPercent" });
  if (!inRange(v.broadSupportPermille, 501, 1000) || v.broadSupportPermille > v.consensusPercent * 10) {
    return fail({ code: "thresholds_invalid", field: "broadSupportPermille" });
  }
  return { ok: true, value: v };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Show-of-hands counts as the moderator entered them: whole numbers, options of the scale, and no
 * more hands than the headcount. Returns the counts by mapping and the number of hands.
 */
export function validateHands(hands: HandsInput): Outcome<{ counts: MappingCounts; total: number; headcount: number }> {
  if (!isCount(hands.headcount)) return fail({ code: "count_invalid", field: "hands.headcount" });
  let total = 0;
  for (const [option, n] of Object.entries(hands.counts)) {
    if (!isOption(hands.scale, option)) return fail({ code: "option_unknown", option });
    if (n === undefined) continue;
    if (!isCount(n)) return fail({ code: "count_invalid", field: `hands.counts.${option}` });
    total += n;
  }
  if (total > hands.headcount) return fail({ code: "hands_above_headcount", headcount: hands.headcount, hands: total });
  return { ok: true, value: { counts: countsByMapping(hands.scale, hands.counts), total, headcount: hands.headcount } };
}

/** Works out the level and the numbers behind it. Never throws on bad numbers: returns a TallyError. */
export function tally(input: TallyInput): Outcome<CountedResult> {
  const th = validateThresholds(input.thresholds);
  if (!th.ok) return th;
  if (!isCount(input.eligible)) return fail({ code: "count_invalid", field: "eligible" });
  for (const m of ["support", "neutral", "oppose", "block"] as Mapping[]) {
    if (!isCount(input.positions[m])) return fail({ code: "count_invalid", field: `positions.${m}` });
  }
  let hands = { counts: { support: 0, neutral: 0, oppose: 0, block: 0 } as MappingCounts, total: 0, headcount: 0 };
  if (input.hands) {
    const h = validateHands(input.hands);
    if (!h.ok) return h;
    hands = h.value;
  }

  const p = input.positions;
  const devicePositions = p.support + p.neutral + p.oppose + p.block;
  const support = p.support + hands.counts.support;
  const neutral = p.neutral + hands.counts.neutral;
  const oppose = p.oppose + hands.counts.oppose;
  const block = p.block + hands.counts.block;
  const taken = devicePositions + hands.total;
  const eligible = Math.max(input.eligible, devicePositions) + hands.headcount;
  const { quorumPercent, consensusPercent, broadSupportPermille } = th.value;

  const quorumReached = taken > 0 && taken * 100 >= quorumPercent * eligible;
  const level: Level = !quorumReached
    ? "no_quorum"
    : support === taken
      ? "unanimous"
      : block === 0 && oppose === 0 && support * 100 >= consensusPercent * taken
        ? "consensus"
        : block === 0 && support * 2000 >= (2 * broadSupportPermille - 1) * taken
          ? "broad_support"
          : support * 2 > taken
            ? "majority"
            : support * 3 >= taken
              ? "divided"
              : "opposed";

  return {
    ok: true,
    value: {
      kind: "counted",
      declared: false,
      level,
      taken,
      eligible,
      support,
      neutral,
      oppose,
      block,
      share: taken === 0 ? 0 : support / taken,
      sharePercent: roundedPercent(support, taken),
      quorumReached,
      handsIncluded: input.hands !== undefined,
      devicePositions,
      handPositions: hands.total,
      thresholds: th.value,
    },
  };
}

/** Half-up rounding on integers, kept off 0 and 100 unless the share is exactly that. */
export function roundedPercent(part: number, whole: number): number {
  if (whole === 0 || part === 0) return 0;
  if (part === whole) return 100;
  const rounded = Math.floor((200 * part + whole) / (2 * whole));
  return Math.min(99, Math.max(1, rounded));
}

/** The sense of the room, recorded without a vote ("adopted by consensus without a vote"). */
export function declare(level: string): Outcome<DeclaredResult> {
  if (!(DECLARABLE_LEVELS as readonly string[]).includes(level)) return fail({ code: "level_not_declarable", level });
  return { ok: true, value: { kind: "declared", declared: true, level: level as DeclarableLevel } };
}
