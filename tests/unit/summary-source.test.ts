/**
 * The summary's source read from a real database (app/models/summary-source.server.ts) and drafted
 * (summary-draft.ts): the demo's held roundtable (app/demo/seed.server.ts) in English, and its
 * Bandiagara commune consultation held here in French. What the source carries is only what the
 * published text may contain: no author tag, no user id, no roster name unless panelists are listed.
 *
 * PARLEY_PRINT_DRAFTS=1 prints the drafts, to read them.
 */
import { eq } from "drizzle-orm";
import { dialogueSessions, notes, users } from "../../db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "../../app/demo/seed.server";
import { draftSummary } from "../../app/models/summary-draft";
import { gatherSummarySource } from "../../app/models/summary-source.server";
import { holdCommune } from "./demo-commune";
import { domainError, makeHarness, type Harness } from "./helpers";

const ROUNDTABLE = "Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali";
const print = process.env.PARLEY_PRINT_DRAFTS === "1";

let h: Harness;
afterEach(() => h?.close());

async function demo() {
  h = makeHarness();
  await seedDemo(h.domain, h.database.db);
  const session = h.database.db.select().from(dialogueSessions).where(eq(dialogueSessions.title, ROUNDTABLE)).get()!;
  const rosterRows = h.database.sqlite.prepare("SELECT name, short_forms, organisation, acronyms, role FROM roster_entries WHERE session_id = ?").all(session.id) as {
    name: string;
    short_forms: string;
    organisation: string;
    acronyms: string;
    role: string;
  }[];
  return { sessionId: session.id, coHosts: session.coHosts, rosterRows };
}

/** Every way the roster names a person or their organisation, as whole words (co-hosts excepted: they are public). */
function identifying(rosterRows: Awaited<ReturnType<typeof demo>>["rosterRows"], coHosts: string, roles?: string[]): string[] {
  const rows = roles ? rosterRows.filter((r) => roles.includes(r.role)) : rosterRows;
  const terms = rows.flatMap((r) => [r.name, ...(JSON.parse(r.short_forms) as string[]), r.organisation, ...(JSON.parse(r.acronyms) as string[])]);
  return [...new Set(terms.filter((t) => t && !coHosts.includes(t)))];
}
const containsWord = (text: string, term: string) => new RegExp(`(^|[^\\p{L}])${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\p{L}]|$)`, "u").test(text);

describe("the demo roundtable", () => {
  it("drafts the held roundtable in the reference shape, with no name when panelists are not listed", async () => {
    const { sessionId, coHosts, rosterRows } = await demo();
    const source = gatherSummarySource(h.database.db, sessionId, { listPanelists: false });
    const en = draftSummary(source, "en");
    const fr = draftSummary(source, "fr");
    if (print) console.log(`${en}\n\n${fr}`);

    expect(en.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      `# ${ROUNDTABLE}`,
      "## Opening remarks",
      "## Trends and risks",
      "## Exploring the protection of civilians toolkit",
      "## Recommendations",
      "### Government of Mali",
      "### International partners",
      "### United Nations mission",
      "### Other proposals discussed",
    ]);
    expect(en).toMatch(/\n_Closed-door roundtable · \w+day, \d{1,2} \w+ \d{4}_\n/);
    expect(en).toContain("the Institute for Peace Dialogue and the Centre for Atrocity Prevention convened a closed-door roundtable entitled “Civilians at Risk");
    // The roster has four people in four categories: no category is named; attendance comes from the show of hands.
    expect(en).toContain("The discussion, led by a moderator, gathered 34 participants.");
    expect(en).toContain("There was consensus that the mission should refine its strategy for the protection of civilians in central Mali");
    expect(en).toContain("(31 of 34 participants, none opposed, by show of hands)");
    expect(en).toContain("was adopted by consensus without a vote");
    expect(en).toMatch(/### Other proposals discussed\n\nThe following proposals were discussed but not adopted\.\n\n- Views were divided on whether development partners should channel funding/);
    expect(en).toContain("\n\n---\n\n_The discussion was held under the Chatham House Rule");
    // A note not highlighted in an item that has key points stays out.
    expect(en).not.toContain("mandate is up for renewal");
    expect(fr).toContain("_Table ronde à huis clos · ");
    expect(fr).toContain("ont organisé une table ronde à huis clos intitulée");
    expect(fr).toContain("Les échanges, animés par un modérateur, ont réuni 34 participants.");
    expect(fr).toContain("### Autres propositions examinées");

    for (const text of [en, fr, JSON.stringify(source)]) {
      for (const term of [...identifying(rosterRows, coHosts), ...DEMO_ACCOUNTS.map((a) => a.name)]) expect(containsWord(text, term), term).toBe(false);
      expect(text).not.toContain("Panelists");
      expect(text).not.toContain("intervenants figuraient");
    }
  });

  it("carries no author tag, no user id and nothing but curated notes", async () => {
    const { sessionId } = await demo();
    const source = gatherSummarySource(h.database.db, sessionId, { listPanelists: true });
    const json = JSON.stringify(source);
    for (const { id } of h.database.db.select({ id: users.id }).from(users).all()) expect(json).not.toContain(id);
    const rows = h.database.db.select({ id: notes.id, tag: notes.authorTag, status: notes.status, clientId: notes.clientId }).from(notes).where(eq(notes.sessionId, sessionId)).all();
    for (const r of rows) {
      if (r.tag) expect(json).not.toContain(r.tag);
      if (r.clientId) expect(json).not.toContain(r.clientId);
    }
    const visible = new Set(rows.filter((r) => r.status === "visible").map((r) => r.id));
    const carried = source.items.flatMap((i) => i.notes.map((n) => n.id));
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.every((id) => visible.has(id))).toBe(true);
    expect(source.recommendations.map((r) => r.status).sort()).toEqual(["adopted", "adopted", "adopted", "not_adopted"]);
  });

  it("lists the panelists by name and affiliation when the organiser chooses to, and no one else", async () => {
    const { sessionId, coHosts, rosterRows } = await demo();
    const en = draftSummary(gatherSummarySource(h.database.db, sessionId, { listPanelists: true }), "en");
    expect(en).toContain(
      "Panelists included Élodie Marchand (Permanent Mission of France to the United Nations), Hamadoun Cissé (Sahel Civilian Protection Network) and Ingrid Halvorsen (Nordic Institute for Conflict Studies).",
    );
    for (const term of identifying(rosterRows, coHosts, ["moderator", "participant", "observer", "rapporteur", "organiser"])) expect(containsWord(en, term), term).toBe(false);
  });

  it("never lists panelists of an anonymous session, whose roster is for organisers only", async () => {
    const { sessionId } = await demo();
    h.database.db.update(dialogueSessions).set({ attributionMode: "anonymous" }).where(eq(dialogueSessions.id, sessionId)).run();
    const source = gatherSummarySource(h.database.db, sessionId, { listPanelists: true });
    expect(source.panelists).toBeNull();
    expect(draftSummary(source, "en")).toContain("_The discussion was held under strict non-attribution");
  });

  it("gives the same draft for the same data, read twice", async () => {
    const { sessionId } = await demo();
    const once = draftSummary(gatherSummarySource(h.database.db, sessionId, { listPanelists: false }), "fr");
    expect(draftSummary(gatherSummarySource(h.database.db, sessionId, { listPanelists: false }), "fr")).toBe(once);
  });

  it("refuses a session that does not exist", async () => {
    h = makeHarness();
    expect((await domainError(() => gatherSummarySource(h.database.db, "00000000-0000-4000-8000-000000000000", { listPanelists: false }))).code).toBe("not_found");
  });
});

describe("a commune consultation in French", () => {
  it("drafts it from curated notes only, with small-count protection, and no name", async () => {
    h = makeHarness();
    await seedDemo(h.domain, h.database.db);
    const run = await holdCommune(h);
    const source = gatherSummarySource(h.database.db, run.sessionId, { listPanelists: false });
    const fr = draftSummary(source, "fr");
    if (print) console.log(`${fr}\n\n${draftSummary(gatherSummarySource(h.database.db, run.sessionId, { listPanelists: true }), "fr")}`);

    expect(fr.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      "# Concertation communale de Bandiagara (région de Mopti)",
      "## Menaces qui pèsent sur les civils",
      "## Recommandations pour la table ronde nationale",
      "### Autorités régionales et locales",
      "### Gouvernement du Mali",
      "### Autres propositions examinées",
    ]);
    expect(fr).toMatch(/\n_Concertation locale · Bandiagara · \w+ \d{1,2} \S+ \d{4}_\n/);
    // Seven took part: fewer than ten, so no count of them at all, by category or in all.
    expect(fr).toContain("Les échanges, animés par un modérateur, ont réuni moins de dix participants.");
    expect(fr).not.toMatch(/réuni \d/);
    expect(fr).toContain("Les participants ont relevé que les routes vers les foires hebdomadaires ne sont plus sûres");
    expect(fr).toContain("Un participant s'est inquiété du fait que les jeunes sont recrutés par les groupes armés");
    expect(fr).toContain("«\u00A0Qui protège les villages quand l'armée se retire ?\u00A0»");
    // Seven people counted: the level in words, no count at all.
    expect(fr).toContain("- Un consensus s'est dégagé sur le fait que l'État doit reconnaître le rôle de médiation des chefs de village et des imams. _Thématique");
    expect(fr).toContain("- La recommandation selon laquelle les comités locaux d'alerte précoce devraient être relancés dans chaque village a été adoptée par consensus, sans vote.");
    expect(fr).not.toMatch(/\d+ participants? (favorables? )?sur \d+/);
    for (const text of Object.values(run.texts)) expect(fr).not.toContain(text.slice(0, 30));
    for (const name of run.rosterNames) expect(containsWord(fr, name), name).toBe(false);
    expect(source.items.flatMap((i) => i.notes).some((n) => n.merged === 1)).toBe(true);
  });
});
