/**
 * The live room's recommendations logic on the client: batches applied in place, one's own position
 * dropped when its round ends or a new one starts, the badge keys, the show-of-hands form's checks,
 * and the projector never showing counts the room would not see.
 */
import type { RecommendationView, ResultView, VoteView } from "../../app/models/recommendations.server";
import type { RecommendationsState } from "../../app/realtime/events";
import { projectedResult } from "../../app/recommendations/projection";
import { applyRecsChange, badgeOf, currentOpen, onScreen, parseHands, withPosition } from "../../app/recommendations/state";

const counts = (over: Partial<NonNullable<ResultView["counts"]>> = {}) => ({ taken: 3, eligible: 4, support: 3, neutral: 0, oppose: 0, block: 0, sharePercent: 100, quorumReached: true, ...over });
const vote = (over: Partial<VoteView> = {}): VoteView => ({ id: "v1", round: 1, scale: "agree_abstain_disagree", open: true, closedAt: null, hiddenTally: false, result: null, hands: null, ...over });
const rec = (id: string, over: Partial<RecommendationView> = {}): RecommendationView => ({
  id,
  itemId: null,
  text: "Les autorités doivent rouvrir les écoles",
  addresseeId: null,
  themeId: null,
  horizon: null,
  status: "open",
  round: 1,
  sourceNoteIds: [],
  revisions: [{ round: 1, text: "x", reason: "" }],
  vote: vote(),
  earlier: [],
  ...over,
});
const state = (recommendations: RecommendationView[], mine: Record<string, string> = {}): RecommendationsState => ({ recommendations, mine, scale: "agree_abstain_disagree", options: [] });

describe("applyRecsChange", () => {
  it("replaces in place, appends new ones, removes", () => {
    const s = state([rec("a"), rec("b"), rec("c")]);
    const next = applyRecsChange(s, { upsert: [rec("b", { text: "changed" }), rec("d")], remove: ["a"] });
    expect(next.recommendations.map((r) => r.id)).toEqual(["b", "c", "d"]);
    expect(next.recommendations[0].text).toBe("changed");
  });

  it("keeps one's position while the round is open, drops it when the round closes or a new one starts", () => {
    const s = withPosition(state([rec("a"), rec("b")]), "a", "agree");
    expect(applyRecsChange(s, { upsert: [rec("a")], remove: [] }).mine).toEqual({ a: "agree" });
    expect(applyRecsChange(s, { upsert: [rec("a", { status: "closed", vote: vote({ open: false }) })], remove: [] }).mine).toEqual({});
    expect(applyRecsChange(s, { upsert: [rec("a", { round: 2, vote: vote({ id: "v2", round: 2 }) })], remove: [] }).mine).toEqual({});
    expect(applyRecsChange(s, { upsert: [], remove: ["a"] }).mine).toEqual({});
  });
});

describe("badgeOf", () => {
  it("gives the level, and marks declared levels (declared consensus has the UN phrase)", () => {
    expect(badgeOf({ level: "broad_support", declared: false })).toEqual({ label: "levels.broad_support.label", marker: null });
    expect(badgeOf({ level: "consensus", declared: true })).toEqual({ label: "declared.consensus", marker: null });
    expect(badgeOf({ level: "divided", declared: true })).toEqual({ label: "levels.divided.label", marker: "declared.label" });
  });
});

describe("currentOpen", () => {
  it("is the last recommendation with an open round", () => {
    expect(currentOpen([rec("a"), rec("b", { status: "draft", vote: null }), rec("c", { status: "closed", vote: vote({ open: false }) })])?.id).toBe("a");
    expect(currentOpen([rec("b", { status: "draft", vote: null })])).toBeNull();
  });
});

describe("onScreen", () => {
  it("shows the open round, else the round that closed last, never a draft", () => {
    const closed = (id: string, at: number) => rec(id, { status: "closed", vote: vote({ id: `v-${id}`, open: false, closedAt: at }) });
    expect(onScreen([closed("old", 1), rec("a"), closed("new", 5)])?.id).toBe("a");
    expect(onScreen([closed("old", 1), closed("new", 5), closed("mid", 3)])?.id).toBe("new");
    expect(onScreen([rec("b", { status: "draft", vote: null })])).toBeNull();
    expect(onScreen([])).toBeNull();
  });
});

describe("parseHands", () => {
  it("accepts whole numbers, blanks as zero", () => {
    expect(parseHands("30", { agree: "24", abstain: "", disagree: "2" })).toEqual({ ok: true, headcount: 30, counts: { agree: 24, disagree: 2 } });
  });
  it("refuses what is not a whole number, per field", () => {
    expect(parseHands("", { agree: "2" })).toEqual({ ok: false, errors: [{ field: "headcount", code: "number_invalid" }] });
    expect(parseHands("10", { agree: "-1", abstain: "2.5", disagree: "x" })).toEqual({
      ok: false,
      errors: [
        { field: "agree", code: "number_invalid" },
        { field: "abstain", code: "number_invalid" },
        { field: "disagree", code: "number_invalid" },
      ],
    });
  });
  it("refuses more hands than the headcount", () => {
    expect(parseHands("30", { agree: "25", disagree: "6" })).toEqual({ ok: false, errors: [{ field: "headcount", code: "hands_above_headcount" }] });
  });
});

describe("projectedResult", () => {
  const staffResult = (c: ReturnType<typeof counts>, level = "unanimous"): ResultView => ({ level, declared: false, counts: c, handsIncluded: false, wording: { en: `staff (${c.taken})`, fr: `staff (${c.taken})` } });

  it("shows nothing while the tally is hidden until close", () => {
    expect(projectedResult(vote({ hiddenTally: true, result: staffResult(counts()) }), "x", true)).toBeNull();
  });

  it("under 10 people counted: the level in words, no counts, no digits in the wording", () => {
    const shown = projectedResult(vote({ result: staffResult(counts()) }), "Les autorités doivent rouvrir les écoles", true)!;
    expect(shown.counts).toBeNull();
    expect(shown.level).toBe("unanimous");
    expect(shown.wording.fr).toBe("Les participants ont convenu à l'unanimité que les autorités doivent rouvrir les écoles.");
    expect(shown.wording.en).not.toMatch(/\d/);
  });

  it("from 10 people counted, counts as the room sees them; none when the organiser turned numbers off", () => {
    const c = counts({ taken: 20, eligible: 20, support: 16, neutral: 3, oppose: 1, sharePercent: 80 });
    const shown = projectedResult(vote({ result: staffResult(c, "broad_support") }), "The State should act", true)!;
    expect(shown.counts).toEqual(c);
    expect(shown.wording.en).toBe("Participants broadly agreed that the State should act (16 of 20 participants in support, 1 opposed).");
    const off = projectedResult(vote({ result: staffResult(c, "broad_support") }), "The State should act", false)!;
    expect(off.counts).toBeNull();
    expect(off.wording.en).toBe("Participants broadly agreed that the State should act.");
  });

  it("says when hands were counted, without counts under 10", () => {
    const result = { ...staffResult(counts({ taken: 5, eligible: 5, support: 5 })), handsIncluded: true };
    const shown = projectedResult(vote({ result, hands: { headcount: 5, counts: { agree: 5 } } }), "The water points must be protected", true)!;
    expect(shown.wording.en).toBe("Participants unanimously agreed that the water points must be protected (by show of hands).");
  });
});
