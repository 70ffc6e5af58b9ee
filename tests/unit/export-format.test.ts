/**
 * The session export format (docs/export-format.md): the JSON Schema is a valid draft 2020-12 schema
 * that ajv compiles in strict mode, the documented example validates, every field of the schema is
 * documented, the format's enumerations still match the app's own lists, and files that are not
 * JSON, come from a newer format version or are malformed are refused with their specific codes and
 * change nothing.
 */
import Ajv2020 from "ajv/dist/2020";
import fs from "node:fs";
import path from "node:path";
import { ATTRIBUTION_MODES, HORIZONS, RECOMMENDATION_STATUSES, SESSION_KINDS, SUMMARY_LANGUAGES, SUMMARY_VISIBILITIES } from "../../db/schema";
import { LEVELS, tally } from "../../app/models/consensus";
import { countsVisible, SMALL_COUNT, wordRecommendation } from "../../app/models/consensus-wording";
import { EXPORT_CONTENT_TYPE, exportDownload, exportFileName, IMPORT_ERRORS, serialiseExport, type SessionExport } from "../../app/models/export-format";
import { canonicalJson, exportHash, schemaValidator, validateExport } from "../../app/models/exports.server";
import { ImportError, readExport } from "../../app/models/imports.server";
import { NOTE_KINDS } from "../../app/models/notes";
import { SCALE_KEYS } from "../../app/models/scales";
import { LANGUAGES } from "../../app/models/sessions.server";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

const DOCS = path.resolve(__dirname, "../../docs");
const schema = JSON.parse(fs.readFileSync(path.join(DOCS, "export-format.schema.json"), "utf8"));
const example: SessionExport = JSON.parse(fs.readFileSync(path.join(DOCS, "export-format.example.json"), "utf8"));
const guide = fs.readFileSync(path.join(DOCS, "export-format.md"), "utf8");

const copy = (): SessionExport => structuredClone(example);

/** Runs readExport and returns the ImportError it throws. */
function refusal(file: unknown): ImportError {
  try {
    readExport(file);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected the file to be refused");
}

const pathsOf = (e: ImportError) => e.details.problems!.map((p) => p.path);

describe("the JSON Schema", () => {
  it("is a valid draft 2020-12 schema that ajv compiles in strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false });
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(typeof schemaValidator()).toBe("function");
  });

  it("accepts the documented example, as it is and as the file is written", () => {
    expect(validateExport(example)).toEqual({ ok: true, doc: example });
    expect(validateExport(JSON.parse(serialiseExport(example))).ok).toBe(true);
    // The example shows what matters: counts, withheld counts, a declared level, a revision with its reason.
    const rounds = example.recommendations.flatMap((r) => r.rounds);
    expect(rounds.some((r) => r.counts)).toBe(true);
    expect(rounds.some((r) => !r.declared && !r.counts)).toBe(true);
    expect(rounds.some((r) => r.declared)).toBe(true);
    expect(example.recommendations.some((r) => r.revisions.some((v) => v.reason))).toBe(true);
  });

  it("documents every field in docs/export-format.md", () => {
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if (o.properties && typeof o.properties === "object") for (const k of Object.keys(o.properties)) names.add(k);
        Object.values(o).forEach(walk);
      }
    };
    walk(schema);
    expect(names.size).toBeGreaterThan(60);
    for (const name of names) expect(guide, `docs/export-format.md names ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("keeps its enumerations in step with the app's lists (a new one needs a decision about the format)", () => {
    const d = schema.$defs;
    const p = schema.properties;
    const sorted = (v: readonly string[]) => [...v].sort();
    expect(sorted(p.session.properties.kind.enum)).toEqual(sorted(SESSION_KINDS));
    expect(sorted(d.attributionMode.enum)).toEqual(sorted(ATTRIBUTION_MODES));
    expect(sorted(d.scale.enum)).toEqual(sorted(SCALE_KEYS));
    expect(sorted(d.round.properties.level.enum)).toEqual(sorted(LEVELS));
    expect(sorted(p.keyPoints.items.properties.kind.enum)).toEqual(sorted(NOTE_KINDS));
    expect(sorted(p.recommendations.items.properties.horizon.anyOf[1].enum)).toEqual(sorted(HORIZONS));
    expect(sorted(p.recommendations.items.properties.status.enum)).toEqual(sorted(RECOMMENDATION_STATUSES.filter((s) => s !== "draft" && s !== "open")));
    expect(sorted(p.publication.properties.visibility.enum)).toEqual(sorted(SUMMARY_VISIBILITIES));
    expect(sorted(d.language.enum)).toEqual(sorted(SUMMARY_LANGUAGES));
    expect(sorted(d.language.enum)).toEqual(sorted(LANGUAGES));
  });

  it("enforces small-count protection itself: no counts for fewer than SMALL_COUNT people", () => {
    expect(schema.$defs.round.properties.counts.anyOf[1].properties.taken.minimum).toBe(SMALL_COUNT);
    const doc = copy();
    const round = doc.recommendations[0].rounds[0];
    round.counts = { ...round.counts!, taken: 9, support: 9, neutral: 0, handPositions: 9, eligible: 9 };
    doc.recommendations[0].result = structuredClone(round);
    const e = refusal(doc);
    expect(e.messageKey).toBe("import_invalid");
    expect(pathsOf(e)).toContain("/recommendations/0/rounds/0/counts/taken");
  });
});

describe("refusing files", () => {
  it("that are not JSON", () => {
    for (const file of ["", "{", "# Summary\n\nThe Markdown export", "<html></html>", new Uint8Array([0xc3, 0x28]), 42, null, undefined]) {
      const e = refusal(file);
      expect(e.messageKey, String(file)).toBe("import_not_json");
      expect(e.code).toBe("invalid");
      expect(e.details.message).toMatch(/not JSON/);
    }
    // A byte-order mark is not a reason to refuse.
    expect(readExport(`\uFEFF${serialiseExport(example)}`).session.id).toBe(example.session.id);
    expect(readExport(Buffer.from(serialiseExport(example))).session.id).toBe(example.session.id);
  });

  it("from a newer format version, with the version in the message, before any schema problem", () => {
    const e = refusal(JSON.stringify({ format: "parley.session-export", formatVersion: 3, whatever: [] }));
    expect(e.messageKey).toBe("import_newer_format");
    expect(e.details).toMatchObject({ formatVersion: 3, supportedFormatVersion: 1 });
    expect(e.details.message).toBe("This file was made by a newer version of Parley (format 3); this instance reads up to format 1.");
    // Not ours, or not a version at all: invalid, not "newer".
    expect(refusal({ ...copy(), format: "parley.signed-bundle", formatVersion: 2 }).messageKey).toBe("import_invalid");
    expect(pathsOf(refusal({ ...copy(), formatVersion: 0 }))).toEqual(["/formatVersion"]);
    expect(pathsOf(refusal({ ...copy(), formatVersion: "1" }))).toEqual(["/formatVersion"]);
  });

  it("that fail the schema, with JSON pointers and messages a person can act on", () => {
    const doc = copy();
    delete (doc.publication as Partial<SessionExport["publication"]>).markdown;
    (doc.session as { kind: string }).kind = "workshop";
    Object.assign(doc.keyPoints[0], { authorUserId: "0b1c2d3e-0000-4000-8000-000000000000" });
    doc.agenda[0].id = "item-1";
    doc.provenance.exportedAt = "yesterday";
    Object.assign(doc.recommendations[2].result!, { counts: { taken: 40 } });
    const e = refusal(JSON.stringify(doc));
    expect(e.messageKey).toBe("import_invalid");
    expect(e.details.problems!.length).toBe(5);
    const byPath = Object.fromEntries(e.details.problems!.map((p) => [p.path, p.message]));
    expect(byPath["/provenance/exportedAt"]).toBe("must be a date and time with its offset (ISO 8601)");
    expect(byPath["/session/kind"]).toBe('must be one of "roundtable", "local_dialogue", "plenary"');
    expect(byPath["/agenda/0/id"]).toBe("must be an identifier (UUID)");
    expect(byPath["/keyPoints/0/authorUserId"]).toBe("is not part of the format");
    // The same problems keyed by path, for forms.
    expect(e.fields!["/session/kind"]).toEqual([byPath["/session/kind"]]);

    expect(pathsOf(refusal({ ...copy(), publication: { ...copy().publication, markdown: undefined } }))).toEqual(["/publication/markdown"]);
    expect(refusal(JSON.stringify([example])).details.problems).toEqual([{ path: "", message: "must be object" }]);
    // A declared level never carries counts.
    const declared = copy();
    declared.recommendations[2].rounds[0].counts = structuredClone(example.recommendations[0].rounds[0].counts);
    expect(pathsOf(refusal(declared))[0]).toMatch(/^\/recommendations\/2\/rounds\/0\/counts/);
  });

  it("whose references or numbers do not add up", () => {
    const cases: [(d: SessionExport) => void, string][] = [
      [(d) => (d.context.levelId = d.session.id), "/context/levelId"],
      [(d) => (d.keyPoints[1].themeIds = [d.session.id]), "/keyPoints/1/themeIds/0"],
      [(d) => (d.recommendations[0].addresseeId = d.context.themes[0].id), "/recommendations/0/addresseeId"],
      [(d) => (d.recommendations[0].sourceKeyPointIds = [d.agenda[0].id]), "/recommendations/0/sourceKeyPointIds/0"],
      [(d) => (d.keyPoints[1].id = d.keyPoints[0].id), "/keyPoints/1"],
      [(d) => (d.recommendations[0].text = "Another wording"), "/recommendations/0/text"],
      [(d) => (d.recommendations[0].rounds[0].counts!.support = 30), "/recommendations/0/rounds/0/counts/taken"],
      [(d) => (d.recommendations[0].result!.level = "majority"), "/recommendations/0/result"],
      [(d) => (d.recommendations[1].result = null), "/recommendations/1/result"],
      [(d) => (d.context.parentSession = { id: d.session.id, title: "itself" }), "/context/parentSession/id"],
      [(d) => (d.session.schedule.timeZone = "Mars/Olympus_Mons"), "/session/schedule/timeZone"],
    ];
    for (const [change, where] of cases) {
      const doc = copy();
      change(doc);
      const e = refusal(doc);
      expect(e.messageKey, where).toBe("import_invalid");
      expect(pathsOf(e), where).toContain(where);
    }
  });

  it("has a message key for every refusal, and they are the documented ones", () => {
    for (const key of IMPORT_ERRORS) expect(guide).toContain(`\`${key}\``);
  });
});

describe("through the domain: nothing changes, and only programme organisers import", () => {
  let h: Harness;
  beforeEach(() => {
    h = makeHarness();
  });
  afterEach(() => h.close());

  const counts = () => {
    const tables = h.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (h.database.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  };

  it("refuses bad files with their codes and leaves every table as it was", async () => {
    const { organiser, programmeId } = await programmeWithSession(h.domain);
    const target = { programmeId, parentSessionId: null };
    const before = counts();
    expect((await domainError(() => h.domain.imports.importSession(organiser, "not json at all", target))).messageKey).toBe("import_not_json");
    expect((await domainError(() => h.domain.imports.importSession(organiser, { ...copy(), formatVersion: 2 }, target))).messageKey).toBe("import_newer_format");
    expect((await domainError(() => h.domain.imports.importSession(organiser, { ...copy(), keyPoints: "none" }, target))).messageKey).toBe("import_invalid");
    expect(counts()).toEqual(before);
  });

  it("imports the example for a programme organiser only, and asks where when the programme is unknown", async () => {
    const { organiser, programmeId } = await programmeWithSession(h.domain);
    const ask = (await domainError(() => h.domain.imports.importSession(organiser, serialiseExport(example)))) as ImportError;
    expect(ask.messageKey).toBe("import_needs_target");
    expect(ask.details.programme).toEqual({ id: example.programme.id, name: example.programme.name });

    const { actor: staff } = await signedInAccount(h.domain, "staff@example.org");
    h.domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", role: "staff" });
    expect((await domainError(() => h.domain.imports.importSession(staff, serialiseExport(example), { programmeId, parentSessionId: null }))).code).toBe("forbidden");
    expect((await domainError(() => h.domain.imports.importSession(null, serialiseExport(example), { programmeId }))).code).toBe("unauthenticated");

    const report = h.domain.imports.importSession(organiser, serialiseExport(example), { programmeId, parentSessionId: null });
    expect(report).toMatchObject({ sessionId: example.session.id, publicationNumber: example.publication.number, mode: "session" });
    expect((await domainError(() => h.domain.imports.importSession(organiser, serialiseExport(example), { programmeId, parentSessionId: null }))).messageKey).toBe("import_duplicate");
  });
});

describe("helpers", () => {
  it("name the download after the title, in ASCII, with the version number", () => {
    expect(exportFileName({ session: { ...example.session, title: "Concertation communale de Ménaka : sécurité & justice" }, publication: { ...example.publication, number: 3 } })).toBe(
      "parley-concertation-communale-de-menaka-securite-justice-v3.json",
    );
    expect(exportFileName({ session: { ...example.session, title: "الحوار الوطني" }, publication: example.publication })).toBe("parley-session-v2.json");
    expect(exportDownload(example)).toEqual({ filename: "parley-concertation-communale-de-bandiagara-v2.json", contentType: EXPORT_CONTENT_TYPE, body: serialiseExport(example) });
  });

  it("hash the content whatever the order of keys", () => {
    const reordered = Object.fromEntries(Object.entries(example).reverse());
    expect(canonicalJson(reordered)).toBe(canonicalJson(example));
    expect(exportHash(reordered as SessionExport)).toBe(exportHash(example));
    expect(exportHash({ ...example, publication: { ...example.publication, markdown: "changed" } })).not.toBe(exportHash(example));
  });

  it("countsVisible gives no counts for a result whose counts were withheld at its source", () => {
    const full = tally({ positions: { support: 20, neutral: 0, oppose: 0, block: 0 }, eligible: 20 });
    if (!full.ok) throw new Error("tally failed");
    const withheld = { kind: "counted", declared: false, level: "unanimous", handsIncluded: false, countsWithheld: true } as unknown as typeof full.value;
    expect(countsVisible(full.value, { audience: "staff" })).toBe(true);
    expect(countsVisible(withheld, { audience: "staff" })).toBe(false);
    expect(wordRecommendation(withheld, "The State should act", { lang: "en", audience: "staff" }).text).toBe("Participants unanimously agreed that the State should act.");
  });
});
