/**
 * The summary's first draft (app/models/summary-draft.ts) on hand-made sources: the reference note's
 * shape, English and French wording, small-count protection in the format paragraph and in the
 * recommendations, panelists listed only when chosen, every attribution mode's disclaimer, Markdown
 * that stays inert, and the same text for the same data.
 */
import MarkdownIt from "markdown-it";
import { declare, tally, type ConsensusResult } from "../../app/models/consensus";
import { defaultSummaryLanguage, draftSummary, notesForProse, protectedCategories, type SummaryNote, type SummaryRecommendation, type SummarySource } from "../../app/models/summary-draft";
import { languageOf, noteReadsAsClause, properNounsIn, toClause, withArticleEn, withArticleFr } from "../../app/models/summary-wording";

const MIN = 60_000;
const T0 = Date.UTC(2026, 1, 3, 14, 0);

/** A counted result: `support` agree, `neutral` abstain, `oppose` disagree, everyone eligible took a position. */
function counted(support: number, neutral = 0, oppose = 0): ConsensusResult {
  const r = tally({ positions: { support, neutral, oppose, block: 0 }, eligible: support + neutral + oppose });
  if (!r.ok) throw new Error("bad tally");
  return r.value;
}
const declaredConsensus = (): ConsensusResult => {
  const r = declare("consensus");
  if (!r.ok) throw new Error("bad level");
  return r.value;
};

let seq = 0;
const note = (text: string, over: Partial<SummaryNote> = {}): SummaryNote => ({ id: `n${String(++seq).padStart(3, "0")}`, kind: "point", text, keyPoint: true, merged: 0, themeId: null, minute: T0 + seq * MIN, ...over });

const GOV = { id: "a-gov", label: { en: "Government of Mali", fr: "Gouvernement du Mali" } };
const UN = { id: "a-un", label: { en: "United Nations mission", fr: "Mission des Nations unies" } };
const SECURITY = { en: "Security", fr: "Sécurité" };

const rec = (text: string, over: Partial<SummaryRecommendation> = {}): SummaryRecommendation => ({
  id: `r${String(++seq).padStart(3, "0")}`,
  text,
  status: "adopted",
  addressee: GOV,
  theme: SECURITY,
  horizon: "immediate",
  itemPosition: 2,
  result: counted(11, 1),
  createdAt: T0 + seq * MIN,
  ...over,
});

function source(over: Partial<SummarySource> = {}, session: Partial<SummarySource["session"]> = {}): SummarySource {
  return {
    session: {
      title: "Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali",
      description: "While narratives around the conflict often focus on violent extremism, there are increasing concerns related to the protection of civilians.",
      coHosts: ["Institute for Peace Dialogue", "Centre for Atrocity Prevention"],
      kind: "roundtable",
      languages: ["en", "fr"],
      startsAt: T0,
      endsAt: T0 + 180 * MIN,
      timeZone: "America/New_York",
      attributionMode: "chatham_house",
      showNumbers: true,
      locality: "Mali",
      ...session,
    },
    moderators: 1,
    participants: { total: 16, byCategory: [{ key: "academic", count: 6 }, { key: "un_official", count: 4 }, { key: "diplomat", count: 3 }, { key: "ngo", count: 3 }] },
    panelists: null,
    items: [
      { id: "i1", position: 0, title: "Opening remarks", attributionMode: "chatham_house", notes: [] },
      {
        id: "i2",
        position: 1,
        title: "Trends and risks",
        attributionMode: "chatham_house",
        notes: [
          note("The weakness of the central government is a driver of violence against civilians.", { themeId: "t-sec" }),
          note("Threats posed by armed groups are mostly indirect.", { themeId: "t-sec", merged: 2 }),
          note("While all populations are potential victims, the Fulani are the most vulnerable.", { themeId: "t-coh" }),
          note("A side remark nobody highlighted.", { keyPoint: false }),
        ],
      },
      {
        id: "i3",
        position: 2,
        title: "Exploring the protection of civilians toolkit",
        attributionMode: "chatham_house",
        notes: [
          note("Fulani communities are the most exposed.", { keyPoint: false }),
          note("How can the mission be told apart from counter-terrorism forces?", { kind: "question", keyPoint: false }),
          note("Community engagement may expose civilians to retribution.", { kind: "concern", keyPoint: false }),
        ],
      },
    ],
    recommendations: [
      rec("The Government of Mali should pursue reform more inclusively in the centre of the country."),
      rec("The UN mission should diversify the tools at its disposal.", { addressee: UN, result: declaredConsensus() }),
    ],
    ...over,
  };
}

const headings = (md: string) => md.split("\n").filter((l) => /^#{1,6} /.test(l));
const block = (md: string, start: string) => md.split("\n\n").find((b) => b.startsWith(start)) ?? "";

describe("the draft's shape", () => {
  it("follows the reference note: title, dated line, context, format, one section per item, recommendations, disclaimer", () => {
    const md = draftSummary(source(), "en");
    const blocks = md.trimEnd().split("\n\n");
    expect(blocks[0]).toBe("# Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali");
    expect(blocks[1]).toBe("_Closed-door roundtable · Tuesday, 3 February 2026_");
    expect(blocks[2]).toMatch(/^While narratives around the conflict/);
    expect(blocks[3]).toMatch(/^On Tuesday, 3 February 2026, the Institute for Peace Dialogue and the Centre for Atrocity Prevention convened a closed-door roundtable entitled “Civilians at Risk/);
    // An item with nothing curated has no section; the recommendations get their own.
    expect(headings(md)).toEqual([
      "# Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali",
      "## Trends and risks",
      "## Exploring the protection of civilians toolkit",
      "## Recommendations",
      "### Government of Mali",
      "### United Nations mission",
    ]);
    expect(blocks.at(-2)).toBe("---");
    expect(blocks.at(-1)).toMatch(/^_The discussion was held under the Chatham House Rule: .* does not necessarily represent the views of all participants\._$/);
    expect(md.endsWith("\n")).toBe(true);
  });

  it("gives the date in the session's time zone, in the draft's language", () => {
    const late = Date.UTC(2026, 1, 3, 23, 30);
    expect(draftSummary(source({}, { startsAt: late, timeZone: "Africa/Bamako" }), "en")).toContain("_Closed-door roundtable · Tuesday, 3 February 2026_");
    expect(draftSummary(source({}, { startsAt: late, timeZone: "Asia/Tokyo" }), "en")).toContain("_Closed-door roundtable · Wednesday, 4 February 2026_");
    expect(draftSummary(source({}, { startsAt: late, timeZone: "Asia/Tokyo" }), "fr")).toContain("_Table ronde à huis clos · mercredi 4 février 2026_");
    const undated = draftSummary(source({}, { startsAt: null }), "en");
    expect(undated).toContain("_Closed-door roundtable_");
    expect(undated).toContain("The Institute for Peace Dialogue and the Centre for Atrocity Prevention convened a closed-door roundtable entitled");
  });

  it("keeps the description's paragraphs and leaves out an empty one", () => {
    const md = draftSummary(source({}, { description: "First paragraph.\n\nSecond paragraph,\nover two lines." }), "en");
    expect(md).toContain("\n\nFirst paragraph.\n\nSecond paragraph, over two lines.\n\n");
    expect(draftSummary(source({}, { description: "  " }), "en").split("\n\n")[2]).toMatch(/^On Tuesday/);
  });

  it("says where a local dialogue took place, and who held it, in French", () => {
    const md = draftSummary(
      source({}, { kind: "local_dialogue", title: "Concertation communale de Bandiagara", locality: "Bandiagara", coHosts: ["Mairie de Bandiagara"], timeZone: "Africa/Bamako" }),
      "fr",
    );
    expect(md).toContain("_Concertation locale · Bandiagara · mardi 3 février 2026_");
    expect(md).toContain("Le mardi 3 février 2026, à Bandiagara, la Mairie de Bandiagara a organisé une concertation locale intitulée «\u00A0Concertation communale de Bandiagara\u00A0».");
    expect(draftSummary(source({}, { kind: "plenary", coHosts: [] }), "en")).toContain("A plenary session entitled “Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali” was held in Mali on Tuesday, 3 February 2026.");
  });

  it("picks the draft's language from the session's languages", () => {
    expect(defaultSummaryLanguage(["en", "fr"])).toBe("en");
    expect(defaultSummaryLanguage(["fr"])).toBe("fr");
    expect(defaultSummaryLanguage(["bm", "en"])).toBe("en");
    expect(defaultSummaryLanguage([])).toBe("fr");
  });
});

describe("the format paragraph", () => {
  const format = (s: SummarySource, lang: "en" | "fr" = "en") => block(draftSummary(s, lang), lang === "en" ? "On " : "Le ");

  it("gives the moderator's role, the participants by category and no name", () => {
    expect(format(source())).toContain(
      "The discussion, led by a moderator, gathered 16 participants, including 6 academics and researchers, 4 UN officials, 3 diplomats and 3 representatives of non-governmental organisations.",
    );
    expect(format(source(), "fr")).toContain(
      "Les échanges, animés par un modérateur, ont réuni 16 participants, dont 6 universitaires et chercheurs, 4 fonctionnaires des Nations unies, 3 diplomates et 3 représentants d'organisations non gouvernementales.",
    );
    expect(format(source({ moderators: 2 }))).toContain("led by two moderators,");
    expect(format(source({ moderators: 0 }))).toContain("The discussion gathered 16 participants");
  });

  it("merges categories under 3 into 'other' and folds a small 'other' into the largest category", () => {
    const merged = format(source({ participants: { total: 12, byCategory: [{ key: "academic", count: 5 }, { key: "diplomat", count: 2 }, { key: "ngo", count: 1 }, { key: "un_official", count: 4 }] } }));
    expect(merged).toContain("gathered 12 participants, including 5 academics and researchers, 4 UN officials and 3 participants from other backgrounds.");
    expect(merged).not.toMatch(/diplomat|non-governmental/);
    const folded = format(source({ participants: { total: 12, byCategory: [{ key: "academic", count: 10 }, { key: "diplomat", count: 2 }] } }));
    expect(folded).toContain("gathered 12 academics and researchers.");
    expect(folded).not.toContain("diplomat");
    const tiny = format(source({ participants: { total: 2, byCategory: [{ key: "academic", count: 1 }, { key: "ngo", count: 1 }] } }), "fr");
    // Fewer than ten in the room: no count at all in published text (SPEC section 4).
    expect(tiny).toContain("ont réuni moins de dix participants.");
    expect(format(source({ participants: { total: 9, byCategory: [{ key: "academic", count: 9 }] } }))).toContain("gathered fewer than ten participants.");
  });

  it("names only the categories it knows when the roster accounts for fewer people than took part", () => {
    const partial = format(source({ participants: { total: 40, byCategory: [{ key: "academic", count: 12 }, { key: "ngo", count: 3 }, { key: "other", count: 5 }] } }));
    expect(partial).toContain("gathered 40 participants, including 12 academics and researchers and 3 representatives of non-governmental organisations.");
    expect(format(source({ participants: { total: 34, byCategory: [{ key: "other", count: 4 }] } }))).toContain("gathered 34 participants.");
  });

  it("lists panelists as a group by name and affiliation only when the source carries them", () => {
    expect(format(source())).not.toMatch(/Panelists|Halvorsen/);
    const panelists = [
      { name: "Ingrid Halvorsen", affiliation: "Nordic Institute for Conflict Studies" },
      { name: "Mollie Zapata", affiliation: "USHMM" },
      { name: "Ibrahim Ibrahim", affiliation: "USHMM" },
      { name: "Élodie Marchand", affiliation: "" },
    ];
    expect(format(source({ panelists }))).toContain("Panelists included Élodie Marchand, Ibrahim Ibrahim and Mollie Zapata (USHMM) and Ingrid Halvorsen (Nordic Institute for Conflict Studies).");
    expect(format(source({ panelists }), "fr")).toContain("Parmi les intervenants figuraient Élodie Marchand, Ibrahim Ibrahim et Mollie Zapata (USHMM) et Ingrid Halvorsen (Nordic Institute for Conflict Studies).");
    expect(format(source({ panelists: [panelists[0]] }))).toContain("The panel comprised Ingrid Halvorsen (Nordic Institute for Conflict Studies).");
    expect(format(source({ panelists: [] }))).not.toContain("Panel");
  });

  it("puts the right article before organisations' names", () => {
    expect(withArticleEn("Institute for Peace Dialogue")).toBe("the Institute for Peace Dialogue");
    expect(withArticleEn("USHMM")).toBe("USHMM");
    expect(withArticleEn("Harvard University")).toBe("Harvard University");
    expect(withArticleEn("University of Bamako")).toBe("the University of Bamako");
    expect(withArticleFr("Institute for Peace Dialogue")).toBe("l'Institute for Peace Dialogue");
    expect(withArticleFr("Centre for Atrocity Prevention")).toBe("le Centre for Atrocity Prevention");
    expect(withArticleFr("Mission permanente de la France")).toBe("la Mission permanente de la France");
    expect(withArticleFr("Haut-Commissariat aux droits de l'homme")).toBe("le Haut-Commissariat aux droits de l'homme");
    expect(withArticleFr("Oxfam")).toBe("Oxfam");
  });
});

describe("agenda items as prose", () => {
  it("uses an item's key points when a curator highlighted any, and all its curated notes otherwise", () => {
    const s = source();
    expect(notesForProse(s.items[1]).map((n) => n.text)).not.toContain("A side remark nobody highlighted.");
    expect(notesForProse(s.items[2])).toHaveLength(3);
    expect(draftSummary(s, "en")).not.toContain("side remark");
  });

  it("reports notes in the reference style, never naming anyone, in English", () => {
    const md = draftSummary(source(), "en");
    const trends = md.split("## Trends and risks\n\n")[1].split("\n\n## ")[0];
    expect(trends).toBe(
      [
        // A new theme starts a paragraph once the current one has two notes; a note merged from others is "several participants".
        "Participants noted that the weakness of the central government is a driver of violence against civilians. Several participants stressed that threats posed by armed groups are mostly indirect. Others pointed out that while all populations are potential victims, the Fulani are the most vulnerable.",
      ].join("\n\n"),
    );
    const toolkit = md.split("## Exploring the protection of civilians toolkit\n\n")[1].split("\n\n## ")[0];
    // "Fulani" keeps its capital: the texts use it as a proper noun. Questions are quoted.
    expect(toolkit).toBe(
      "Participants noted that Fulani communities are the most exposed. One participant asked: “How can the mission be told apart from counter-terrorism forces?” Others warned that community engagement may expose civilians to retribution.",
    );
  });

  it("reports notes in French, with elision, and quotes what is not a clause or not in French", () => {
    const s = source({
      items: [
        {
          id: "i1",
          position: 0,
          title: "Menaces qui pèsent sur les civils",
          attributionMode: "chatham_house",
          notes: [
            note("Les routes vers les foires ne sont plus sûres.", { themeId: "t1" }),
            note("Il faut relancer les comités d'alerte.", { kind: "proposal", themeId: "t1" }),
            note("Les jeunes sont recrutés par les groupes armés.", { kind: "concern", themeId: "t1", merged: 1 }),
            note("Facteurs de violence : un État faible, la concurrence pour l'eau.", { themeId: "t2" }),
            note("The mission must adapt its strategy to the centre of the country.", { themeId: "t2" }),
          ],
        },
      ],
      recommendations: [],
    });
    const prose = draftSummary(s, "fr").split("## Menaces qui pèsent sur les civils\n\n")[1].split("\n\n---")[0];
    expect(prose).toBe(
      [
        "Les participants ont relevé que les routes vers les foires ne sont plus sûres. Un participant a plaidé pour l'idée qu'il faut relancer les comités d'alerte. D'autres ont mis en garde contre le fait que les jeunes sont recrutés par les groupes armés.",
        "Un autre point a été soulevé\u00A0: «\u00A0Facteurs de violence : un État faible, la concurrence pour l'eau.\u00A0» D'autres ont ajouté\u00A0: «\u00A0The mission must adapt its strategy to the centre of the country.\u00A0»",
      ].join("\n\n"),
    );
  });

  it("keeps a note's further sentences as they are, after the first one's lead-in", () => {
    const s = source({ items: [{ id: "i", position: 0, title: "Item", attributionMode: "chatham_house", notes: [note("Labels can do harm. Communities speak of revenge instead")] }], recommendations: [] });
    expect(draftSummary(s, "en")).toContain("Participants noted that labels can do harm. Communities speak of revenge instead.");
  });

  it("turns sentences into clauses without lowering proper nouns, acronyms or names of two words", () => {
    const proper = properNounsIn(["the Fulani are exposed", "in Mali"]);
    expect(toClause("Threats are indirect.", proper)).toBe("threats are indirect");
    expect(toClause("The State must act.", proper)).toBe("the State must act");
    expect(toClause("Fulani herders move south.", proper)).toBe("Fulani herders move south");
    expect(toClause("MINUSMA should adapt.", proper)).toBe("MINUSMA should adapt");
    expect(toClause("Burkina Faso is affected.", proper)).toBe("Burkina Faso is affected");
    expect(toClause("Mali's army is stretched.", proper)).toBe("Mali's army is stretched");
    expect(languageOf("Les jeunes sont recrutés par les groupes armés")).toBe("fr");
    expect(languageOf("The mission should adapt to the centre")).toBe("en");
    expect(languageOf("MINUSMA")).toBeNull();
    expect(noteReadsAsClause("Drivers of violence: a weak state.", "en")).toBe(false);
    expect(noteReadsAsClause("Engagement has risks: people are targeted.", "en")).toBe(true);
    expect(noteReadsAsClause("The mission should adapt.", "fr")).toBe(false);
  });
});

describe("recommendations", () => {
  const recSection = (md: string) => md.split("## Recommendations\n\n")[1] ?? md.split("## Recommandations\n\n")[1];

  it("groups adopted recommendations by addressee, in the language's order, with consensus wording, theme and horizon", () => {
    const s = source({
      recommendations: [
        rec("The UN mission should diversify its tools.", { addressee: UN, result: declaredConsensus() }),
        rec("Partners should fund local peacebuilding.", { addressee: null, horizon: "long", theme: null }),
        rec("The Government of Mali should pursue reform inclusively.", { horizon: "medium", theme: { en: "Governance", fr: "Gouvernance" } }),
      ],
    });
    expect(recSection(draftSummary(s, "en"))).toBe(
      [
        "The following recommendations were adopted. They are grouped by the actors they are addressed to.",
        "### Government of Mali",
        "- There was consensus that the Government of Mali should pursue reform inclusively (11 of 12 participants, none opposed). _Theme: Governance. Horizon: medium term (3 to 5 years)._",
        "### United Nations mission",
        "- The recommendation that the UN mission should diversify its tools was adopted by consensus without a vote. _Theme: Security. Horizon: short term (immediate)._",
        "### Addressee not specified",
        "- There was consensus that partners should fund local peacebuilding (11 of 12 participants, none opposed). _Horizon: long term._",
        "---",
        recSection(draftSummary(s, "en")).split("\n\n").at(-1),
      ].join("\n\n"),
    );
    const fr = recSection(draftSummary(s, "fr"));
    expect(headings(fr)).toEqual(["### Gouvernement du Mali", "### Mission des Nations unies", "### Destinataire non précisé"]);
    // A recommendation written in English is quoted in the French draft (consensus-wording.ts).
    expect(fr).toContain("- Un consensus s'est dégagé sur la recommandation «\u00a0The Government of Mali should pursue reform inclusively\u00a0» (11 participants sur 12, aucune opposition).");
    const inFrench = source({ recommendations: [rec("L'État doit reconnaître le rôle de médiation des chefs de village.", { result: counted(12) })] });
    expect(draftSummary(inFrench, "fr")).toContain("- Les participants ont convenu à l'unanimité que l'État doit reconnaître le rôle de médiation des chefs de village (12 participants sur 12).");
    expect(fr).toContain("_Thématique\u00A0: Gouvernance. Horizon\u00A0: moyen terme (3 à 5 ans)._");
  });

  it("gives no count when fewer than 10 people were counted, or when the organiser turned numbers off", () => {
    const small = source({ recommendations: [rec("The Government should act now.", { result: counted(5, 0, 1) })] });
    expect(recSection(draftSummary(small, "en"))).toContain("- Participants broadly agreed that the Government should act now. _Theme: Security.");
    expect(recSection(draftSummary(small, "fr"))).toContain("- Les participants ont largement soutenu la recommandation «\u00a0The Government should act now\u00a0». _Thématique");
    const off = source({ recommendations: [rec("The Government should act now.", { result: counted(30, 2, 2) })] }, { showNumbers: false });
    const on = source({ recommendations: [rec("The Government should act now.", { result: counted(30, 2, 2) })] });
    for (const md of [draftSummary(small, "en"), draftSummary(small, "fr"), draftSummary(off, "en"), draftSummary(off, "fr")]) {
      expect(recSection(md)).not.toMatch(/\d+ (of|sur) \d+|\d+ participants|opposed\)|opposition\)/);
    }
    expect(recSection(draftSummary(on, "en"))).toContain("(30 of 34 participants in support, 2 opposed)");
  });

  it("lists recommendations not adopted apart, as discussed without agreement, and quotes a text that is not a clause", () => {
    const s = source({
      recommendations: [
        rec("Self-defence groups should be integrated into the army.", { status: "not_adopted", result: counted(5, 1, 6) }),
        rec("Refine the protection strategy", { addressee: UN, result: null }),
      ],
    });
    const md = recSection(draftSummary(s, "en"));
    expect(md).toContain("### United Nations mission\n\n- Participants made the following recommendation: “Refine the protection strategy.” _Theme: Security.");
    expect(md).toContain(
      "### Other proposals discussed\n\nThe following proposals were discussed but not adopted.\n\n- Views were divided on whether self-defence groups should be integrated into the army (5 of 12 participants in support, 6 opposed). _Addressee: Government of Mali. Theme: Security. Horizon: short term (immediate)._",
    );
    // Only not-adopted ones: no "adopted" introduction.
    expect(recSection(draftSummary(source({ recommendations: [s.recommendations[0]] }), "en"))).not.toContain("were adopted");
  });

  it("puts the list under the agenda item where recommendations were made", () => {
    const s = source();
    s.items.push({ id: "i4", position: 3, title: "Recommandations pour la table ronde nationale", attributionMode: "chatham_house", notes: [] });
    const md = draftSummary(s, "fr");
    expect(headings(md).filter((h) => h.startsWith("## "))).toEqual(["## Trends and risks", "## Exploring the protection of civilians toolkit", "## Recommandations pour la table ronde nationale"]);
    expect(md.split("## Recommandations pour la table ronde nationale\n\n")[1]).toMatch(/^Les recommandations suivantes ont été adoptées/);
  });
});

describe("the disclaimer", () => {
  const last = (md: string) => md.trimEnd().split("\n\n").at(-1)!;

  it("has a wording for each attribution mode, in English and French", () => {
    const en = (mode: "chatham_house" | "anonymous" | "on_the_record") => last(draftSummary(source({ items: [] }, { attributionMode: mode }), "en"));
    const fr = (mode: "chatham_house" | "anonymous" | "on_the_record") => last(draftSummary(source({ items: [] }, { attributionMode: mode }), "fr"));
    expect(en("chatham_house")).toMatch(/^_The discussion was held under the Chatham House Rule: participants are free to use the information received, but neither the identity nor the affiliation/);
    expect(en("anonymous")).toMatch(/^_The discussion was held under strict non-attribution: .*the list of participants is not published\./);
    expect(en("on_the_record")).toMatch(/^_The discussion was held on the record; this note nevertheless summarises the views expressed without attributing them/);
    expect(fr("chatham_house")).toMatch(/^_Les échanges se sont déroulés sous la règle de Chatham House\u00A0: /);
    expect(fr("anonymous")).toMatch(/^_Les échanges se sont déroulés sous un régime strict de non-attribution/);
    expect(fr("on_the_record")).toMatch(/^_Les échanges étaient publics \(attribution autorisée\)/);
    for (const text of [en("chatham_house"), en("anonymous"), en("on_the_record")]) expect(text).toMatch(/This note reflects the rapporteur's understanding of the discussion and does not necessarily represent the views of all participants\._$/);
    for (const text of [fr("chatham_house"), fr("anonymous"), fr("on_the_record")]) expect(text).toMatch(/ne représente pas nécessairement l'avis de l'ensemble des participants\._$/);
  });

  it("takes the strictest rule of the parts reported, and says that rules differed", () => {
    const s = source({}, { attributionMode: "on_the_record" });
    s.items[1] = { ...s.items[1], attributionMode: "chatham_house" };
    s.items[2] = { ...s.items[2], attributionMode: "on_the_record" };
    const text = last(draftSummary(s, "en"));
    expect(text).toMatch(/^_The discussion was held under the Chatham House Rule/);
    expect(text).toContain("Some parts of the discussion were held under a different rule; this note attributes no view to any participant.");
    // An item with nothing reported does not count.
    s.items[1] = { ...s.items[1], notes: [] };
    expect(last(draftSummary(s, "en"))).toMatch(/^_The discussion was held on the record;/);
  });
});

describe("determinism", () => {
  it("gives the same text for the same data, whatever order the data comes in", () => {
    const s = source({ panelists: [{ name: "B Person", affiliation: "Org" }, { name: "A Person", affiliation: "Org" }] });
    const shuffled: SummarySource = JSON.parse(JSON.stringify(s));
    shuffled.items.reverse();
    for (const i of shuffled.items) i.notes.reverse();
    shuffled.recommendations.reverse();
    shuffled.participants.byCategory.reverse();
    shuffled.panelists!.reverse();
    for (const lang of ["en", "fr"] as const) {
      const md = draftSummary(s, lang);
      expect(draftSummary(s, lang)).toBe(md);
      expect(draftSummary(shuffled, lang)).toBe(md);
    }
  });

  it("does not change the source it is given", () => {
    const s = source();
    const before = JSON.stringify(s);
    draftSummary(s, "en");
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe("Markdown safety", () => {
  it("keeps hostile text inert wherever it comes from", () => {
    const evil = "<script>alert(1)</script> # heading [link](javascript:alert(1)) ![img](x.png) **bold** <b>x</b> | a | b |";
    const s = source(
      {
        panelists: [{ name: "*Evil* <img src=x onerror=alert(1)>", affiliation: "[Org](javascript:x)" }],
        items: [
          { id: "i", position: 0, title: "# Item <script>x</script>", attributionMode: "chatham_house", notes: [note(evil), note(`- ${evil}`, { kind: "question" }), note(`1. ${evil}`, { kind: "concern" })] },
        ],
        recommendations: [rec(`${evil} should be adopted`, { addressee: { id: "x", label: { en: "<i>Addressee</i>", fr: "[fr](javascript:y)" } }, theme: { en: "`code`", fr: "_it_" } })],
      },
      { title: "# Title <script>alert(1)</script>", description: "- not a list\n\n> not a quote <iframe src=x>", coHosts: ["<b>Host</b>", "[Host](javascript:z)"], locality: "<u>x</u>" },
    );
    const md = new MarkdownIt({ html: true, linkify: true });
    for (const lang of ["en", "fr"] as const) {
      const draft = draftSummary(s, lang);
      const out = md.render(draft);
      expect(out).not.toMatch(/<(script|iframe|img|a|b|i|u|strong|code|table|blockquote|ol)\b/);
      // Emphasis only where the draft puts it: the dated line, the recommendation's details, the disclaimer.
      expect(out.match(/<em>/g)).toHaveLength(3);
      expect(out).not.toMatch(/javascript:[^<]*"/);
      // The only headings and lists are the draft's own.
      expect(out.match(/<h1>/g)).toHaveLength(1);
      expect(out.match(/<h2>/g)).toHaveLength(2);
      expect(out.match(/<h3>/g)).toHaveLength(1);
      expect(out.match(/<ul>/g)).toHaveLength(1);
      expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(out).toContain("[link](javascript:alert(1))");
    }
  });
});

describe("protectedCategories", () => {
  it("orders the protected categories largest first, 'other' last", () => {
    expect(protectedCategories([{ key: "ngo", count: 3 }, { key: "academic", count: 7 }, { key: "media", count: 1 }, { key: "community", count: 2 }])).toEqual([
      { key: "academic", count: 7 },
      { key: "ngo", count: 3 },
      { key: "other", count: 3 },
    ]);
  });
});
