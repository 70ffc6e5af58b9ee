/**
 * What the projector shows of a round (app/routes/sessions.$sessionId.projector.tsx). Kept apart from
 * state.ts, which the live room loads, because it needs the consensus wording (both languages).
 */
import { SMALL_COUNT, wordRecommendation } from "../models/consensus-wording";
import type { CountedResult, Level } from "../models/consensus";
import type { ResultView, VoteView } from "../models/recommendations.server";

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
