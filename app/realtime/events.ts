/**
 * The typed event map shared by the socket.io server and its clients. Every client command is
 * acknowledged with `Ack<T>`; every payload is validated on the server with the schemas below
 * (and again by the domain).
 */
import { z } from "zod";
import type { AgendaView, Audience, PresenceView, QueueView, RoomState, SessionView } from "../models/live.server";
import type { Finding } from "../models/guard";
import type { NotesChange, NoteReceipt, NoteView } from "../models/notes";
import type { SessionAction, SessionStanding } from "../models/permissions";
import type { RecommendationView } from "../models/recommendations.server";

/**
 * Every command's answer. `error` is a catalogue key (namespace "errors"); `fields` says which fields
 * were wrong; `retryAfterMs` comes with "server_busy" (the server shed the command under load: nothing
 * was done, send it again after that long).
 */
export type Ack<T = undefined> = { ok: true; data: T } | { ok: false; error: string; fields?: Record<string, string[]>; retryAfterMs?: number };

const sessionId = z.string().uuid();
export const enterSessionPayload = z.object({ sessionId });
export const agendaCommandPayload = z.object({
  sessionId,
  itemId: z.string().uuid(),
  command: z.enum(["start", "pause", "resume", "extend", "end", "skip"]),
  extendByMs: z.number().int().positive().max(60 * 60 * 1000).optional(),
});
export const agendaReorderPayload = z.object({ sessionId, order: z.array(z.string().uuid()).max(100) });
export const agendaAddPayload = z.object({
  sessionId,
  title: z.string().max(200),
  plannedMinutes: z.number().int().min(1).max(600),
  description: z.string().max(2000).optional(),
  panelists: z.string().max(500).optional(),
  attributionMode: z.enum(["chatham_house", "anonymous", "on_the_record", ""]).optional(),
});
export const raiseHandPayload = z.object({ sessionId, kind: z.enum(["new", "reply", "order"]) });
export const entryPayload = z.object({ sessionId, entryId: z.string().uuid() });
export const floorPayload = z.object({ sessionId, entryId: z.string().uuid(), turnSeconds: z.number().int().min(15).max(3600).optional() });

// Notes: shapes only here; the domain validates every field and answers with per-field errors.
const noteId = z.string().max(64);
const noteFields = {
  text: z.string().max(8000),
  kind: z.string().max(20),
  themeIds: z.array(z.string().max(64)).max(20).optional(),
};
export const noteSubmitPayload = z.object({ sessionId, clientId: z.string().max(64), itemId: z.string().max(64), ...noteFields });
export const noteCheckPayload = z.object({ sessionId, text: z.string().max(8000), itemId: z.string().uuid().optional() });
export const noteEditPayload = z.object({ sessionId, noteId, ...noteFields });
export const noteRefPayload = z.object({ sessionId, noteId });
export const noteCuratePayload = z.object({ sessionId, noteId, action: z.string().max(20) });
export const noteMergePayload = z.object({ sessionId, targetId: noteId, noteIds: z.array(noteId).max(50), text: z.string().max(8000).optional() });

// Recommendations and positions: shapes only; the domain validates every field.
const recId = z.string().max(64);
const recFields = {
  text: z.string().max(8000),
  addresseeId: z.string().max(64).nullable().optional(),
  themeId: z.string().max(64).nullable().optional(),
  horizon: z.string().max(20).nullable().optional(),
  itemId: z.string().max(64).nullable().optional(),
  sourceNoteIds: z.array(z.string().max(64)).max(50).optional(),
};
export const recCreatePayload = z.object({ sessionId, ...recFields });
export const recUpdatePayload = z.object({ sessionId, recommendationId: recId, ...recFields });
export const recRevisePayload = z.object({ sessionId, recommendationId: recId, text: z.string().max(8000), reason: z.string().max(2000) });
export const recRefPayload = z.object({ sessionId, recommendationId: recId });
export const voteOpenPayload = z.object({ sessionId, recommendationId: recId, hiddenTally: z.boolean().optional() });
export const voteHandsPayload = z.object({ sessionId, recommendationId: recId, headcount: z.number(), counts: z.record(z.string().max(40), z.number()) });
export const voteDeclarePayload = z.object({ sessionId, recommendationId: recId, level: z.string().max(40) });
export const recDecidePayload = z.object({ sessionId, recommendationId: recId, status: z.string().max(20) });
export const positionPayload = z.object({ sessionId, recommendationId: recId, option: z.string().max(40) });

export type RoomSnapshot = {
  state: RoomState;
  presence: PresenceView;
  role: SessionStanding;
  audience: Audience;
  can: SessionAction[];
  /** Your own hand in the queue, and your turn if you hold the floor. */
  you: { entryId: string | null; floorEntryId: string | null };
  /** For those who may see it (projector, organisers). */
  joinCode: string | null;
  /** The notes this audience may see, and your own (all states, as you may see them). */
  notes: { feed: NoteView[]; mine: NoteView[] };
  /** Recommendations as this audience may see them, and your own current positions. */
  recommendations: RecommendationsState;
};

export type RecommendationsState = {
  recommendations: RecommendationView[];
  /** Your positions in open rounds: recommendation id -> option. */
  mine: Record<string, string>;
  scale: string;
  options: { key: string; mapping: string; mark: string | null }[];
};
export type RecommendationsChange = { sessionId: string; upsert: RecommendationView[]; remove: string[] };

/** One tick's worth of changes for one audience: each part replaces the previous one. */
export type RoomBatch = {
  sessionId: string;
  session?: SessionView;
  agenda?: AgendaView;
  queue?: QueueView;
  presence?: PresenceView;
};

type Cmd<P, T = undefined> = (payload: P, ack: (res: Ack<T>) => void) => void;

export interface ClientToServerEvents {
  /** Enter a session's room: answers with the whole current state (also after a failed recovery). */
  "session:enter": Cmd<z.input<typeof enterSessionPayload>, RoomSnapshot>;
  "session:leave": Cmd<z.input<typeof enterSessionPayload>>;
  "live:open": Cmd<z.input<typeof enterSessionPayload>>;
  "live:end": Cmd<z.input<typeof enterSessionPayload>>;
  "agenda:command": Cmd<z.input<typeof agendaCommandPayload>>;
  "agenda:reorder": Cmd<z.input<typeof agendaReorderPayload>>;
  "agenda:add": Cmd<z.input<typeof agendaAddPayload>, { id: string }>;
  "queue:raise": Cmd<z.input<typeof raiseHandPayload>, { entryId: string }>;
  "queue:lower": Cmd<z.input<typeof enterSessionPayload>>;
  "queue:remove": Cmd<z.input<typeof entryPayload>>;
  "queue:floor": Cmd<z.input<typeof floorPayload>>;
  "queue:endTurn": Cmd<z.input<typeof enterSessionPayload>>;
  /** Store a note (exactly once per client id) and answer what its author may know. */
  "notes:submit": Cmd<z.input<typeof noteSubmitPayload>, NoteReceipt>;
  /** The attribution guard while typing: the same answer as on submit. */
  "notes:check": Cmd<z.input<typeof noteCheckPayload>, { findings: Finding[] }>;
  "notes:edit": Cmd<z.input<typeof noteEditPayload>, NoteReceipt>;
  "notes:withdraw": Cmd<z.input<typeof noteRefPayload>>;
  "notes:curate": Cmd<z.input<typeof noteCuratePayload>>;
  "notes:curatorEdit": Cmd<z.input<typeof noteEditPayload>, { note: NoteView }>;
  "notes:merge": Cmd<z.input<typeof noteMergePayload>>;
  "recs:create": Cmd<z.input<typeof recCreatePayload>, { id: string }>;
  "recs:update": Cmd<z.input<typeof recUpdatePayload>>;
  "recs:revise": Cmd<z.input<typeof recRevisePayload>>;
  "recs:decide": Cmd<z.input<typeof recDecidePayload>>;
  "votes:open": Cmd<z.input<typeof voteOpenPayload>>;
  "votes:close": Cmd<z.input<typeof recRefPayload>>;
  "votes:hands": Cmd<z.input<typeof voteHandsPayload>>;
  "votes:declare": Cmd<z.input<typeof voteDeclarePayload>>;
  /** Take or change one's position; answers with the option taken only. */
  "positions:take": Cmd<z.input<typeof positionPayload>, { option: string }>;
}

export interface ServerToClientEvents {
  /** Session details or status changed: clients refresh what they show. */
  "session:updated": (payload: { sessionId: string; title: string; status: string }) => void;
  /** Your own hand or turn changed (sent to each of your devices in the room, and to nobody else). */
  "room:you": (payload: { sessionId: string; entryId: string | null; floorEntryId: string | null }) => void;
  /** The batched, per-audience changes of one tick. */
  "room:batch": (batch: RoomBatch) => void;
  /** Notes written, changed or taken away, as this audience may see them (batched per tick). */
  "notes:batch": (change: NotesChange) => void;
  /** Your own notes that changed (sent to your devices only). */
  "notes:mine": (change: NotesChange) => void;
  /** Recommendations and tallies that changed, as this audience may see them (batched per tick). */
  "recs:batch": (change: RecommendationsChange) => void;
}

export type SocketData = {
  userId: string;
  authSessionId: string;
  /** Rooms entered, with the standing they were entered under (checked again on recovery). */
  entered: Record<string, SessionStanding>;
};

/** Socket.io rooms. */
export const rooms = {
  session: (sessionId: string) => `session:${sessionId}`,
  audience: (sessionId: string, audience: Audience) => `session:${sessionId}:audience:${audience}`,
  sessionRole: (sessionId: string, role: SessionStanding) => `session:${sessionId}:role:${role}`,
  member: (sessionId: string, userId: string) => `member:${sessionId}:${userId}`,
  user: (userId: string) => `user:${userId}`,
  authSession: (authSessionId: string) => `auth:${authSessionId}`,
};
