/**
 * Pure client-side logic for recommendations in the live room and on the projector: applying the
 * server's per-audience batches, keeping one's own positions in step with the rounds, the badge of a
 * result, the show-of-hands form's checks, and what the projector may show of a staff-audience result
 * (no counts where the room would not see them: small-count protection, numbers switched off).
 */
import { SMALL_COUNT, wordRecommendation } from "../models/consensus-wording";
import type { CountedResult, Level } from "../models/consensus";
import type { RecommendationView, ResultView, VoteView } from "../models/recommendations.server";
import type { RecommendationsChange, RecommendationsState } from "../realtime/events";

/** Upserts (in place, or appended in creation order) and removals; one's own positions follow the rounds. */
export function applyRecsChange(state: RecommendationsState, change: Pick<RecommendationsChange, "upsert" | "remove">): RecommendationsState {
  const removed = new Set(change.remove);
  const byId = new Map(change.upsert.map((r) => [r.id, r]));
  const list = state.recommendations.filter((r) => !removed.has(r.id) || byId.has(r.id)).map((r) => byId.get(r.id) ?? r);
  for (const r of change.upsert) if (!state.recommendations.some((x) => x.id === r.id)) list.push(r);
  const mine = { ...state.mine };
  for (const id of change.remove) delete mine[id];
  for (const r of change.upsert) {
    const before = state.recommendations.find((x) => x.id === r.id);
    // A position belongs to one round: a new round (or a closed one) starts without it.
    if (!r.vote?.open || (before?.vote && before.vote.id !== r.vote.id)) delete mine[r.id];
  }
  return { ...state, recommendations: list, mine };
}

/** One's own position, as acknowledged by the server. */
export function withPosition(state: RecommendationsState, recommendationId: string, option: string): RecommendationsState {
  return { ...state, mine: { ...state.mine, [recommendationId]: option } };
}

/** Catalogue keys (namespace "consensus") of a result's badge, as badgeKeys() in consensus-wording.ts. */
export function badgeOf(result: Pick<ResultView, "level" | "declared">): { label: string; marker: string | null } {
  if (!result.declared) return { label: `levels.${result.level}.label`, marker: null };
  if (result.level === "consensus") return { label: "declared.consensus", marker: null };
  return { label: `levels.${result.level}.label`, marker: "declared.label" };
}

/** The recommendation whose round is open, most recently changed last: the one the projector shows. */
export function currentOpen(recs: RecommendationView[]): RecommendationView | null {
  const open = recs.filter((r) => r.status === "open" && r.vote?.open);
  return open.length ? open[open.length - 1] : null;
}

/**
 * What the big screen shows: the round open for positions, or else the round that closed last (so the
 * room sees the outcome it has just given), or nothing.
 */
export function onScreen(recs: RecommendationView[]): RecommendationView | null {
  const open = currentOpen(recs);
  if (open) return open;
  let last: RecommendationView | null = null;
  for (const r of recs) {
    if (r.status === "draft" || !r.vote || r.vote.closedAt === null) continue;
    if (!last || (r.vote.closedAt ?? 0) > (last.vote!.closedAt ?? 0)) last = r;
  }
  return last;
}

export type HandsFormError = { field: "headcount" | string; code: "number_invalid" | "hands_above_headcount" };
export type HandsParse = { ok: true; headcount: number; counts: Record<string, number> } | { ok: false; errors: HandsFormError[] };

/**
 * The show-of-hands form: a headcount and a count per option, as typed. Blank counts are 0; every
 * value must be a whole number from 0; the hands may not add up to more than the headcount.
 */
export function parseHands(headcount: string, counts: Record<string, string>): HandsParse {
  const errors: HandsFormError[] = [];
  const whole = (s: string, blankIsZero: boolean): number | null => {
    const v = s.trim();
    if (v === "") return blankIsZero ? 0 : null;
    return /^\d{1,6}$/.test(v) ? Number(v) : null;
  };
  const h = whole(headcount, false);
  if (h === null) errors.push({ field: "headcount", code: "number_invalid" });
  const out: Record<string, number> = {};
  for (const [key, raw] of Object.entries(counts)) {
    const n = whole(raw, true);
    if (n === null) errors.push({ field: key, code: "number_invalid" });
    else if (n > 0) out[key] = n;
  }
  if (errors.length) return { ok: false, errors };
  const total = Object.values(out).reduce((a, b) => a + b, 0);
  if (h !== null && total > h) return { ok: false, errors: [{ field: "headcount", code: "hands_above_headcount" }] };
  return { ok: true, headcount: h ?? 0, counts: out };
}

export type ProjectedResult = { level: Level; declared: boolean; counts: ResultView["counts"]; wording: { en: string; fr: string } };

/**
 * What the projector (which gets the staff audience's view) shows of a round: nothing while the tally
 * is hidden until close; otherwise the level and the wording, with counts only where the room would
 * see them (numbers on, and at least SMALL_COUNT people counted). The room's wording is rebuilt from
 * the staff counts with the same wording function the server uses.
 */
export function projectedResult(vote: VoteView, text: string, showNumbers: boolean): ProjectedResult | null {
  const result = vote.result;
  if (!result || (vote.open && vote.hiddenTally)) return null;
  const level = result.level as Level;
  if (result.declared || !result.counts) return { level, declared: result.declared, counts: null, wording: result.wording };
  const c = result.counts;
  const handPositions = vote.hands ? Object.values(vote.hands.counts).reduce((a, b) => a + b, 0) : 0;
  const counted: CountedResult = {
    kind: "counted",
    declared: false,
    level,
    taken: c.taken,
    eligible: c.eligible,
    support: c.support,
    neutral: c.neutral,
    oppose: c.oppose,
    block: c.block,
    share: c.taken ? c.support / c.taken : 0,
    sharePercent: c.sharePercent,
    quorumReached: c.quorumReached,
    handsIncluded: result.handsIncluded,
    devicePositions: Math.max(0, c.taken - handPositions),
    handPositions,
    thresholds: { quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667 },
  };
  const visible = showNumbers && c.taken >= SMALL_COUNT;
  const options = { audience: "public" as const, numbers: showNumbers };
  return {
    level,
    declared: false,
    counts: visible ? c : null,
    wording: { en: wordRecommendation(counted, text, { lang: "en", ...options }).text, fr: wordRecommendation(counted, text, { lang: "fr", ...options }).text },
  };
}
