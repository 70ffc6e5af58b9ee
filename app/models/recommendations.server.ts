/**
 * Recommendations and consensus (SPEC section 4): drafting (from scratch or from proposal notes),
 * revisions with reasons, rounds of positions on the session's scale, show of hands, the sense of
 * the room declared without a vote, and what each audience may see of the tallies.
 *
 * Positions are anonymous: each stores HMAC(session secret, userId | voteId) so that a person can
 * change theirs while the vote is open and nothing else links them; the tags are nulled with the
 * secret at finalisation. Views carry aggregates only, with small-count protection for the room.
 * The level function and the wording are pure (consensus.ts, consensus-wording.ts).
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { addressees, agendaItems, dialogueSessions, HORIZONS, notes, positions, programmes, recommendationRevisions, recommendations, recommendationSources, themes, votes } from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Actor } from "./actor";
import type { Audit } from "./audit.server";
import { declare as declareLevel, DECLARABLE_LEVELS, tally, type ConsensusResult, type TallyError } from "./consensus";
import { wordRecommendation } from "./consensus-wording";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import { parseOrThrow } from "./parse";
import type { RoleCounts } from "./presence";
import { countsByMapping, isOption, isScaleKey, optionsOf, type ScaleKey } from "./scales";
import { scaleKeySchema } from "./scales-input";
import type { Secrets } from "./secrets.server";
import { newId } from "./tokens.server";

type RecRow = typeof recommendations.$inferSelect;
type VoteRow = typeof votes.$inferSelect;
export type RecAudience = "staff" | "room";

const MAX_TEXT = 2000;
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optionalUuid = z
  .preprocess(blankToUndefined, z.string({ invalid_type_error: "choice_invalid" }).uuid("choice_invalid").optional())
  .transform((v) => v ?? null);
const recText = z.string({ required_error: "required" }).trim().min(1, "required").max(MAX_TEXT, "too_long");
const recInput = z.object({
  text: recText,
  addresseeId: optionalUuid,
  themeId: optionalUuid,
  horizon: z.preprocess(blankToUndefined, z.enum(HORIZONS, { errorMap: () => ({ message: "choice_invalid" }) }).optional()).transform((v) => v ?? null),
  itemId: optionalUuid,
  sourceNoteIds: z.array(z.string().uuid("note_not_found")).max(50, "too_many").optional().default([]),
});
const reviseInput = z.object({ text: recText, reason: z.string({ required_error: "required" }).trim().min(1, "required").max(500, "too_long") });
const openInput = z.object({ hiddenTally: z.boolean().optional().default(false) });
const handsInput = z.object({
  headcount: z.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(0, "out_of_range").max(100_000, "out_of_range"),
  counts: z.record(z.string().max(40), z.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(0, "out_of_range")),
});
const declareInput = z.object({ level: z.enum(DECLARABLE_LEVELS, { errorMap: () => ({ message: "choice_invalid" }) }) });
const decideInput = z.object({ status: z.enum(["adopted", "not_adopted"], { errorMap: () => ({ message: "choice_invalid" }) }) });
const positionInput = z.object({ option: z.string({ required_error: "required" }).max(40, "choice_invalid") });
const votingInput = z.object({ scale: scaleKeySchema, showNumbers: z.boolean() });

export type ResultView = {
  level: string;
  declared: boolean;
  /** Null where the audience may not see counts (small-count protection, numbers switched off). */
  counts: { taken: number; eligible: number; support: number; neutral: number; oppose: number; block: number; sharePercent: number; quorumReached: boolean } | null;
  handsIncluded: boolean;
  wording: { en: string; fr: string };
};
export type VoteView = {
  id: string;
  round: number;
  scale: ScaleKey;
  open: boolean;
  /** When the round closed (ms), null while open. */
  closedAt: number | null;
  hiddenTally: boolean;
  /** The running or final tally as this audience may see it; null while hidden until close. */
  result: ResultView | null;
  /** Staff only: the show-of-hands counts entered. */
  hands: { headcount: number; counts: Record<string, number> } | null;
};
export type RecommendationView = {
  id: string;
  itemId: string | null;
  text: string;
  addresseeId: string | null;
  themeId: string | null;
  horizon: (typeof HORIZONS)[number] | null;
  status: RecRow["status"];
  round: number;
  sourceNoteIds: string[];
  revisions: { round: number; text: string; reason: string }[];
  /** The current round, and the earlier rounds with the results they kept. */
  vote: VoteView | null;
  earlier: VoteView[];
};

function tallyError(e: TallyError): never {
  if (e.code === "hands_above_headcount") throw new DomainError("invalid", "hands_above_headcount", { counts: ["hands_above_headcount"] });
  if (e.code === "option_unknown") throw new DomainError("invalid", "choice_invalid", { counts: ["choice_invalid"] });
  if (e.code === "level_not_declarable") throw new DomainError("invalid", "choice_invalid", { level: ["choice_invalid"] });
  throw new DomainError("invalid", "number_invalid", { counts: ["number_invalid"] });
}

export function createRecommendations(deps: { db: Db; now: () => number; access: Access; audit: Audit; events: DomainEventBus; secrets: Secrets }) {
  const { db, now, access, audit, events, secrets } = deps;
  /** Who is present, by role, across every process: set by the real-time adapter (it knows the connections). */
  let presenceOf: (sessionId: string) => RoleCounts | Promise<RoleCounts> = () => ({});

  const changed = (sessionId: string, ids: string[]) => events.emit("recommendations.changed", { sessionId, ids });

  function requireRec(sessionId: string, recId: unknown): RecRow {
    const id = parseOrThrow(z.string().uuid("recommendation_not_found"), recId);
    const row = db.select().from(recommendations).where(and(eq(recommendations.id, id), eq(recommendations.sessionId, sessionId))).get();
    if (!row) throw new DomainError("not_found", "recommendation_not_found");
    return row;
  }

  function currentVote(rec: RecRow): VoteRow | null {
    return db.select().from(votes).where(and(eq(votes.recommendationId, rec.id), eq(votes.round, rec.round))).get() ?? null;
  }

  function requireWorking(session: SessionRow) {
    if (!["draft", "scheduled", "live", "ended"].includes(session.status)) throw new DomainError("conflict", "session_locked");
  }

  function checkRefs(session: SessionRow, data: z.output<typeof recInput>) {
    if (data.addresseeId && !db.select({ id: addressees.id }).from(addressees).where(and(eq(addressees.id, data.addresseeId), eq(addressees.programmeId, session.programmeId))).get()) {
      throw new DomainError("invalid", "choice_invalid", { addresseeId: ["choice_invalid"] });
    }
    if (data.themeId && !db.select({ id: themes.id }).from(themes).where(and(eq(themes.id, data.themeId), eq(themes.programmeId, session.programmeId))).get()) {
      throw new DomainError("invalid", "choice_invalid", { themeId: ["choice_invalid"] });
    }
    if (data.itemId && !db.select({ id: agendaItems.id }).from(agendaItems).where(and(eq(agendaItems.id, data.itemId), eq(agendaItems.sessionId, session.id))).get()) {
      throw new DomainError("invalid", "item_not_found", { itemId: ["item_not_found"] });
    }
    if (data.sourceNoteIds.length) {
      const found = db.select({ id: notes.id }).from(notes).where(and(eq(notes.sessionId, session.id), inArray(notes.id, data.sourceNoteIds))).all();
      if (found.length !== new Set(data.sourceNoteIds).size) throw new DomainError("invalid", "note_not_found", { sourceNoteIds: ["note_not_found"] });
    }
  }

  // ---- Drafting ----

  /** A recommendation from scratch, or from proposal notes (their ids kept as sources). */
  function create(actor: Actor, sessionId: string, input: unknown, as: "recommendations.draft" | "recommendations.consolidate" = "recommendations.draft"): { id: string } {
    const { actor: a, session } = access.requireSession(actor, sessionId, as);
    requireWorking(session);
    const data = parseOrThrow(recInput, input);
    checkRefs(session, data);
    const id = newId();
    const t = now();
    db.transaction((tx) => {
      tx.insert(recommendations)
        .values({ id, sessionId, itemId: data.itemId, text: data.text, addresseeId: data.addresseeId, themeId: data.themeId, horizon: data.horizon, status: "draft", round: 1, createdAt: t })
        .run();
      for (const noteId of new Set(data.sourceNoteIds)) tx.insert(recommendationSources).values({ recommendationId: id, noteId }).run();
      tx.insert(recommendationRevisions).values({ id: newId(), recommendationId: id, round: 1, text: data.text, reason: "", createdAt: t }).run();
    });
    audit.record({ action: "recommendation.created", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id });
    changed(sessionId, [id]);
    return { id };
  }

  /** Edits a draft freely (no positions yet). Once positions were asked for, use revise. */
  function update(actor: Actor, sessionId: string, recId: unknown, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "recommendations.draft");
    requireWorking(session);
    const rec = requireRec(sessionId, recId);
    if (rec.status !== "draft") throw new DomainError("conflict", "recommendation_not_draft");
    const data = parseOrThrow(recInput, input);
    checkRefs(session, data);
    db.transaction((tx) => {
      tx.update(recommendations)
        .set({ text: data.text, addresseeId: data.addresseeId, themeId: data.themeId, horizon: data.horizon, itemId: data.itemId, updatedAt: now() })
        .where(eq(recommendations.id, rec.id))
        .run();
      tx.update(recommendationRevisions).set({ text: data.text }).where(and(eq(recommendationRevisions.recommendationId, rec.id), eq(recommendationRevisions.round, rec.round))).run();
      tx.delete(recommendationSources).where(eq(recommendationSources.recommendationId, rec.id)).run();
      for (const noteId of new Set(data.sourceNoteIds)) tx.insert(recommendationSources).values({ recommendationId: rec.id, noteId }).run();
    });
    audit.record({ action: "recommendation.changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id });
    changed(sessionId, [rec.id]);
  }

  /**
   * A new wording with its reason. On a recommendation open for positions this starts a new round:
   * the open round closes with its result kept, and a new one opens on the new wording.
   */
  async function revise(actor: Actor, sessionId: string, recId: unknown, input: unknown) {
    access.requireSession(actor, sessionId, "recommendations.draft");
    // Who may take a position if this starts a new round; then everything is read again and changed
    // in one go, as before the wait.
    const eligible = await eligibleNow(sessionId);
    const { actor: a, session } = access.requireSession(actor, sessionId, "recommendations.draft");
    requireWorking(session);
    const rec = requireRec(sessionId, recId);
    const data = parseOrThrow(reviseInput, input);
    const vote = currentVote(rec);
    const wasOpen = rec.status === "open" && vote && vote.closedAt === null;
    const round = rec.round + 1;
    const t = now();
    db.transaction((tx) => {
      if (wasOpen) closeRound(session, rec, vote, t);
      tx.update(recommendations)
        .set({ text: data.text, round, status: wasOpen ? "open" : rec.status === "draft" ? "draft" : "closed", updatedAt: t })
        .where(eq(recommendations.id, rec.id))
        .run();
      tx.insert(recommendationRevisions).values({ id: newId(), recommendationId: rec.id, round, text: data.text, reason: data.reason, createdAt: t }).run();
      if (wasOpen) tx.insert(votes).values({ id: newId(), recommendationId: rec.id, round, scale: vote.scale, eligible, hiddenTally: vote.hiddenTally, openedAt: t }).run();
    });
    audit.record({ action: "recommendation.revised", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { round } });
    changed(sessionId, [rec.id]);
  }

  // ---- Running votes ----

  async function eligibleNow(sessionId: string): Promise<number> {
    const counts = await presenceOf(sessionId);
    return (counts.participant ?? 0) + (counts.panelist ?? 0);
  }

  async function openVote(actor: Actor, sessionId: string, recId: unknown, input: unknown = {}) {
    access.requireSession(actor, sessionId, "votes.run");
    // Who is present now (in every process); then everything is read again and changed in one go.
    const eligible = await eligibleNow(sessionId);
    const { actor: a, session } = access.requireSession(actor, sessionId, "votes.run");
    if (session.status !== "live") throw new DomainError("conflict", session.status === "ended" ? "session_ended" : "session_not_live");
    const rec = requireRec(sessionId, recId);
    if (rec.status !== "draft" && rec.status !== "closed") throw new DomainError("conflict", "vote_not_openable");
    const { hiddenTally } = parseOrThrow(openInput, input);
    const scale = isScaleKey(session.scale) ? session.scale : "agree_abstain_disagree";
    const t = now();
    // Reopening a closed recommendation starts a new round on the same wording.
    const round = currentVote(rec) ? rec.round + 1 : rec.round;
    db.transaction((tx) => {
      tx.update(recommendations).set({ status: "open", round, updatedAt: t }).where(eq(recommendations.id, rec.id)).run();
      if (round !== rec.round) tx.insert(recommendationRevisions).values({ id: newId(), recommendationId: rec.id, round, text: rec.text, reason: "", createdAt: t }).run();
      tx.insert(votes).values({ id: newId(), recommendationId: rec.id, round, scale, eligible, hiddenTally, openedAt: t }).run();
    });
    audit.record({ action: "vote.opened", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { round } });
    changed(sessionId, [rec.id]);
  }

  function thresholdsOf(session: SessionRow) {
    const p = db.select({ quorumPercent: programmes.quorumPercent, consensusPercent: programmes.consensusPercent, broadSupportPermille: programmes.broadSupportPermille }).from(programmes).where(eq(programmes.id, session.programmeId)).get();
    return p ?? undefined;
  }

  /** The counted result of a round now (devices and hands together). */
  function countRound(session: SessionRow, vote: VoteRow): ConsensusResult {
    if (vote.declaredLevel) {
      const d = declareLevel(vote.declaredLevel);
      if (!d.ok) tallyError(d.error);
      return d.value;
    }
    const scale = (isScaleKey(vote.scale) ? vote.scale : "agree_abstain_disagree") as ScaleKey;
    const perOption: Record<string, number> = {};
    for (const row of db.select({ option: positions.option, n: sql<number>`count(*)` }).from(positions).where(eq(positions.voteId, vote.id)).groupBy(positions.option).all()) perOption[row.option] = row.n;
    const res = tally({
      positions: countsByMapping(scale, perOption),
      eligible: vote.eligible,
      hands: vote.handsHeadcount !== null && vote.hands ? { scale, headcount: vote.handsHeadcount, counts: vote.hands } : undefined,
      thresholds: thresholdsOf(session),
    });
    if (!res.ok) tallyError(res.error);
    return res.value;
  }

  function closeRound(session: SessionRow, rec: RecRow, vote: VoteRow, t: number) {
    const result = countRound(session, vote);
    db.update(votes).set({ closedAt: t, result: result as unknown as Record<string, unknown> }).where(eq(votes.id, vote.id)).run();
  }

  function requireOpenVote(rec: RecRow): VoteRow {
    const vote = currentVote(rec);
    if (rec.status !== "open" || !vote || vote.closedAt !== null) throw new DomainError("conflict", "vote_closed");
    return vote;
  }

  function closeVote(actor: Actor, sessionId: string, recId: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "votes.run");
    const rec = requireRec(sessionId, recId);
    const vote = requireOpenVote(rec);
    const t = now();
    db.transaction(() => {
      closeRound(session, rec, vote, t);
      db.update(recommendations).set({ status: "closed", updatedAt: t }).where(eq(recommendations.id, rec.id)).run();
    });
    audit.record({ action: "vote.closed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { round: rec.round } });
    changed(sessionId, [rec.id]);
  }

  /** Show of hands: the headcount declared in the room and counts per option, added to device positions. */
  function recordHands(actor: Actor, sessionId: string, recId: unknown, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "votes.run");
    const rec = requireRec(sessionId, recId);
    const vote = requireOpenVote(rec);
    const { headcount, counts } = parseOrThrow(handsInput, input);
    const scale = (isScaleKey(vote.scale) ? vote.scale : "agree_abstain_disagree") as ScaleKey;
    // Checked by the level function before anything is stored: nothing recorded changes on bad input.
    const check = tally({ positions: { support: 0, neutral: 0, oppose: 0, block: 0 }, eligible: 0, hands: { scale, headcount, counts } });
    if (!check.ok) tallyError(check.error);
    db.update(votes).set({ handsHeadcount: headcount, hands: counts }).where(eq(votes.id, vote.id)).run();
    audit.record({ action: "vote.hands_recorded", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { headcount } });
    changed(sessionId, [rec.id]);
  }

  /** The sense of the room without a vote: a declared level, marked as such, no counts. */
  function declare(actor: Actor, sessionId: string, recId: unknown, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "votes.run");
    requireWorking(session);
    const rec = requireRec(sessionId, recId);
    const { level } = parseOrThrow(declareInput, input);
    if (rec.status === "open") throw new DomainError("conflict", "vote_open");
    const t = now();
    const round = currentVote(rec) ? rec.round + 1 : rec.round;
    const result = declareLevel(level);
    if (!result.ok) tallyError(result.error);
    db.transaction((tx) => {
      tx.update(recommendations).set({ status: "closed", round, updatedAt: t }).where(eq(recommendations.id, rec.id)).run();
      if (round !== rec.round) tx.insert(recommendationRevisions).values({ id: newId(), recommendationId: rec.id, round, text: rec.text, reason: "", createdAt: t }).run();
      tx.insert(votes)
        .values({ id: newId(), recommendationId: rec.id, round, scale: session.scale, eligible: 0, declaredLevel: level, result: result.value as unknown as Record<string, unknown>, openedAt: t, closedAt: t })
        .run();
    });
    audit.record({ action: "vote.declared", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { level } });
    changed(sessionId, [rec.id]);
  }

  /** Adopted or not adopted, once positions are closed (or a level declared). */
  function decide(actor: Actor, sessionId: string, recId: unknown, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "votes.run");
    requireWorking(session);
    const rec = requireRec(sessionId, recId);
    const { status } = parseOrThrow(decideInput, input);
    if (!["closed", "adopted", "not_adopted"].includes(rec.status)) throw new DomainError("conflict", "vote_not_closed");
    db.update(recommendations).set({ status, updatedAt: now() }).where(eq(recommendations.id, rec.id)).run();
    audit.record({ action: "recommendation.decided", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: rec.id, details: { status } });
    changed(sessionId, [rec.id]);
  }

  // ---- Positions ----

  /** Takes or changes one's position while the round is open. Answers with the option taken only. */
  function takePosition(actor: Actor, sessionId: string, recId: unknown, input: unknown): { option: string } {
    const { actor: a, session } = access.requireSession(actor, sessionId, "positions.take");
    const rec = requireRec(sessionId, recId);
    if (rec.status === "draft") throw new DomainError("not_found", "recommendation_not_found");
    const vote = requireOpenVote(rec);
    const { option } = parseOrThrow(positionInput, input);
    const scale = (isScaleKey(vote.scale) ? vote.scale : "agree_abstain_disagree") as ScaleKey;
    if (!isOption(scale, option)) throw new DomainError("invalid", "choice_invalid", { option: ["choice_invalid"] });
    if (session.status !== "live") throw new DomainError("conflict", "session_ended");
    const tag = secrets.tagOf(secrets.secretOf(sessionId, true)!, a.userId, vote.id);
    db.insert(positions)
      .values({ id: newId(), voteId: vote.id, option, voterTag: tag })
      .onConflictDoUpdate({ target: [positions.voteId, positions.voterTag], set: { option } })
      .run();
    changed(sessionId, [rec.id]);
    return { option };
  }

  /** One's own positions in the current rounds (recommendation id -> option), for one's own devices. */
  function myPositions(userId: string, sessionId: string): Record<string, string> {
    const secret = secrets.secretOf(sessionId, false);
    if (!secret) return {};
    const open = db
      .select({ recId: recommendations.id, voteId: votes.id })
      .from(recommendations)
      .innerJoin(votes, and(eq(votes.recommendationId, recommendations.id), eq(votes.round, recommendations.round)))
      .where(and(eq(recommendations.sessionId, sessionId), isNull(votes.closedAt)))
      .all();
    const out: Record<string, string> = {};
    for (const { recId, voteId } of open) {
      const row = db.select({ option: positions.option }).from(positions).where(and(eq(positions.voteId, voteId), eq(positions.voterTag, secrets.tagOf(secret, userId, voteId)))).get();
      if (row) out[recId] = row.option;
    }
    return out;
  }

  // ---- Views ----

  function resultView(session: SessionRow, text: string, result: ConsensusResult, audience: RecAudience): ResultView {
    const options = { audience: audience === "staff" ? ("staff" as const) : ("public" as const), numbers: audience === "staff" ? true : session.showNumbers };
    const en = wordRecommendation(result, text, { lang: "en", ...options });
    const fr = wordRecommendation(result, text, { lang: "fr", ...options });
    const counts =
      result.kind === "counted" && en.countsShown
        ? { taken: result.taken, eligible: result.eligible, support: result.support, neutral: result.neutral, oppose: result.oppose, block: result.block, sharePercent: result.sharePercent, quorumReached: result.quorumReached }
        : null;
    return { level: result.level, declared: result.declared, counts, handsIncluded: en.handsIncluded, wording: { en: en.text, fr: fr.text } };
  }

  function roundText(rec: RecRow, round: number): string {
    if (round === rec.round) return rec.text;
    const rev = db
      .select({ text: recommendationRevisions.text })
      .from(recommendationRevisions)
      .where(and(eq(recommendationRevisions.recommendationId, rec.id), eq(recommendationRevisions.round, round)))
      .get();
    return rev?.text ?? rec.text;
  }

  function voteView(session: SessionRow, rec: RecRow, vote: VoteRow, audience: RecAudience): VoteView {
    const open = vote.closedAt === null;
    const hidden = open && vote.hiddenTally && audience === "room";
    const result = hidden ? null : open ? countRound(session, vote) : (vote.result as unknown as ConsensusResult);
    return {
      id: vote.id,
      round: vote.round,
      scale: (isScaleKey(vote.scale) ? vote.scale : "agree_abstain_disagree") as ScaleKey,
      open,
      closedAt: vote.closedAt,
      hiddenTally: vote.hiddenTally,
      // Each round is worded on the text it was on (earlier rounds keep theirs).
      result: result ? resultView(session, roundText(rec, vote.round), result, audience) : null,
      hands: audience === "staff" && vote.handsHeadcount !== null ? { headcount: vote.handsHeadcount, counts: vote.hands ?? {} } : null,
    };
  }

  function viewOf(session: SessionRow, rec: RecRow, audience: RecAudience): RecommendationView | null {
    if (audience === "room" && rec.status === "draft") return null;
    const rounds = db.select().from(votes).where(eq(votes.recommendationId, rec.id)).orderBy(asc(votes.round)).all();
    const current = rounds.find((v) => v.round === rec.round) ?? null;
    return {
      id: rec.id,
      itemId: rec.itemId,
      text: rec.text,
      addresseeId: rec.addresseeId,
      themeId: rec.themeId,
      horizon: rec.horizon,
      status: rec.status,
      round: rec.round,
      sourceNoteIds: db.select({ id: recommendationSources.noteId }).from(recommendationSources).where(eq(recommendationSources.recommendationId, rec.id)).all().map((r) => r.id),
      revisions: db
        .select({ round: recommendationRevisions.round, text: recommendationRevisions.text, reason: recommendationRevisions.reason })
        .from(recommendationRevisions)
        .where(eq(recommendationRevisions.recommendationId, rec.id))
        .orderBy(asc(recommendationRevisions.round))
        .all(),
      vote: current ? voteView(session, rec, current, audience) : null,
      earlier: rounds.filter((v) => v.round !== rec.round && v.closedAt !== null).map((v) => voteView(session, rec, v, audience)),
    };
  }

  function sessionRow(sessionId: string): SessionRow | null {
    return db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get() ?? null;
  }

  /** The recommendations this person's audience may see, with their own current positions. */
  function list(actor: Actor, sessionId: string, audience: RecAudience) {
    const { actor: a, session, can } = access.requireSession(actor, sessionId, "session.room.join");
    const rows = db.select().from(recommendations).where(eq(recommendations.sessionId, sessionId)).orderBy(asc(recommendations.createdAt)).all();
    return {
      recommendations: rows.map((r) => viewOf(session, r, audience)).filter((v): v is RecommendationView => !!v),
      mine: can.includes("positions.take") ? myPositions(a.userId, sessionId) : {},
      scale: (isScaleKey(session.scale) ? session.scale : "agree_abstain_disagree") as ScaleKey,
      options: optionsOf((isScaleKey(session.scale) ? session.scale : "agree_abstain_disagree") as ScaleKey).map((o) => ({ key: o.key, mapping: o.mapping, mark: o.mark ?? null })),
    };
  }

  /** What changed for an audience (the batched fan-out). */
  function changesFor(sessionId: string, ids: string[], audience: RecAudience): { upsert: RecommendationView[]; remove: string[] } {
    const session = sessionRow(sessionId);
    if (!session || !ids.length) return { upsert: [], remove: [] };
    const rows = db.select().from(recommendations).where(and(eq(recommendations.sessionId, sessionId), inArray(recommendations.id, ids))).all();
    const upsert = rows.map((r) => viewOf(session, r, audience)).filter((v): v is RecommendationView => !!v);
    const shown = new Set(upsert.map((v) => v.id));
    return { upsert, remove: audience === "staff" ? ids.filter((id) => !rows.some((r) => r.id === id)) : ids.filter((id) => !shown.has(id) && !rows.some((r) => r.id === id && r.status === "draft")) };
  }

  /** The session's scale and the organiser's numbers switch (not while a vote is open). */
  function setVoting(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "session.configure");
    const data = parseOrThrow(votingInput, input);
    const open = db
      .select({ id: votes.id })
      .from(votes)
      .innerJoin(recommendations, eq(recommendations.id, votes.recommendationId))
      .where(and(eq(recommendations.sessionId, sessionId), isNull(votes.closedAt)))
      .get();
    if (open && data.scale !== session.scale) throw new DomainError("conflict", "vote_open", { scale: ["vote_open"] });
    db.update(dialogueSessions).set({ scale: data.scale, showNumbers: data.showNumbers }).where(eq(dialogueSessions.id, sessionId)).run();
    audit.record({ action: "session.voting_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId, details: data });
    const ids = db.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.sessionId, sessionId)).all().map((r) => r.id);
    changed(sessionId, ids);
  }

  /** At finalisation (inside its transaction): positions can no longer be linked to anyone. */
  function destroyVoterTags(sessionId: string) {
    const voteIds = db
      .select({ id: votes.id })
      .from(votes)
      .innerJoin(recommendations, eq(recommendations.id, votes.recommendationId))
      .where(eq(recommendations.sessionId, sessionId))
      .all()
      .map((v) => v.id);
    if (voteIds.length) db.update(positions).set({ voterTag: null }).where(inArray(positions.voteId, voteIds)).run();
  }

  // When the room ends, open rounds close with their results.
  events.on("session.updated", ({ sessionId }) => {
    const session = sessionRow(sessionId);
    if (!session || session.status === "live") return;
    const open = db
      .select({ rec: recommendations, vote: votes })
      .from(votes)
      .innerJoin(recommendations, eq(recommendations.id, votes.recommendationId))
      .where(and(eq(recommendations.sessionId, sessionId), isNull(votes.closedAt)))
      .all();
    if (!open.length) return;
    const t = now();
    db.transaction(() => {
      for (const { rec, vote } of open) {
        closeRound(session, rec, vote, t);
        db.update(recommendations).set({ status: "closed", updatedAt: t }).where(eq(recommendations.id, rec.id)).run();
      }
    });
    changed(
      sessionId,
      open.map((o) => o.rec.id),
    );
  });

  return {
    setPresenceSource(fn: (sessionId: string) => RoleCounts | Promise<RoleCounts>) {
      presenceOf = fn;
    },
    create,
    update,
    revise,
    openVote,
    closeVote,
    recordHands,
    declare,
    decide,
    takePosition,
    myPositions,
    list,
    changesFor,
    setVoting,
    destroyVoterTags,
  };
}
export type Recommendations = ReturnType<typeof createRecommendations>;
