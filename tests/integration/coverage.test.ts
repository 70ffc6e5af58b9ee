/**
 * The coverage dashboard and its CSV export over HTTP on the real server (issue 7, item 4): the
 * commune -> region -> national chain of the traceability fixture gives known numbers per region,
 * level and theme, in the tables beside the charts and in the CSV; filters work from a plain GET form
 * and a bad one is refused with a message, the page still answering; the CSV is UTF-8 with a BOM,
 * semicolon-separated in French, safe from formula injection, and carries texts only where the viewer
 * may see them; and only the programme's people may open either.
 */
import { startTestServer, TestClient, type TestServer } from "../support/server";
import { buildNationalDialogue, PASSWORD, TEXTS } from "./traceability-fixture";

let server: TestServer;
let f: Awaited<ReturnType<typeof buildNationalDialogue>>;
let otherOrganiser: string;

beforeAll(async () => {
  server = await startTestServer();
  f = await buildNationalDialogue(server);
  otherOrganiser = (await buildNationalDialogue(server)).emails.organiser;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function signedIn(email: string, lang = "en") {
  const client = new TestClient(server.url);
  client.cookies.set("parley_lang", lang);
  await client.signIn(email, PASSWORD);
  return client;
}

const OUTCOMES = ["adopted_as_is", "merged", "adapted", "partly_taken_up", "not_retained", "unaddressed", "taken_up", "total"] as const;
type Row = Record<(typeof OUTCOMES)[number], number>;

/** The numbers in one chart's table, by group key (as rendered: data-table, data-group, data-outcome). */
function table(body: string, id: string): Map<string, Row> {
  const start = body.indexOf(`data-table="${id}"`);
  expect(start, `table ${id}`).toBeGreaterThan(-1);
  const section = body.slice(start, body.indexOf("</table>", start));
  const rows = new Map<string, Row>();
  for (const m of section.matchAll(/<tr data-group="([^"]+)">(.*?)<\/tr>/g)) {
    const row = {} as Row;
    for (const o of OUTCOMES) row[o] = Number(new RegExp(`data-outcome="${o}">(\\d+)<`).exec(m[2])?.[1] ?? NaN);
    rows.set(m[1], row);
  }
  return rows;
}

const row = (partial: Partial<Row>): Row => {
  const r = { adopted_as_is: 0, merged: 0, adapted: 0, partly_taken_up: 0, not_retained: 0, unaddressed: 0, ...partial } as Row;
  r.taken_up = r.adopted_as_is + r.merged + r.adapted + r.partly_taken_up;
  r.total = r.taken_up + r.not_retained + r.unaddressed;
  return r;
};

/** The body as text, keeping the byte-order mark unless asked to drop it (fetch's text() drops it silently). */
async function utf8(res: Response, dropBom = false): Promise<string> {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  return dropBom && text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** RFC 4180, enough for our files: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let cell = "";
  let row: string[] = [];
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe("the coverage dashboard", () => {
  it("gives the chain's numbers per region, level and theme, in the tables beside the charts", async () => {
    const organiser = await signedIn(f.emails.organiser);
    const res = await organiser.get(`/programmes/${f.programmeId}/coverage`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('data-total="7" data-taken-up="4"');
    expect(body).toContain("7 local demands, 4 taken up in some form (57%).");

    const regions = table(body, "by-region");
    expect(regions.get(f.places.mopti)).toEqual(row({ merged: 2, adapted: 1, partly_taken_up: 1, not_retained: 1 }));
    expect(regions.get(f.places.segou)).toEqual(row({ unaddressed: 2 }));
    const levels = table(body, "by-level");
    expect(levels.get(f.levels.commune)).toEqual(row({ merged: 2, partly_taken_up: 1, not_retained: 1, unaddressed: 2 }));
    expect(levels.get(f.levels.region)).toEqual(row({ adapted: 1 }));
    expect(levels.has(f.levels.national)).toBe(false);
    const themes = table(body, "by-theme");
    expect(themes.get(f.themes.water)).toEqual(row({ merged: 2, adapted: 1, unaddressed: 1 }));
    expect(themes.get(f.themes.roads)).toEqual(row({ not_retained: 1 }));
    expect(themes.get("none")).toEqual(row({ partly_taken_up: 1, unaddressed: 1 }));

    // Each chart is an accessible image with its numbers in words, drawn with classes, never inline styles.
    expect(body.match(/<svg[^>]*role="img"/g)).toHaveLength(3);
    expect(body).toContain('<desc id="by-region-desc">Mopti: Merged 2 (40%), Adapted 1 (20%), Partly taken up 1 (20%), Not retained 1 (20%). Ségou: Not yet addressed 2 (100%).</desc>');
    expect(body).not.toMatch(/\sstyle="/);
    // The unaddressed list: both Markala demands, each with its trace.
    expect(body).toContain('data-unaddressed="2"');
    expect(body).toContain(`href="/recommendations/${f.recs.waterMarkala}/trace"`);
  });

  it("filters from a plain GET form, and refuses a bad filter with a message while still answering", async () => {
    const organiser = await signedIn(f.emails.organiser, "fr");
    const segou = await (await organiser.get(`/programmes/${f.programmeId}/coverage?regionId=${f.places.segou}&levelId=&themeId=`)).text();
    expect(segou).toContain('data-total="2" data-taken-up="0"');
    expect(segou).toContain("Vue filtrée.");
    const water = await (await organiser.get(`/programmes/${f.programmeId}/coverage?themeId=${f.themes.water}&levelId=${f.levels.commune}`)).text();
    expect(water).toContain('data-total="3" data-taken-up="2"');
    const bad = await organiser.get(`/programmes/${f.programmeId}/coverage?levelId=everything&regionId=${f.themes.water}&page=abc`);
    expect(bad.status).toBe(200);
    const body = await bad.text();
    expect(body).toContain('data-total="7"');
    expect(body.match(/Choisissez l&#x27;une des options proposées\./g)?.length).toBe(2);
    expect(body).toContain('aria-invalid="true"');
  });

  it("is for the programme's people only; a member sees the numbers but not the texts of sessions they may not see", async () => {
    const visitor = new TestClient(server.url);
    const signedOut = await visitor.get(`/programmes/${f.programmeId}/coverage`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
    expect((await visitor.get(`/programmes/${f.programmeId}/coverage.csv`)).status).toBe(302);
    const stranger = await signedIn(otherOrganiser);
    expect((await stranger.get(`/programmes/${f.programmeId}/coverage`)).status).toBe(404);
    expect((await stranger.get(`/programmes/${f.programmeId}/coverage.csv`)).status).toBe(404);

    const member = await signedIn(f.emails.member);
    const page = await (await member.get(`/programmes/${f.programmeId}/coverage`)).text();
    expect(page).toContain('data-total="7" data-taken-up="4"');
    expect(page).not.toContain("Markala.");
    expect(page.match(/A demand from a session you may not see\./g)).toHaveLength(2);
    const programmePage = await (await member.get(`/programmes/${f.programmeId}`)).text();
    expect(programmePage).toContain(`href="/programmes/${f.programmeId}/coverage"`);

    const csv = parseCsv(await utf8(await member.get(`/programmes/${f.programmeId}/coverage.csv`), true), ",");
    const markala = csv.filter((r) => r[2] === "Mali > Ségou > Markala");
    expect(markala).toHaveLength(2);
    for (const r of markala) {
      expect(r[6]).toBe("");
      expect(r[9]).toBe("");
      expect(r[8]).toBe("Not yet addressed");
    }
    expect(csv.find((r) => r[0] === f.recs.waterSangha)?.[6]).toBe(TEXTS.waterSangha);
  });
});

describe("the CSV export", () => {
  it("lists every demand with place, level, theme, outcome and trace, as UTF-8 with a BOM and a proper file name", async () => {
    const organiser = await signedIn(f.emails.organiser);
    const res = await organiser.get(`/programmes/${f.programmeId}/coverage.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="parley-dialogue-inter-maliens-coverage-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(text, ",");
    expect(header).toEqual(["Identifier", "Region", "Place", "Level", "Theme", "Session", "Demand", "Level of agreement", "Outcome", "Trace"]);
    expect(rows).toHaveLength(7);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r[8], (counts.get(r[8]) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ Merged: 2, Adapted: 1, "Partly taken up": 1, "Not retained": 1, "Not yet addressed": 2 });
    const sangha = rows.find((r) => r[0] === f.recs.waterSangha)!;
    expect(sangha).toEqual([f.recs.waterSangha, "Mopti", "Mali > Mopti > Sangha", "Commune", "Water", "Concertation communale de Sangha", TEXTS.waterSangha, "Consensus", "Merged", `${server.url}/recommendations/${f.recs.waterSangha}/trace`]);
    expect(rows.find((r) => r[0] === f.recs.regional)?.[3]).toBe("Region");
  });

  it("neutralises formula injection, and follows French conventions in French", async () => {
    const organiser = await signedIn(f.emails.organiser, "fr");
    const res = await organiser.get(`/programmes/${f.programmeId}/coverage.csv?regionId=${f.places.segou}`);
    const text = await utf8(res);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text.slice(1), ";");
    expect(header).toEqual(["Identifiant", "Région", "Lieu", "Niveau", "Thématique", "Séance", "Doléance", "Niveau d'accord", "Suite donnée", "Traçabilité"]);
    expect(rows).toHaveLength(2);
    // The attacker's text arrives whole, but as text: no cell starts with = + - @.
    const formula = rows.find((r) => r[0] === f.recs.formulaMarkala)!;
    expect(formula[6]).toBe(`'${TEXTS.formulaMarkala}`);
    for (const r of [header, ...rows]) for (const cell of r) expect(cell).not.toMatch(/^\s*[=+\-@]/);
    expect(formula[8]).toBe("Pas encore traité");
    // The raw line: the cell is quoted (it holds quotes), so the separator inside stays inside.
    expect(text).toContain(`;"'=HYPERLINK(""http://attacker.example/"",""Cliquez ici"")";`);
  });
});
