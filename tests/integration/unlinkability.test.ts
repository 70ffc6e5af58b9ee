/**
 * Unlinkability after finalisation (issue 10, part 2), for notes, positions and review comments
 * together, on the whole session of tests/support/held-session.ts (real server, HTTP and sockets).
 * The test keeps a copy of the per-session secret and the review secret before finalisation and
 * publication destroy them (app/models/secrets.server.ts: authorTag), then, on the raw bytes of the
 * database file and its WAL afterwards:
 * - tries every person's id against every object id found on disk under both secrets, and looks for
 *   each resulting tag among every 64-hex-digit text and every 32-byte window stored (none may match);
 * - checks what could group a person's objects indirectly: random (v4) keys and a storage order that
 *   is the key's (no rowid), timestamps floored to the minute, no column whose values pick out one
 *   person's objects (an outbox burst included), no per-person state left on disk;
 * - small-count protection: with fewer than 10 people, no published text, public export or
 *   participant view carries a count.
 * tests/integration/notes.test.ts covers the notes alone (tags, client ids, the WAL retry).
 */
import { createHmac } from "node:crypto";
import { authorTag, tagMatches } from "../../app/models/secrets.server";
import { holdSession, ROOM, type HeldSession, type PersonKey } from "../support/held-session";
import { countInBytes, countInText, stringsOf } from "../support/leak-search";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let held: HeldSession;
let bytes: Buffer;
let hay: string;

beforeAll(async () => {
  server = await startTestServer();
  held = await holdSession(server, { listPanelists: false });
  bytes = Buffer.concat([held.disk.db, held.disk.wal]);
  hay = bytes.toString("latin1");
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const rows = (sql: string, ...params: unknown[]) => server.database.sqlite.prepare(sql).all(...params) as Record<string, unknown>[];
const noteRows = () => rows("SELECT * FROM notes WHERE session_id = ?", held.sessionId);
const positionRows = () => rows("SELECT p.* FROM positions p JOIN votes v ON v.id = p.vote_id JOIN recommendations r ON r.id = v.recommendation_id WHERE r.session_id = ?", held.sessionId);
const commentRows = () => rows("SELECT c.* FROM summary_comments c JOIN summaries m ON m.id = c.summary_id WHERE m.session_id = ?", held.sessionId);
const everyone = () => (rows("SELECT id FROM users") as { id: string }[]).map((u) => u.id);

describe("authorship tags, before and after", () => {
  it("the kept secrets recompute the tags stored before finalisation (so the search below can fail)", () => {
    const people = everyone();
    const session = Buffer.from(held.secrets.session, "hex");
    const review = Buffer.from(held.secrets.review, "hex");
    for (const n of held.rowsBefore.notes) expect(people.some((u) => tagMatches(session, u, n.id, n.author_tag)), `note ${n.id}`).toBe(true);
    expect(held.rowsBefore.positions).toHaveLength(3);
    for (const p of held.rowsBefore.positions) expect(people.some((u) => tagMatches(session, u, p.vote_id as string, p.voter_tag as string))).toBe(true);
    expect(held.rowsBefore.comments).toHaveLength(held.comments.length);
    for (const c of held.rowsBefore.comments) expect(people.some((u) => tagMatches(review, u, c.id as string, c.author_tag as string))).toBe(true);
  });

  it("no stored value, anywhere in the database file or its WAL, is any person's tag for any object", () => {
    expect(held.disk.wal.length).toBe(0);
    const objectIds = new Set([...hay.matchAll(UUID)].map((m) => m[0]));
    for (const r of [...held.rowsBefore.notes, ...held.rowsBefore.comments]) objectIds.add(r.id as string);
    for (const p of held.rowsBefore.positions) objectIds.add(p.vote_id as string);
    const people = everyone();
    expect(people.length).toBeGreaterThanOrEqual(7);
    const hex = new Set<string>();
    const raw = new Set<string>();
    for (const secret of [held.secrets.session, held.secrets.review].map((s) => Buffer.from(s, "hex")))
      for (const u of people)
        for (const o of objectIds) {
          const tag = authorTag(secret, u, o);
          hex.add(tag);
          raw.add(Buffer.from(tag, "hex").toString("latin1"));
        }
    expect(hex.size).toBe(2 * people.length * objectIds.size);
    // Every stored text of the right length (64 hex digits, either case)...
    const stored = [...hay.matchAll(/[0-9a-fA-F]{64}/g)].map((m) => m[0].toLowerCase());
    expect(stored.filter((v) => hex.has(v))).toEqual([]);
    // ...and every 32-byte window, in case a tag were kept as a blob.
    let blobs = 0;
    for (let at = 0; at + 32 <= hay.length; at++) if (raw.has(hay.slice(at, at + 32))) blobs++;
    expect(blobs).toBe(0);
    // The secrets themselves are gone, as text and as bytes.
    for (const s of [held.secrets.session, held.secrets.review]) {
      expect(hay.toLowerCase().includes(s)).toBe(false);
      expect(bytes.includes(Buffer.from(s, "hex"))).toBe(false);
    }
    // So are the notes' client ids (a device's, for exactly-once delivery).
    for (const n of held.rowsBefore.notes) expect(hay.includes(n.client_id)).toBe(false);
    for (const r of [...noteRows(), ...commentRows()]) expect(r.author_tag).toBeNull();
    for (const p of positionRows()) expect(p.voter_tag).toBeNull();
  });
});

describe("nothing else groups a person's notes, positions or comments", () => {
  it("keys are random (UUID v4), and the tables keep no insertion-ordered rowid: storage follows the key", () => {
    for (const [table, list] of [
      ["notes", noteRows()],
      ["positions", positionRows()],
      ["summary_comments", commentRows()],
    ] as const) {
      expect(list.length, table).toBeGreaterThan(0);
      for (const r of list) expect(r.id as string, table).toMatch(V4);
      expect(() => server.database.sqlite.prepare(`SELECT rowid FROM ${table}`).all(), table).toThrow();
      // The order rows are stored and scanned in is the random key's, not the order they came in.
      const natural = (rows(`SELECT id FROM ${table}`) as { id: string }[]).map((r) => r.id);
      expect(natural, table).toEqual([...natural].sort());
    }
    // The notes arrived in an order (a burst of three from one device among them) that their keys do not keep.
    const arrival = held.noteIds.map((n) => n.id);
    expect(arrival).not.toEqual([...arrival].sort());
  });

  it("timestamps are floored to the minute (and to the agenda item), none says when an object changed", () => {
    for (const n of noteRows()) {
      expect((n.created_at as number) % 60_000).toBe(0);
      expect(n.updated_at).toBeNull();
      expect(n.client_id).toBeNull();
      expect(n.author_user_id).toBeNull();
    }
    for (const c of commentRows()) expect((c.created_at as number) % 60_000).toBe(0);
    const positionColumns = (rows("PRAGMA table_info(positions)") as { name: string }[]).map((c) => c.name);
    expect(positionColumns.filter((c) => /_at$|time|date/.test(c))).toEqual([]);
  });

  it("no column's values pick out one person's objects (a burst from one device included)", () => {
    const authorOf = new Map(held.noteIds.map((n) => [n.id, n.author]));
    const commentAuthor = new Map(held.rowsBefore.comments.map((c, i) => [c.id as string, held.comments.find((x) => x.text === c.text)?.author ?? `?${i}`]));
    const session = Buffer.from(held.secrets.session, "hex");
    const positionAuthor = new Map(held.rowsBefore.positions.map((p) => [p.id as string, (["member", "guestA", "guestB"] as PersonKey[]).find((k) => tagMatches(session, held.ids[k], p.vote_id as string, p.voter_tag as string)) ?? "?"]));
    for (const [table, list, author] of [
      ["notes", noteRows(), authorOf],
      ["summary_comments", commentRows(), commentAuthor],
      ["positions", positionRows(), positionAuthor],
    ] as const) {
      for (const col of Object.keys(list[0])) {
        const byValue = new Map<string, { authors: Set<string>; n: number }>();
        for (const r of list) {
          const v = JSON.stringify(r[col]);
          const g = byValue.get(v) ?? { authors: new Set<string>(), n: 0 };
          g.authors.add(author.get(r.id as string) ?? "?");
          g.n++;
          byValue.set(v, g);
        }
        // A value shared by two or more objects, all of one person, while other values exist, groups them.
        const grouping = [...byValue.entries()].filter(([, g]) => g.n >= 2 && g.authors.size === 1 && byValue.size > 1);
        expect(grouping.map(([v]) => `${table}.${col} = ${v}`)).toEqual([]);
      }
    }
  });

  it("no per-person state is left on disk: participants' ids only where membership and sign-in need them", () => {
    const participants = ROOM.map((k) => held.ids[k]);
    const tables = (rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") as { name: string }[]).map((t) => t.name);
    const holding = tables.filter((t) => participants.some((u) => JSON.stringify(rows(`SELECT * FROM "${t}"`)).includes(u)));
    // Accounts, memberships, sign-in sessions and in-app notices to account holders ("the summary was
    // circulated"); nothing else keyed by person (rate limits live in memory, or in Redis's memory).
    expect(holding.sort()).toEqual(["auth_sessions", "notices", "session_members", "users"].filter((t) => tables.includes(t)).sort());
    for (const t of holding) expect(JSON.stringify(rows(`PRAGMA table_info("${t}")`))).not.toMatch(/note|position|comment|vote|tag/);
    // And no stray copy of a participant's id on disk beyond those rows and their indexes.
    for (const u of participants) expect(countInBytes(bytes, u)).toBeLessThanOrEqual(expectedCopies(holding, u));
  });
});

describe("small-count protection (fewer than 10 people)", () => {
  it("no published text, public export or participant view carries a count", () => {
    // The published text and the exports: the only figure is how many people the format paragraph
    // says took part (SPEC section 4: categories under 3 merged, so none of them is below 3); none
    // next to a consensus level.
    const figures = (text: string) =>
      text
        .split(/\n\s*\n/)
        // The print file's colophon ("Version 1, published 28 November 2026.") is a date, not a count.
        .filter((p) => /\d/.test(p) && !/^\s*Version \d+, published [^.]*\.\s*$/.test(p))
        .map((p) => ({ p, numbers: [...p.matchAll(/\d+/g)].map((m) => Number(m[0])) }));
    const check = (text: string, what: string) => {
      for (const { p, numbers } of figures(text)) {
        expect(p, what).toMatch(/gathered|réuni/);
        expect(p, what).not.toMatch(/support|consensus|agreed|divided|opposed|of \d/i);
        for (const n of numbers) expect(n, `${what}: ${p}`).toBeGreaterThanOrEqual(3);
      }
    };
    check(held.published, "the published text");
    expect(held.published).toMatch(/unanimously supported/);
    // Nor how many took part: a room of fewer than ten is not counted.
    expect(held.published).toMatch(/gathered fewer than ten participants/);
    for (const a of held.artefacts.filter((x) => /Markdown|HTML/.test(x.name)))
      check(
        a.body
          .toString("utf8")
          .replace(/<(style|head)[\s\S]*?<\/\1>/g, "")
          .replace(/<\/p>/g, "\n\n")
          .replace(/<[^>]+>/g, " ")
          .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ""),
        a.name,
      );
    // Every tally the room, the observer and the public received: words, no counts.
    let results = 0;
    for (const r of held.recordings.filter((x) => x.who === "public" || ROOM.includes(x.who as PersonKey))) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(r.body);
      } catch {
        const m = /window\.__remixContext = (\{.*?\});(?=\s*(?:__remixContext|<\/script>))/s.exec(r.body);
        parsed = m ? JSON.parse(m[1]) : null;
      }
      JSON.stringify(parsed, (key, value: unknown) => {
        if (key === "result" && value && typeof value === "object" && "level" in value) {
          results++;
          expect((value as unknown as { counts: unknown }).counts, r.what).toBeNull();
        }
        if (key === "hands") expect(value, r.what).toBeNull();
        return value;
      });
    }
    expect(results, "tallies reached the room").toBeGreaterThan(0);
    // The JSON export gives the level in words and no counts.
    const exported = JSON.parse(held.artefacts.find((a) => a.name === "JSON export (public)")!.body.toString("utf8")) as unknown;
    const numbers = stringsOf(exported).length && JSON.stringify(exported).match(/"(taken|eligible|support|neutral|oppose|block|sharePercent|headcount|total|count)":\s*\d+/g);
    expect(numbers || []).toEqual([]);
  });
});

/** A participant id's copies in the rows of the tables that may hold it, and their indexes. */
function expectedCopies(tables: string[], needle: string): number {
  let n = 0;
  for (const table of tables) {
    const indexed = new Map<string, number>();
    for (const idx of rows(`PRAGMA index_list("${table}")`) as { name: string }[]) for (const col of rows(`PRAGMA index_info("${idx.name}")`) as { name: string }[]) indexed.set(col.name, (indexed.get(col.name) ?? 0) + 1);
    for (const row of rows(`SELECT * FROM "${table}"`)) for (const [col, value] of Object.entries(row)) if (typeof value === "string") n += countInText(value, needle) * (1 + (indexed.get(col) ?? 0));
  }
  return n;
}

// The search above recomputes tags with the app's own authorTag: pin what it computes.
it("authorTag is HMAC-SHA256(secret, userId|objectId), as the search assumes", () => {
  const secret = Buffer.alloc(32, 7);
  expect(authorTag(secret, "u", "o")).toBe(createHmac("sha256", secret).update("u|o").digest("hex"));
});
