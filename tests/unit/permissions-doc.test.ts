/**
 * Keeps docs/permissions.md in step with the role table in app/models/permissions.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { PROGRAMME_ACTIONS, SESSION_ACTIONS } from "../../app/models/permissions";

const DOC = path.resolve(__dirname, "../../docs/permissions.md");
const SESSION_COLUMNS = ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer", "programme_staff"];
const PROGRAMME_COLUMNS = ["organiser", "staff", "member"];

type Table = { header: string[]; rows: string[][] };

/** Every Markdown table in the text: header cells and body rows (separator rows dropped). */
function parseTables(markdown: string): Table[] {
  const tables: Table[] = [];
  let current: string[][] | null = null;
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("|")) {
      const cells = line.replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
      (current ??= []).push(cells);
    } else if (current) {
      tables.push(toTable(current));
      current = null;
    }
  }
  if (current) tables.push(toTable(current));
  return tables;
}

function toTable(lines: string[][]): Table {
  const [header, ...rest] = lines;
  return { header, rows: rest.filter((r) => !r.every((c) => /^:?-{3,}:?$/.test(c))) };
}

/** The table whose columns are exactly these standings, as action -> set of standings allowed. */
function grantsFrom(tables: Table[], columns: string[]): Map<string, string[]> {
  const matching = tables.filter((t) => t.header.slice(1).join("|") === columns.join("|"));
  expect(matching, `one table with columns ${columns.join(", ")}`).toHaveLength(1);
  const grants = new Map<string, string[]>();
  for (const row of matching[0].rows) {
    expect(row, `row ${row[0]}`).toHaveLength(columns.length + 1);
    const action = row[0].replace(/`/g, "");
    expect(grants.has(action), `${action} listed twice`).toBe(false);
    const allowed: string[] = [];
    row.slice(1).forEach((cell, i) => {
      expect(["yes", "—"], `cell ${action} x ${columns[i]}`).toContain(cell);
      if (cell === "yes") allowed.push(columns[i]);
    });
    grants.set(action, allowed);
  }
  return grants;
}

function fromCode(table: Record<string, readonly string[]>, columns: string[]): Map<string, string[]> {
  return new Map(Object.entries(table).map(([action, allowed]) => [action, columns.filter((c) => allowed.includes(c))]));
}

function sorted(map: Map<string, string[]>) {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

describe("docs/permissions.md", () => {
  const tables = parseTables(fs.readFileSync(DOC, "utf8"));

  it("shows the session role table of permissions.ts", () => {
    expect(sorted(grantsFrom(tables, SESSION_COLUMNS))).toEqual(sorted(fromCode(SESSION_ACTIONS, SESSION_COLUMNS)));
  });

  it("shows the programme role table of permissions.ts", () => {
    expect(sorted(grantsFrom(tables, PROGRAMME_COLUMNS))).toEqual(sorted(fromCode(PROGRAMME_ACTIONS, PROGRAMME_COLUMNS)));
  });

  it("the code grants nothing to a standing the doc has no column for", () => {
    for (const allowed of Object.values(SESSION_ACTIONS)) for (const s of allowed) expect(SESSION_COLUMNS).toContain(s);
    for (const allowed of Object.values(PROGRAMME_ACTIONS)) for (const r of allowed) expect(PROGRAMME_COLUMNS).toContain(r);
  });

  it("the parser notices a difference", () => {
    // A doc where one cell is flipped must not match the code (the check above can fail).
    const flipped = fs.readFileSync(DOC, "utf8").replace("| `session.configure` | yes |", "| `session.configure` | — |");
    expect(sorted(grantsFrom(parseTables(flipped), SESSION_COLUMNS))).not.toEqual(sorted(fromCode(SESSION_ACTIONS, SESSION_COLUMNS)));
    const missing = fs.readFileSync(DOC, "utf8").replace(/^\| `programme.audit.view`.*$/m, "");
    expect(sorted(grantsFrom(parseTables(missing), PROGRAMME_COLUMNS))).not.toEqual(sorted(fromCode(PROGRAMME_ACTIONS, PROGRAMME_COLUMNS)));
  });
});
