/**
 * Leak canaries (issue 10, part 1). A whole session is held through the real server
 * (tests/support/held-session.ts) with a roster of unique canary names, organisations, titles and
 * missions, hidden from the room, and people whose display names and emails are canaries too. Then
 * everything that left the server is searched for them, case-insensitively and in every encoding it
 * may travel in (tests/support/leak-search.ts):
 * - every HTTP response body and every socket event and acknowledgement received by the observer, the
 *   participants (guests and an account holder) and a signed-out reader;
 * - every exported artefact (ARTEFACTS in held-session.ts: Markdown, print HTML, JSON, the signed field bundle);
 * - every line the server logged (at debug level);
 * - the database file and its WAL after finalisation and publication, as raw bytes.
 * The roster may appear only in the organiser-only roster table; names and emails only in the
 * accounts table; a person sees their own name and their own words, nothing else. A second run lists
 * the panelists in the summary: their names and affiliations may then appear in the published format
 * paragraph only.
 */
import type Database from "better-sqlite3";
import { renderMarkdown } from "../../app/summaries/markdown";
import { CANARY, holdSession, PEOPLE, ROOM, type HeldSession, type PersonKey } from "../support/held-session";
import { countInBytes, countInText, findIn, needlesOf, stringsOf, textForms } from "../support/leak-search";
import { startTestServer, type TestServer } from "../support/server";

const ROSTER_NEEDLES = Object.values(CANARY).flatMap((v) => needlesOf(v, /canary|\d{4}|^[A-Z]{5,}$/));
const ROSTER_NEEDLES_ALL = [...new Set([...ROSTER_NEEDLES, CANARY.rosterShort, CANARY.rosterAcronym])];
const personNeedles = (key: PersonKey) => [PEOPLE[key].name, ...needlesOf(PEOPLE[key].name), ...(PEOPLE[key].email ? [PEOPLE[key].email] : [])];
const PEOPLE_KEYS = Object.keys(PEOPLE) as PersonKey[];
const ALL_NEEDLES = [...ROSTER_NEEDLES_ALL, ...PEOPLE_KEYS.flatMap(personNeedles)];
/** What the panelist listing may show, in the format paragraph only. */
const PANELIST_LISTED = [CANARY.panelistName, CANARY.panelistOrg];

// ---- Every line the server writes: its logger and anything else on the console or stdout/stderr ----
const logLines: string[] = [];
const restore: (() => void)[] = [];
function captureLogs() {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => void logLines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    restore.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logLines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = original as typeof stream.write));
  }
}

type Run = { server: TestServer; held: HeldSession; formatParagraph: string | null };
const runs: Record<"unlisted" | "listed", Run> = {} as never;

beforeAll(async () => {
  captureLogs();
  for (const [name, listPanelists] of [["unlisted", false], ["listed", true]] as const) {
    const server = await startTestServer({ LOG_LEVEL: "debug" }, { logs: true });
    const held = await holdSession(server, { listPanelists });
    const formatParagraph = listPanelists ? (held.published.split(/\n\s*\n/).find((p) => p.includes(CANARY.panelistName)) ?? null) : null;
    runs[name] = { server, held, formatParagraph };
  }
}, 180_000);

afterAll(async () => {
  for (const r of Object.values(runs)) await r.server.stop();
  for (const undo of restore.splice(0)) undo();
});

/** A text with what its reader may see removed: their own words and name, and the listed format paragraph. */
function withoutAllowed(text: string, options: { own?: string[]; paragraph?: string | null }): string {
  const own = options.own ?? [];
  // The guard's findings quote the reader's own words back to them (“Word”: say “a participant”).
  // So do their spans inside the page's data (Remix's context, parsed and read string by string).
  const ownPart = (inner: string) => own.some((o) => o.includes(inner));
  let out = own.length
    ? text
        .replace(/“([^”<]{1,200})”/g, (quoted, inner: string) => (ownPart(inner) ? " " : quoted))
        .replace(/(window\.__remixContext = )(\{.*?\});(?=\s*(?:__remixContext|<\/script>))/gs, (whole, _lead, body: string) => {
          try {
            return stringsOf(JSON.parse(body)).filter((x) => !ownPart(x)).join("\n");
          } catch {
            return whole;
          }
        })
    : text;
  const remove = (s: string) => {
    for (const form of textForms(s)) out = out.split(form).join(" ");
  };
  if (options.paragraph) {
    remove(options.paragraph);
    remove(renderMarkdown(options.paragraph).replace(/^<p>|<\/p>\s*$/g, ""));
  }
  for (const s of own) remove(s);
  return out;
}

/** What one recording shows its reader, beyond what they may see: JSON payloads string by string. */
function shown(body: string, own: string[], paragraph: string | null): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return withoutAllowed(body, { own, paragraph });
  }
  // A string that is part of the reader's own words (their note, or the guard's span of it) is theirs.
  return stringsOf(parsed)
    .filter((s) => !own.some((o) => o.includes(s)))
    .map((s) => withoutAllowed(s, { own, paragraph }))
    .join("\n");
}

function leaksIn(run: Run, who: PersonKey | "public"): string[] {
  const own = who === "public" ? [] : [...run.held.own[who], PEOPLE[who].name, ...(PEOPLE[who].email ? [PEOPLE[who].email!] : [])];
  const found: string[] = [];
  for (const r of run.held.recordings.filter((x) => x.who === who)) {
    const hit = findIn(shown(r.body, own, run.formatParagraph), ALL_NEEDLES);
    if (hit) found.push(`${who} ${r.what}: "${hit.needle}" in …${hit.context}…`);
  }
  return found;
}

describe("the search itself", () => {
  it("finds a canary planted in any form a page, an event or the disk could carry it", () => {
    const name = PEOPLE.guestB.name; // "Gstbcanary Bathily": non-ASCII forms are tried on the roster's names
    for (const planted of [name, name.toUpperCase(), `<p>${CANARY.secondName}</p>`, JSON.stringify({ x: CANARY.secondName }), `\\u00ef${CANARY.rosterOrg}`, CANARY.secondName.replace("é", "&#233;").replace("ï", "&#239;")])
      expect(findIn(`…${planted}…`, ALL_NEEDLES), planted).not.toBeNull();
    expect(countInBytes(Buffer.from(`x${CANARY.panelistName}x`, "utf16le"), CANARY.panelistName)).toBe(1);
    // Raw bytes are searched case-insensitively for ASCII letters: each canary has an ASCII word of its own.
    expect(countInBytes(Buffer.from(`x${CANARY.panelistName.toUpperCase()}x`, "utf8"), "Vexcanary")).toBe(1);
    expect(ALL_NEEDLES).toContain("Vexcanary");
    // A reader's own words are theirs; another reader's are not.
    const run = { held: { own: { guestA: [`${CANARY.rosterName} spoke.`] } }, formatParagraph: null } as unknown as Run;
    expect(shown(JSON.stringify({ text: `${CANARY.rosterName} spoke.` }), run.held.own.guestA, null)).not.toContain("Zqx");
    expect(findIn(shown(JSON.stringify({ text: `${CANARY.rosterName} spoke.` }), [], null), ALL_NEEDLES)).not.toBeNull();
  });
});

for (const name of ["unlisted", "listed"] as const) {
  describe(`a whole session, panelists ${name} in the summary`, () => {
    it("the run really carried the canaries (so that the searches below can fail)", () => {
      const { held, server } = runs[name];
      // The identifying notes were written and held; the roster is in the database; the staff saw names.
      const staff = held.recordings.filter((r) => r.who === "organiser" || r.who === "moderator").map((r) => r.body).join("\n");
      expect(findIn(staff, [CANARY.rosterName])).not.toBeNull();
      // The moderator saw the display names in the speaker queue (the member's hand stayed up).
      expect(findIn(staff, [PEOPLE.member.name])).not.toBeNull();
      expect(countInText(JSON.stringify(server.database.sqlite.prepare("SELECT * FROM roster_entries").all()), CANARY.rosterOrg)).toBe(1);
      // Each room member's own words came back to them (the allowance below is used).
      for (const who of ["guestA", "member"] as const) expect(held.recordings.some((r) => r.who === who && r.body.includes(held.own[who][0]))).toBe(true);
      expect(held.recordings.filter((r) => ROOM.includes(r.who as PersonKey)).length).toBeGreaterThan(100);
      if (name === "listed") {
        expect(runs.listed.formatParagraph, "the published format paragraph lists the panelists").not.toBeNull();
        expect(runs.listed.formatParagraph).toContain(CANARY.panelistOrg);
      }
    });

    it("nothing a participant or observer received names anyone on the roster or anyone else in the room", () => {
      const found = ROOM.flatMap((who) => leaksIn(runs[name], who));
      expect(found).toEqual([]);
    });

    it("the moderator and the rapporteur see the room's display names in the speaker queue, and nowhere else", () => {
      const { held } = runs[name];
      const names = ROOM.flatMap(personNeedles);
      const found: string[] = [];
      let inQueue = 0;
      for (const r of held.recordings.filter((x) => x.who === "moderator" || x.who === "rapporteur")) {
        let text = r.body;
        try {
          text = JSON.stringify(JSON.parse(r.body), (key, value: unknown) => {
            if (key !== "queue") return value;
            if (findIn(JSON.stringify(value), names)) inQueue++;
            return null;
          });
        } catch {
          // The page: the queue's section (aria-labelledby="queue-heading"), and the queue in its data.
          const drop = (q: string) => (findIn(q, names) ? (inQueue++, "") : "");
          text = text.replace(/<section[^>]*aria-labelledby="queue-heading".*?<\/section>/gs, drop).replace(/window\.__remixContext = (\{.*?\});(?=\s*(?:__remixContext|<\/script>))/gs, (_w, body: string) =>
            JSON.stringify(JSON.parse(body), (key, value: unknown) => (key === "queue" ? drop(JSON.stringify(value)) || null : value)),
          );
        }
        const hit = findIn(text, names);
        if (hit) found.push(`${r.who} ${r.what}: "${hit.needle}" in …${hit.context}…`);
      }
      expect(inQueue, "names reached the staff in the queue").toBeGreaterThan(0);
      expect(found).toEqual([]);
    });

    it("nothing a signed-out reader received does", () => {
      expect(leaksIn(runs[name], "public")).toEqual([]);
    });

    it("no export does", () => {
      const { held, formatParagraph } = runs[name];
      expect(held.artefacts.length).toBeGreaterThanOrEqual(5);
      // The signed bundle is the real thing, not an error page.
      expect(held.artefacts.find((a) => a.name.startsWith("signed field bundle"))!.body.toString("utf8")).toContain('"parley.signed-bundle"');
      const found = held.artefacts.map((a) => ({ name: a.name, hit: findIn(withoutAllowed(a.body.toString("utf8"), { paragraph: formatParagraph }), ALL_NEEDLES) })).filter((x) => x.hit);
      expect(found).toEqual([]);
      // Where listed, the panelists are in the exports' format paragraph (the allowance is used).
      if (formatParagraph) for (const a of held.artefacts) expect(findIn(a.body.toString("utf8"), [CANARY.panelistName]), a.name).not.toBeNull();
    });

    it("the database file and its WAL hold the roster only in the roster, names only in the accounts", () => {
      const { held, server, formatParagraph } = runs[name];
      const sqlite = server.database.sqlite;
      const allowedTables: Record<string, string[]> = { roster_entries: ROSTER_NEEDLES_ALL, users: ALL_NEEDLES.filter((n) => !ROSTER_NEEDLES_ALL.includes(n)) };
      // Logically: no other table, no other column.
      const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
      const logical: string[] = [];
      for (const table of tables) {
        const rows = JSON.stringify(sqlite.prepare(`SELECT * FROM "${table}"`).all());
        const others = ALL_NEEDLES.filter((n) => !(allowedTables[table] ?? []).includes(n));
        const paragraph = ["summaries", "publications"].includes(table) ? formatParagraph : null;
        const hit = findIn(withoutAllowed(rows, { paragraph }), others);
        if (hit) logical.push(`${table}: "${hit.needle}" in …${hit.context}…`);
      }
      expect(logical).toEqual([]);

      // Raw bytes: no more copies of any canary than the rows (and their indexes) that may hold it.
      const bytes = Buffer.concat([held.disk.db, held.disk.wal]);
      const hay = bytes.toString("latin1").toLowerCase();
      const excess: string[] = [];
      for (const needle of ALL_NEEDLES) {
        const expected = expectedCopies(sqlite, needle, formatParagraph !== null && PANELIST_LISTED.some((p) => p.includes(needle) || needle.includes(p)));
        const raw = countInBytes(bytes, needle, hay);
        if (raw > expected) excess.push(`"${needle}": ${raw} copies on disk, ${expected} in the rows that may hold it`);
      }
      expect(excess).toEqual([]);
      expect(held.disk.wal.length).toBe(0);
    });
  });
}

describe("the server's log", () => {
  it("was captured at debug level, and names nobody", () => {
    expect(logLines.some((l) => l.includes("[parley]"))).toBe(true);
    const hit = findIn(logLines.join("\n"), ALL_NEEDLES);
    expect(hit).toBeNull();
  });
});

/**
 * How many copies of a needle the database may hold: its occurrences in the rows of the tables allowed
 * to hold it, once per row and once more per index that covers the column.
 */
function expectedCopies(sqlite: Database.Database, needle: string, listed: boolean): number {
  const tables = ["roster_entries", "users", ...(listed ? ["summaries", "publications"] : [])];
  let n = 0;
  for (const table of tables) {
    const indexed = new Map<string, number>();
    for (const idx of sqlite.prepare(`PRAGMA index_list("${table}")`).all() as { name: string }[])
      for (const col of sqlite.prepare(`PRAGMA index_info("${idx.name}")`).all() as { name: string }[]) indexed.set(col.name, (indexed.get(col.name) ?? 0) + 1);
    for (const row of sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
      for (const [col, value] of Object.entries(row)) if (typeof value === "string") n += countInText(value, needle) * (1 + (indexed.get(col) ?? 0));
  }
  return n;
}
