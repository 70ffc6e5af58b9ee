/**
 * Pure client-side logic for recommendations in the live room and on the projector: applying the
 * server's per-audience batches, keeping one's own positions in step with the rounds, the badge of a
 * result, the show-of-hands form's checks. What the projector may show of a staff-audience result is
 * in projection.ts (it needs the consensus wording, which the live room does not load).
 */
import type { RecommendationView, ResultView } from "../models/recommendations.server";
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
