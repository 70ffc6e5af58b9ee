/**
 * Robustness (issue 9): the real server, in a child process, takes more than 10,000 malformed,
 * oversized, wrong-typed and out-of-order payloads on every socket event it listens to, raw malformed
 * socket.io packets, and random POSTs to every route action, from people of several roles with valid
 * sign-in cookies and our Origin. It stays up (/healthz answers), every socket answer is a well-formed
 * acknowledgement and never an unexpected failure ("internal"), the only connections it drops are
 * those that sent an oversized or malformed packet, every HTTP answer is below 500, nothing is logged
 * as an unexpected error, and its memory stays bounded (resident set size from /proc).
 *
 * Deterministic: every payload comes from a seeded generator (one stream per sender, so the order in
 * which answers come back does not change what is sent).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io as ioClient, type Socket } from "socket.io-client";
import { MAX_PAYLOAD_BYTES } from "../../app/realtime/socket.server";
import { LiteSocket } from "../../scripts/bench/lite-socket";
import { startChild, type ChildServer, type Fixture, type Person } from "../support/child";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SEED = 0x5eed_2026;
const SOCKET_PAYLOADS = 9_000;
const RAW_FRAMES = 1_000;
const HTTP_POSTS = 2_500;
/**
 * Memory, over two equal rounds. What stays alive (the heap after a full garbage collection in the
 * child) must not grow with the number of payloads: the second round may not add more than
 * LIVE_HEAP_ROUND_BOUND to what the first left. The resident set size (from /proc) includes the
 * allocator's high-water mark (eight posts of up to MAX_FORM_BYTES at once, V8's spaces), which the
 * process keeps: it must stay under RSS_GROWTH_BOUND above the warm-up.
 */
const LIVE_HEAP_ROUND_BOUND = 32 * 1024 * 1024;
const RSS_GROWTH_BOUND = 300 * 1024 * 1024;

type Rng = () => number;
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const hex = (r: Rng, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(r, 16)]).join("");
const uuid = (r: Rng) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${pick(r, ["8", "9", "a", "b"])}${hex(r, 3)}-${hex(r, 12)}`;

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "‮evil",
  "🙂".repeat(40),
  "ߒߓߔ",
  "مرحبا",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' OR 1=1 --",
  "\"; DROP TABLE notes; --",
  "../../../../etc/passwd",
  "%00",
  "%%%",
  "<script>alert(1)</script>",
  "{{constructor.constructor('return 1')()}}",
  "NaN",
  "null",
  "undefined",
  "-1",
  "1e309",
  "0x10",
  "true",
  "[]",
  "{}",
  "Moussa Traoré said the CMA refused.",
];

/** An own property, even "__proto__" (which plain assignment would turn into the prototype), as JSON.parse makes it. */
function put(o: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Any JSON-ish value, with the odd corners (deep nesting, huge numbers, odd keys, binary). */
function randomValue(r: Rng, depth = 0, ids: string[] = []): unknown {
  const roll = int(r, depth > 2 ? 9 : 14);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, [0, -0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 1.5, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY]);
    case 3:
      return int(r, 1_000_000) - 500_000;
    case 4:
      return pick(r, ODD_STRINGS);
    case 5:
      return hex(r, int(r, 40));
    case 6:
      return ids.length && r() < 0.6 ? pick(r, ids) : uuid(r);
    case 7:
      return "x".repeat(int(r, 3_000));
    case 8:
      return String.fromCharCode(...Array.from({ length: int(r, 60) }, () => int(r, 0xffff)));
    case 9:
    case 10:
      return Array.from({ length: int(r, 8) }, () => randomValue(r, depth + 1, ids));
    case 11:
    case 12: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 6); i > 0; i--) put(o, r() < 0.3 ? pick(r, ODD_STRINGS) : hex(r, 6), randomValue(r, depth + 1, ids));
      return o;
    }
    default: {
      // Deep nesting.
      let v: unknown = pick(r, [1, "deep", null]);
      for (let i = int(r, 1_500); i > 0; i--) v = r() < 0.5 ? [v] : { a: v };
      return v;
    }
  }
}

type Ids = { sessionId: string; itemId: string; pendingItemId: string; themeId: string; noteIds: string[]; recommendationId: string; entryId: string; programmeId: string };
const text = (r: Rng) => pick(r, ["Les routes ne sont pas sûres.", "The market needs patrols.", "Il faut rouvrir les écoles.", "Moussa Traoré a dit non.", "ߒߓߔ ߕߖ"]) + ` ${hex(r, 6)}`;

/** A well-formed payload for every event the server listens to (the starting point of mutations). */
const TEMPLATES: Record<string, (r: Rng, ids: Ids) => Record<string, unknown>> = {
  "session:enter": (_r, { sessionId }) => ({ sessionId }),
  "session:leave": (_r, { sessionId }) => ({ sessionId }),
  "live:open": (_r, { sessionId }) => ({ sessionId }),
  "live:end": (_r, { sessionId }) => ({ sessionId }),
  "agenda:command": (r, { sessionId, itemId, pendingItemId }) => ({ sessionId, itemId: pick(r, [itemId, pendingItemId]), command: pick(r, ["start", "pause", "resume", "extend", "end", "skip"]), extendByMs: 60_000 }),
  "agenda:reorder": (r, { sessionId, itemId, pendingItemId }) => ({ sessionId, order: r() < 0.5 ? [pendingItemId, itemId] : [itemId, pendingItemId] }),
  "agenda:add": (r, { sessionId }) => ({ sessionId, title: text(r), plannedMinutes: 1 + int(r, 60), description: text(r), panelists: "", attributionMode: pick(r, ["chatham_house", "anonymous", "on_the_record", ""]) }),
  "queue:raise": (r, { sessionId }) => ({ sessionId, kind: pick(r, ["new", "reply", "order"]) }),
  "queue:lower": (_r, { sessionId }) => ({ sessionId }),
  "queue:remove": (_r, { sessionId, entryId }) => ({ sessionId, entryId }),
  "queue:floor": (_r, { sessionId, entryId }) => ({ sessionId, entryId, turnSeconds: 60 }),
  "queue:endTurn": (_r, { sessionId }) => ({ sessionId }),
  "notes:submit": (r, { sessionId, itemId, themeId }) => ({ sessionId, clientId: hex(r, 32), itemId, kind: pick(r, ["point", "proposal", "question", "concern"]), themeIds: r() < 0.5 ? [themeId] : [], text: text(r) }),
  "notes:check": (r, { sessionId, itemId }) => ({ sessionId, text: text(r), itemId }),
  "notes:edit": (r, { sessionId, noteIds }) => ({ sessionId, noteId: pick(r, noteIds), text: text(r), kind: "point", themeIds: [] }),
  "notes:withdraw": (r, { sessionId, noteIds }) => ({ sessionId, noteId: pick(r, noteIds) }),
  "notes:curate": (r, { sessionId, noteIds }) => ({ sessionId, noteId: pick(r, noteIds), action: pick(r, ["hide", "show", "highlight", "unhighlight", "dismissFlag"]) }),
  "notes:curatorEdit": (r, { sessionId, noteIds }) => ({ sessionId, noteId: pick(r, noteIds), text: text(r), kind: "question", themeIds: [] }),
  "notes:merge": (r, { sessionId, noteIds }) => ({ sessionId, targetId: pick(r, noteIds), noteIds: [pick(r, noteIds), pick(r, noteIds)], text: text(r) }),
  "recs:create": (r, { sessionId, themeId, itemId, noteIds }) => ({ sessionId, text: text(r), addresseeId: null, themeId, horizon: pick(r, ["immediate", "medium", "long", null]), itemId, sourceNoteIds: [pick(r, noteIds)] }),
  "recs:update": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, text: text(r), addresseeId: null, themeId: null, horizon: null, itemId: null, sourceNoteIds: [] }),
  "recs:revise": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, text: text(r), reason: text(r) }),
  "recs:decide": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, status: pick(r, ["adopted", "not_adopted", "draft"]) }),
  "votes:open": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, hiddenTally: r() < 0.5 }),
  "votes:close": (_r, { sessionId, recommendationId }) => ({ sessionId, recommendationId }),
  "votes:hands": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, headcount: int(r, 50), counts: { agree: int(r, 30), disagree: int(r, 30), [pick(r, ODD_STRINGS)]: int(r, 5) } }),
  "votes:declare": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, level: pick(r, ["consensus", "broad_support", "divided", "no_support", "unanimity", ""]) }),
  "positions:take": (r, { sessionId, recommendationId }) => ({ sessionId, recommendationId, option: pick(r, ["agree", "disagree", "abstain", "block", "1", "5", ""]) }),
};
const EVENTS = Object.keys(TEMPLATES);

type Emission = { event: string; args: unknown[]; ack: boolean; oversized: boolean; kind: string };

/** One socket payload: a template, mutated or not, or something else entirely. */
function socketPayload(r: Rng, ids: Ids, idPool: string[]): Emission {
  const event = r() < 0.02 ? pick(r, ["notes:delete", "admin:purge", "constructor", "__proto__", "session:ENTER", hex(r, 12), "x".repeat(300)]) : pick(r, EVENTS);
  const base = (Object.hasOwn(TEMPLATES, event) ? TEMPLATES[event] : TEMPLATES["session:enter"])(r, ids);
  const roll = r();
  let kind: string;
  let payload: unknown;
  if (roll < 0.22) {
    kind = "valid";
    payload = base;
  } else if (roll < 0.55) {
    kind = "mutated";
    const o: Record<string, unknown> = { ...base };
    const keys = Object.keys(o);
    for (let i = 1 + int(r, 3); i > 0; i--) o[pick(r, keys)] = randomValue(r, 0, idPool);
    payload = o;
  } else if (roll < 0.68) {
    kind = "reshaped";
    const o: Record<string, unknown> = { ...base };
    if (r() < 0.5) delete o[pick(r, Object.keys(o))];
    for (let i = int(r, 4); i > 0; i--) put(o, pick(r, [...ODD_STRINGS, "sessionId", "userId", "role", "isAdmin", hex(r, 5)]), randomValue(r, 1, idPool));
    payload = o;
  } else if (roll < 0.85) {
    kind = "random";
    payload = randomValue(r, 0, idPool);
  } else if (roll < 0.88) {
    kind = "binary";
    payload = r() < 0.5 ? Buffer.from(hex(r, 64), "hex") : { ...base, text: Buffer.alloc(int(r, 2_000), 7) };
  } else if (roll < 0.92) {
    kind = "oversized";
    payload = { ...base, text: "ü".repeat(MAX_PAYLOAD_BYTES + int(r, 30_000)) };
  } else if (roll < 0.96) {
    kind = "arity";
    const extra = Array.from({ length: int(r, 3) }, () => randomValue(r, 1, idPool));
    return { event, args: r() < 0.3 ? [] : [base, ...extra, randomValue(r, 1, idPool)], ack: true, oversized: false, kind };
  } else {
    kind = "no-ack";
    return { event, args: [r() < 0.5 ? base : randomValue(r, 0, idPool)], ack: false, oversized: false, kind };
  }
  const size = Buffer.byteLength(JSON.stringify([event, payload]) ?? "");
  return { event, args: [payload], ack: true, oversized: size > MAX_PAYLOAD_BYTES - 200, kind };
}

/** A raw engine.io text frame: malformed socket.io packets among well-formed ones. */
function rawFrame(r: Rng, ids: Ids): string {
  const enter = JSON.stringify(["session:enter", { sessionId: ids.sessionId }]);
  return pick(r, [
    () => `42${int(r, 1e6)}${enter}`,
    () => `42${enter.slice(0, int(r, enter.length))}`,
    () => `42${int(r, 10)}[${"[".repeat(int(r, 5_000))}`,
    () => `4${pick(r, ["5", "6", "7", "9", "a", ""])}${enter}`,
    () => `451-${JSON.stringify(["notes:submit", { _placeholder: true, num: int(r, 5) }])}`,
    () => `4${int(r, 3) + 5}${int(r, 99)}-["x"]`,
    () => `43${int(r, 1e9)}${JSON.stringify([{ ok: true }])}`,
    () => `42/admin,${enter}`,
    () => `40/${hex(r, 6)},`,
    () => `40${JSON.stringify(randomValue(r, 1))}`,
    () => `42${JSON.stringify([int(r, 100), randomValue(r, 1)])}`,
    () => `42${JSON.stringify(["disconnect"])}`,
    () => `42${JSON.stringify(["newListener", "x"])}`,
    () => `4299999999999999999999999999${enter}`,
    () => pick(r, ["2", "3", "3probe", "5", "6", "9", "", "4", "41"]),
    () => {
      const v = randomValue(r, 0);
      return typeof v === "string" ? v : (JSON.stringify(v) ?? "");
    },
  ])();
}

type SocketFindings = { emitted: number; answered: number; ok: number; errors: Map<string, number>; malformedAnswers: string[]; internal: string[]; unanswered: string[]; unexplainedDrops: string[]; drops: number; noAck: number; byKind: Map<string, number> };

async function fuzzSockets(child: ChildServer, person: Person, ids: Ids, idPool: string[], seed: number, count: number, f: SocketFindings) {
  const r = mulberry32(seed);
  let socket: Socket | null = null;
  let last: Emission | null = null;
  let dropped = false;
  let closing = false;
  const connect = async () => {
    const s = ioClient(child.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: person.cookie, origin: child.url } });
    dropped = false;
    s.on("disconnect", (reason) => {
      if (closing) return;
      dropped = true;
      f.drops += 1;
      if (!last?.oversized) f.unexplainedDrops.push(`${person.role}: ${reason} after ${last?.kind} ${last?.event}`);
    });
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", (e) => reject(e));
    });
    return s;
  };
  for (let i = 0; i < count; i++) {
    if (!socket || dropped) {
      closing = true;
      socket?.close();
      closing = false;
      socket = await connect();
      // Half the time enter the room first; out of order otherwise.
      if (r() < 0.5) await socket.timeout(10_000).emitWithAck("session:enter", { sessionId: ids.sessionId }).catch(() => undefined);
    }
    const emission = socketPayload(r, ids, idPool);
    last = emission;
    f.emitted += 1;
    f.byKind.set(emission.kind, (f.byKind.get(emission.kind) ?? 0) + 1);
    if (!emission.ack) {
      f.noAck += 1;
      socket.emit(emission.event, ...emission.args);
      continue;
    }
    const s = socket;
    const answer = await new Promise<{ reply?: unknown; dropped?: true; timeout?: true }>((resolve) => {
      const timer = setTimeout(() => resolve(dropped ? { dropped: true } : { timeout: true }), 10_000);
      const onDrop = () => {
        clearTimeout(timer);
        resolve({ dropped: true });
      };
      s.once("disconnect", onDrop);
      s.emit(emission.event, ...emission.args, (reply: unknown) => {
        clearTimeout(timer);
        s.off("disconnect", onDrop);
        resolve({ reply });
      });
    });
    if (answer.dropped) continue;
    if (answer.timeout) {
      f.unanswered.push(`${person.role} ${emission.kind} ${emission.event}`);
      continue;
    }
    f.answered += 1;
    const reply = answer.reply as { ok?: unknown; error?: unknown; data?: unknown } | null;
    if (!reply || typeof reply !== "object" || typeof reply.ok !== "boolean" || (reply.ok === false && typeof reply.error !== "string")) {
      f.malformedAnswers.push(`${emission.event}: ${JSON.stringify(reply)?.slice(0, 200)}`);
    } else if (reply.ok) {
      f.ok += 1;
    } else {
      const key = reply.error as string;
      f.errors.set(key, (f.errors.get(key) ?? 0) + 1);
      if (key === "internal") f.internal.push(`${person.role} ${emission.kind} ${emission.event} ${JSON.stringify(emission.args).slice(0, 300)}`);
    }
  }
  closing = true;
  socket?.close();
}

async function fuzzRawFrames(child: ChildServer, person: Person, ids: Ids, seed: number, count: number) {
  const r = mulberry32(seed);
  let lite: LiteSocket | null = null;
  let reconnects = 0;
  for (let i = 0; i < count; i++) {
    if (!lite || lite.closed) {
      lite = new LiteSocket(child.url, { cookie: person.cookie, origin: child.url }, () => undefined);
      await lite.connect(10_000);
      reconnects += 1;
    }
    lite.sendRaw(rawFrame(r, ids));
    // Let the server read it before the next one (and close us if it must).
    if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  lite?.close();
  return reconnects;
}

// ---- HTTP ----

type Route = { file: string; pattern: string; index: boolean; routeId: string };
/** Every route module that exports an action, with its URL pattern (Remix v2 flat routes). */
function actionRoutes(): Route[] {
  const dir = path.join(ROOT, "app/routes");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".tsx") && /export (async function|const) action\b/.test(fs.readFileSync(path.join(dir, f), "utf8")))
    .map((file) => {
      const name = file.replace(/\.tsx$/, "");
      const parts = name.split(".").filter((p) => p !== "_index");
      return { file, pattern: `/${parts.join("/")}`, index: name.endsWith("_index"), routeId: `routes/${name}` };
    });
}

const INTENTS = ["addMember", "removeMember", "resetLink", "addAddressee", "addLevel", "addLocality", "addTheme", "removeAddressee", "removeLevel", "removeLocality", "removeTheme", "renameLevel", "settings", "status", "add", "move", "remove", "update", "voting", "changeRole", "createInvitations", "disableCode", "revokeInvitation", "rotateCode", "everywhere", "device", "note", "explode", ""];
const FIELDS = ["intent", "sessionId", "itemId", "entryId", "userId", "email", "password", "confirm", "displayName", "code", "lang", "returnTo", "title", "plannedMinutes", "description", "panelists", "attributionMode", "name", "role", "category", "to", "direction", "scale", "showNumbers", "text", "kind", "themeIds", "clientId", "identity", "labelEn", "labelFr", "levelId", "localityId", "count", "rosterEntryId", "another", "_csrf", "shortForms", "organisation", "acronyms", "country", "startsAt", "endsAt", "languages", "timeZone", "noteVisibility", "invitationId"];

function fieldValue(r: Rng, ids: Ids): string {
  const roll = r();
  if (roll < 0.35) return pick(r, [ids.sessionId, ids.itemId, ids.pendingItemId, ids.programmeId, ids.themeId, ...ids.noteIds, uuid(r), hex(r, 32), "participant", "organiser", "moderator", "finalised", "ended", "archived", "live", "up", "down", "en", "fr", "kaner", "on", "10", "-5", "1e9", "chatham_house"]);
  if (roll < 0.7) return pick(r, ODD_STRINGS);
  if (roll < 0.85) return text(r);
  if (roll < 0.95) return "y".repeat(int(r, 20_000));
  const v = randomValue(r, 2);
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "");
}

/** A path segment or query value; a lone surrogate becomes the invalid escape it would be on the wire. */
function escaped(value: string): string {
  try {
    return encodeURIComponent(value) || "x";
  } catch {
    return "%ED%A0%80";
  }
}

type Post = { url: string; init: { headers: Record<string, string>; body: string | FormData | undefined }; kind: string; huge: boolean };

function httpPost(r: Rng, base: string, routes: Route[], ids: Ids, people: Person[]): Post {
  const route = pick(r, routes);
  const param = (name: string) => {
    const roll = r();
    if (name === "sessionId") return roll < 0.75 ? ids.sessionId : roll < 0.9 ? uuid(r) : escaped(pick(r, ODD_STRINGS));
    if (name === "programmeId") return roll < 0.75 ? ids.programmeId : roll < 0.9 ? uuid(r) : escaped(pick(r, ODD_STRINGS));
    return roll < 0.8 ? hex(r, 43) : escaped(pick(r, ODD_STRINGS));
  };
  let pathname = route.pattern.replace(/\$(\w+)/g, (_m, name: string) => param(name));
  const query: string[] = [];
  if (route.index) query.push("index");
  if (r() < 0.4) query.push(`_data=${escaped(r() < 0.9 ? route.routeId : pick(r, ODD_STRINGS))}`);
  if (r() < 0.05) pathname += pick(r, ["/", "//", "/%2e%2e", "?%"]);
  const url = `${base}${pathname}${query.length ? `?${query.join("&")}` : ""}`;

  // Signing out would end the person's sign-in: it gets no valid cookie here.
  const person = route.file === "sign-out.tsx" ? null : r() < 0.9 ? pick(r, people) : null;
  const headers: Record<string, string> = { origin: base };
  if (person) headers.cookie = person.cookie;
  else if (r() < 0.5) headers.cookie = `parley_session=${hex(r, 40)}`;

  const fields = (): [string, string][] => {
    const out: [string, string][] = [["intent", pick(r, INTENTS)]];
    for (let i = int(r, 12); i > 0; i--) out.push([r() < 0.85 ? pick(r, FIELDS) : pick(r, ODD_STRINGS) || "k", fieldValue(r, ids)]);
    if (r() < 0.03) for (let i = 0; i < 2_000; i++) out.push([`f${i}`, "v"]);
    return out;
  };
  const roll = r();
  let body: string | FormData | undefined;
  let kind: string;
  let huge = false;
  if (roll < 0.5) {
    kind = "urlencoded";
    body = new URLSearchParams(fields()).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (roll < 0.62) {
    kind = "multipart";
    const form = new FormData();
    for (const [k, v] of fields()) form.append(k, v);
    if (r() < 0.3) form.append(pick(r, FIELDS), new Blob([hex(r, 200)], { type: "application/octet-stream" }), "file.bin");
    body = form;
  } else if (roll < 0.7) {
    kind = "json";
    body = JSON.stringify(Object.fromEntries(fields()));
    headers["content-type"] = "application/json";
  } else if (roll < 0.76) {
    kind = "broken-form";
    body = pick(r, ["%%%=%%%", "a=%E0%A4%A", "=&=&&==", "\u0000=\u0000", Buffer.from([0xff, 0xfe, 0x3d, 0x80]).toString("latin1"), `intent=${"%".repeat(5_000)}`]);
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (roll < 0.82) {
    kind = "broken-multipart";
    body = `--nope\r\nContent-Disposition: form-data; name="intent"\r\n\r\nadd\r\n--nope`;
    headers["content-type"] = pick(r, ["multipart/form-data; boundary=other", "multipart/form-data", "multipart/form-data; boundary="]);
  } else if (roll < 0.87) {
    kind = "no-body";
    if (r() < 0.5) headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (roll < 0.92) {
    kind = "odd-type";
    body = hex(r, 100);
    headers["content-type"] = pick(r, ["text/plain", "application/xml", "image/png", "x/y; charset=nope", "application/x-www-form-urlencoded; charset=utf-16"]);
  } else {
    kind = "huge";
    huge = true;
    const size = pick(r, [200 * 1024, 2 * 1024 * 1024, 12 * 1024 * 1024]);
    body = `intent=add&title=${"z".repeat(size)}`;
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  return { url, init: { headers, body }, kind, huge };
}

type HttpFindings = { sent: number; byStatus: Map<number, number>; serverErrors: string[]; networkErrors: string[]; hugeRefusedEarly: number };

/**
 * One POST on a connection of its own. (With fetch's shared keep-alive pool, a test process busy
 * building a 12 MB body can pick a connection the server has just closed as idle, and the request dies
 * with ECONNRESET before the server sees it: the client's race, not the server's answer.)
 */
async function send(post: Post): Promise<number> {
  const headers: Record<string, string> = { ...post.init.headers };
  let body: Buffer | null = null;
  if (post.init.body instanceof FormData) {
    const encoded = new Response(post.init.body);
    headers["content-type"] = encoded.headers.get("content-type")!;
    body = Buffer.from(await encoded.arrayBuffer());
  } else if (typeof post.init.body === "string") body = Buffer.from(post.init.body, "utf8");
  if (body) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(post.url, { method: "POST", agent: false, headers, timeout: 20_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

async function fuzzHttp(child: ChildServer, routes: Route[], ids: Ids, people: Person[], seed: number, count: number, f: HttpFindings) {
  const r = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const post = httpPost(r, child.url, routes, ids, people);
    f.sent += 1;
    try {
      const status = await send(post);
      f.byStatus.set(status, (f.byStatus.get(status) ?? 0) + 1);
      if (status >= 500 || status < 200) f.serverErrors.push(`${status} ${post.kind} ${post.url}`);
    } catch (e) {
      // A server may answer (413) and close before a huge body is all sent; only for huge bodies.
      if (post.huge) f.hugeRefusedEarly += 1;
      else f.networkErrors.push(`${post.kind} ${post.url}: ${(e as Error).message}`);
    }
  }
}

// ---- The run ----

let child: ChildServer;
let dir = "";
let ids: Ids;
let fixture: Fixture;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-fuzz-"));
  child = await startChild({ databasePath: path.join(dir, "fuzz.sqlite"), fixture: { participants: 3, roles: ["moderator", "rapporteur", "panelist", "observer"] } });
  fixture = child.fixture!;
  // A few real objects for the templates to point at: notes, a recommendation, a hand in the queue.
  const by = (role: string) => [fixture.organiser, ...fixture.members, ...fixture.participants].find((p) => p.role === role)!;
  const open = async (p: Person) => {
    const s = ioClient(child.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: p.cookie, origin: child.url } });
    await new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)));
    return s;
  };
  const participant = await open(fixture.participants[0]);
  const noteIds: string[] = [];
  for (let k = 0; k < 6; k++) {
    const ack = await participant.emitWithAck("notes:submit", { sessionId: fixture.sessionId, clientId: hex(mulberry32(k), 32), itemId: fixture.itemId, kind: "point", themeIds: [], text: `Seed note ${k}: water points are far.` });
    noteIds.push(ack.data.note.id);
  }
  const hand = await participant.emitWithAck("queue:raise", { sessionId: fixture.sessionId, kind: "new" });
  const rapporteur = await open(by("rapporteur"));
  const rec = await rapporteur.emitWithAck("recs:create", { sessionId: fixture.sessionId, text: "Reopen the schools in the district.", sourceNoteIds: [noteIds[0]] });
  participant.close();
  rapporteur.close();
  if (!hand.ok || !rec.ok) throw new Error(`fixture failed: ${JSON.stringify([hand, rec])}`);
  ids = { sessionId: fixture.sessionId, itemId: fixture.itemId, pendingItemId: fixture.pendingItemId, themeId: fixture.themeId, programmeId: fixture.programmeId, noteIds, recommendationId: rec.data.id, entryId: hand.data.entryId };
}, 120_000);

afterAll(async () => {
  await child?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("fuzzing every socket event and every route action", () => {
  it("stays up, answers every payload with an acknowledgement or a 4xx, and keeps its memory bounded", { timeout: 180_000 }, async () => {
    // Every event the server listens to is fuzzed (a new one must be added to TEMPLATES).
    const source = fs.readFileSync(path.join(ROOT, "app/realtime/socket.server.ts"), "utf8");
    const listened = [...source.matchAll(/socket\.on\("([^"]+)"/g)].map((m) => m[1]).filter((e) => e !== "disconnect");
    expect([...new Set(listened)].sort()).toEqual([...EVENTS].sort());
    const routes = actionRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);

    const people = [fixture.organiser, ...fixture.members, ...fixture.participants];
    const idPool = [ids.sessionId, ids.itemId, ids.pendingItemId, ids.themeId, ids.recommendationId, ids.entryId, ...ids.noteIds, ...people.map((p) => p.userId)];
    const started = performance.now();

    // Warm up every code path once, then take the baseline.
    const warm: SocketFindings = { emitted: 0, answered: 0, ok: 0, errors: new Map(), malformedAnswers: [], internal: [], unanswered: [], unexplainedDrops: [], drops: 0, noAck: 0, byKind: new Map() };
    await Promise.all(people.map((p, i) => fuzzSockets(child, p, ids, idPool, SEED - 1 - i, 50, warm)));
    const warmHttp: HttpFindings = { sent: 0, byStatus: new Map(), serverErrors: [], networkErrors: [], hugeRefusedEarly: 0 };
    await fuzzHttp(child, routes, ids, people, SEED - 100, 100, warmHttp);
    const rssBefore = child.rssBytes();
    const heap = [(await child.memory()).heapUsed];

    // Two equal rounds. Sockets: every person at once, each with their own stream, raw packets beside
    // them; then HTTP: random posts to every action, eight at a time.
    const sockets: SocketFindings = { emitted: 0, answered: 0, ok: 0, errors: new Map(), malformedAnswers: [], internal: [], unanswered: [], unexplainedDrops: [], drops: 0, noAck: 0, byKind: new Map() };
    const http: HttpFindings = { sent: 0, byStatus: new Map(), serverErrors: [], networkErrors: [], hugeRefusedEarly: 0 };
    const rss: number[] = [];
    const seconds = { sockets: 0, http: 0 };
    let rawConnections = 0;
    for (const round of [0, 1]) {
      const t0 = performance.now();
      const perPerson = Math.ceil(SOCKET_PAYLOADS / 2 / people.length);
      const [, connections] = await Promise.all([
        Promise.all(people.map((p, i) => fuzzSockets(child, p, ids, idPool, SEED + round * 100 + i, perPerson, sockets))),
        fuzzRawFrames(child, fixture.participants[1], ids, SEED + 1_000 + round, RAW_FRAMES / 2),
      ]);
      rawConnections += connections;
      const t1 = performance.now();
      await Promise.all(Array.from({ length: 8 }, (_, i) => fuzzHttp(child, routes, ids, people, SEED + 2_000 + round * 100 + i, Math.ceil(HTTP_POSTS / 2 / 8), http)));
      seconds.sockets += (t1 - t0) / 1000;
      seconds.http += (performance.now() - t1) / 1000;
      rss.push(child.rssBytes());
      heap.push((await child.memory()).heapUsed);
    }
    const finished = performance.now();

    const peak = child.peakRssBytes();
    const health = await fetch(`${child.url}/healthz`);
    const total = sockets.emitted + RAW_FRAMES + http.sent;
    const mb = (b: number) => Math.round(b / 1024 / 102.4) / 10;
    console.info(
      `[fuzz] ${total} payloads in ${Math.round((finished - started) / 1000)} s (sockets ${Math.round(seconds.sockets)} s, HTTP ${Math.round(seconds.http)} s): ${sockets.emitted} socket payloads ${JSON.stringify(Object.fromEntries(sockets.byKind))}, ` +
        `${sockets.answered} answered (${sockets.ok} ok; errors ${JSON.stringify(Object.fromEntries(sockets.errors))}), ${sockets.drops} connections dropped for oversized payloads, ` +
        `${RAW_FRAMES} raw frames (${rawConnections} connections); ${http.sent} POSTs to ${routes.length} actions, statuses ${JSON.stringify(Object.fromEntries(http.byStatus))}, ${http.hugeRefusedEarly} huge bodies cut off; ` +
        `RSS ${mb(rssBefore)} MB after the warm-up, ${mb(rss[0])} MB after round 1, ${mb(rss[1])} MB after round 2 (second round ${mb(rss[1] - rss[0])} MB, in all ${mb(rss[1] - rssBefore)} MB), peak ${mb(peak)} MB; live heap after a full GC ${heap.map(mb).join(" / ")} MB`,
    );

    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(child.alive()).toBe(true);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");
    expect(sockets.malformedAnswers).toEqual([]);
    expect(sockets.internal).toEqual([]);
    expect(sockets.unanswered).toEqual([]);
    expect(sockets.unexplainedDrops).toEqual([]);
    expect(http.serverErrors).toEqual([]);
    expect(http.networkErrors).toEqual([]);
    expect(warm.internal.concat(warm.unexplainedDrops, warmHttp.serverErrors)).toEqual([]);
    // Every kind of payload was tried, and answers of every sort came back.
    for (const kind of ["valid", "mutated", "reshaped", "random", "binary", "oversized", "arity", "no-ack"]) expect(sockets.byKind.get(kind) ?? 0).toBeGreaterThan(0);
    expect(sockets.ok).toBeGreaterThan(0);
    expect(sockets.errors.get("invalid_input") ?? 0).toBeGreaterThan(0);
    expect(sockets.errors.get("unknown_event") ?? 0).toBeGreaterThan(0);
    // Nothing logged as an unexpected failure (the server's errors are the lines marked [parley]; the
    // rest of stderr is React Router's development warnings for addresses that match no route).
    expect(child.stderr().split("\n").filter((line) => line.includes("[parley]"))).toEqual([]);
    expect(heap[2] - heap[1]).toBeLessThan(LIVE_HEAP_ROUND_BOUND);
    expect(rss[1] - rssBefore).toBeLessThan(RSS_GROWTH_BOUND);
  });
});
