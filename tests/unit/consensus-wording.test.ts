/**
 * Summary wording (app/models/consensus-wording.ts): one sentence per level in English and French,
 * numbers on and off, staff and public, small-count protection, show of hands, declared levels.
 */
import fc from "fast-check";
import { declare, DECLARABLE_LEVELS, tally, type ConsensusResult, type CountedResult, type TallyInput } from "../../app/models/consensus";
import { asClause, badgeKeys, countsVisible, readsAsClause, SMALL_COUNT, wordRecommendation, type WordingOptions } from "../../app/models/consensus-wording";
import { resources } from "../../app/locales";
import { optionsOf, SCALE_KEYS, type MappingCounts } from "../../app/models/scales";

const c = (support: number, neutral = 0, oppose = 0, block = 0): MappingCounts => ({ support, neutral, oppose, block });

function counted(input: TallyInput): CountedResult {
  const out = tally(input);
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  return out.value;
}
const all = (m: MappingCounts) => counted({ positions: m, eligible: m.support + m.neutral + m.oppose + m.block });
function declared(level: string): ConsensusResult {
  const out = declare(level);
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  return out.value;
}

const EN = "MINUSMA's strategy must be adapted to central Mali.";
const FR = "La stratégie de la MINUSMA doit être adaptée au centre du pays.";
const staff = (lang: "en" | "fr", numbers?: boolean): WordingOptions => ({ lang, audience: "staff", numbers });
const pub = (lang: "en" | "fr", numbers?: boolean): WordingOptions => ({ lang, audience: "public", numbers });
const say = (r: ConsensusResult, text: string, o: WordingOptions) => wordRecommendation(r, text, o).text;

describe("English sentences, with numbers", () => {
  it("reads every level in the reference note's style", () => {
    expect(say(all(c(34)), EN, pub("en"))).toBe("Participants unanimously agreed that MINUSMA's strategy must be adapted to central Mali (34 of 34 participants).");
    expect(say(counted({ positions: c(31, 3), eligible: 40 }), EN, pub("en"))).toBe("There was consensus that MINUSMA's strategy must be adapted to central Mali (31 of 34 participants, none opposed).");
    expect(say(all(c(25, 3, 6)), EN, pub("en"))).toBe("Participants broadly agreed that MINUSMA's strategy must be adapted to central Mali (25 of 34 participants in support, 6 opposed).");
    expect(say(all(c(20, 2, 12)), EN, pub("en"))).toBe("A majority of participants agreed that MINUSMA's strategy must be adapted to central Mali (20 of 34 participants in support, 12 opposed).");
    expect(say(all(c(15, 5, 14)), EN, pub("en"))).toBe("Views were divided on whether MINUSMA's strategy must be adapted to central Mali (15 of 34 participants in support, 14 opposed).");
    expect(say(all(c(8, 4, 22)), EN, pub("en"))).toBe("Most participants did not agree that MINUSMA's strategy must be adapted to central Mali (8 of 34 participants in support, 22 opposed).");
    expect(say(counted({ positions: c(12), eligible: 40 }), EN, pub("en"))).toBe("The quorum was not reached on the proposal that MINUSMA's strategy must be adapted to central Mali (12 of 40 eligible participants took a position).");
  });

  it("names blocks, and says none opposed where nobody was", () => {
    expect(say(all(c(30, 0, 0, 1)), EN, staff("en"))).toContain("(30 of 31 participants in support, none opposed, 1 block).");
    expect(say(all(c(10, 0, 3, 2)), EN, staff("en"))).toContain("(10 of 15 participants in support, 3 opposed, 2 blocks).");
    expect(say(all(c(24, 10)), EN, staff("en"))).toBe("Participants broadly agreed that MINUSMA's strategy must be adapted to central Mali (24 of 34 participants in support, none opposed).");
  });

  it("writes large numbers with a thousands separator", () => {
    expect(say(all(c(1200, 34)), EN, pub("en"))).toContain("(1,200 of 1,234 participants, none opposed)");
  });
});

describe("French sentences, with numbers", () => {
  it("reads every level as a facilitator would write it", () => {
    expect(say(all(c(34)), FR, pub("fr"))).toBe("Les participants ont convenu à l'unanimité que la stratégie de la MINUSMA doit être adaptée au centre du pays (34 participants sur 34).");
    expect(say(counted({ positions: c(31, 3), eligible: 40 }), FR, pub("fr"))).toBe(
      "Un consensus s'est dégagé sur le fait que la stratégie de la MINUSMA doit être adaptée au centre du pays (31 participants sur 34, aucune opposition).",
    );
    expect(say(all(c(25, 3, 6)), FR, pub("fr"))).toBe(
      "Les participants ont largement adhéré à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays (25 participants favorables sur 34, 6 contre).",
    );
    expect(say(all(c(20, 2, 12)), FR, pub("fr"))).toBe("Une majorité de participants a estimé que la stratégie de la MINUSMA doit être adaptée au centre du pays (20 participants favorables sur 34, 12 contre).");
    expect(say(all(c(15, 5, 14)), FR, pub("fr"))).toBe("Les avis ont été partagés quant à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays (15 participants favorables sur 34, 14 contre).");
    expect(say(all(c(8, 4, 22)), FR, pub("fr"))).toBe(
      "La plupart des participants ne se sont pas ralliés à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays (8 participants favorables sur 34, 22 contre).",
    );
    expect(say(counted({ positions: c(12), eligible: 40 }), FR, pub("fr"))).toBe(
      "Le quorum n'a pas été atteint sur la proposition selon laquelle la stratégie de la MINUSMA doit être adaptée au centre du pays (12 participants sur 40 se sont prononcés).",
    );
  });

  it("names blocks, agrees in number, and separates thousands the French way", () => {
    expect(say(all(c(30, 0, 0, 1)), FR, staff("fr"))).toContain("(30 participants favorables sur 31, aucune opposition, 1 blocage).");
    expect(say(all(c(10, 0, 3, 2)), FR, staff("fr"))).toContain("(10 participants favorables sur 15, 3 contre, 2 blocages).");
    expect(say(all(c(1, 0, 2)), FR, staff("fr"))).toContain("(1 participant favorable sur 3, 2 contre).");
    expect(say(all(c(0, 0, 3)), FR, staff("fr"))).toContain("(0 participant favorable sur 3, 3 contre).");
    expect(say(counted({ positions: c(1), eligible: 5 }), FR, staff("fr"))).toContain("(1 participant sur 5 s'est prononcé).");
    expect(say(all(c(1200, 34)), FR, pub("fr"))).toContain("(1\u202F200 participants sur 1\u202F234, aucune opposition)");
  });

  it("elides que before a vowel", () => {
    expect(say(all(c(34)), "Il faut renforcer la présence de l'État.", pub("fr", false))).toBe("Les participants ont convenu à l'unanimité qu'il faut renforcer la présence de l'État.");
    expect(say(all(c(34)), "Une commission doit être créée", pub("fr", false))).toBe("Les participants ont convenu à l'unanimité qu'une commission doit être créée.");
    expect(say(all(c(34)), "Ousmane Sy doit être entendu", pub("fr", false))).toContain("qu'Ousmane Sy doit être entendu.");
    expect(say(all(c(34)), "Yaya doit venir", pub("fr", false))).toContain("que Yaya doit venir.");
  });
});

describe("numbers off (organiser's switch)", () => {
  it("gives the level in words only, for staff and public alike", () => {
    for (const o of [staff("en", false), pub("en", false)]) {
      const w = wordRecommendation(counted({ positions: c(31, 3), eligible: 40 }), EN, o);
      expect(w.text).toBe("There was consensus that MINUSMA's strategy must be adapted to central Mali.");
      expect(w.countsShown).toBe(false);
    }
    expect(say(all(c(25, 3, 6)), FR, pub("fr", false))).toBe("Les participants ont largement adhéré à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays.");
  });
});

describe("small-count protection", () => {
  it("gives the public the level in words and no count, not even 'none opposed', under 10 people", () => {
    const r = all(c(6, 3));
    expect(say(r, EN, pub("en"))).toBe("Participants broadly agreed that MINUSMA's strategy must be adapted to central Mali.");
    expect(say(r, FR, pub("fr"))).toBe("Les participants ont largement adhéré à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays.");
    expect(say(all(c(8, 1)), EN, pub("en"))).toBe("There was consensus that MINUSMA's strategy must be adapted to central Mali.");
    expect(wordRecommendation(r, EN, pub("en")).countsShown).toBe(false);
  });

  it("still gives staff the counts", () => {
    expect(say(all(c(6, 3)), EN, staff("en"))).toContain("(6 of 9 participants in support, none opposed)");
    expect(say(all(c(1)), EN, staff("en"))).toContain("(1 of 1 participant)");
  });

  it("shows counts to the public from 10 people counted", () => {
    expect(SMALL_COUNT).toBe(10);
    expect(say(all(c(8, 2)), EN, pub("en"))).toContain("(8 of 10 participants, none opposed)");
    // Counted people, not people eligible: 9 positions in a room of 40 is protected.
    expect(say(counted({ positions: c(9), eligible: 40 }), EN, pub("en"))).toBe("The quorum was not reached on the proposal that MINUSMA's strategy must be adapted to central Mali.");
  });

  it("keeps saying hands were counted, which is no count", () => {
    const r = counted({ positions: c(0), eligible: 0, hands: { scale: "agree_abstain_disagree", headcount: 8, counts: { agree: 7, abstain: 1 } } });
    expect(say(r, EN, pub("en"))).toBe("There was consensus that MINUSMA's strategy must be adapted to central Mali (by show of hands).");
    expect(say(r, FR, pub("fr"))).toBe("Un consensus s'est dégagé sur le fait que la stratégie de la MINUSMA doit être adaptée au centre du pays (à main levée).");
  });
});

describe("show of hands", () => {
  it("says so, after the counts", () => {
    const hands = counted({ positions: c(0), eligible: 0, hands: { scale: "fist_of_five", headcount: 40, counts: { five: 20, four: 11, two: 3 } } });
    expect(say(hands, EN, pub("en"))).toContain("(31 of 34 participants, none opposed, by show of hands).");
    expect(say(hands, FR, pub("fr"))).toContain("(31 participants sur 34, aucune opposition, à main levée).");
    expect(wordRecommendation(hands, EN, pub("en")).handsIncluded).toBe(true);
  });

  it("says partly when devices and hands were counted together", () => {
    const mixed = counted({ positions: c(10, 1), eligible: 12, hands: { scale: "agree_abstain_disagree", headcount: 30, counts: { agree: 20, abstain: 2 } } });
    expect(say(mixed, EN, staff("en"))).toContain("(30 of 33 participants, none opposed, partly by show of hands).");
    expect(say(mixed, FR, staff("fr", false))).toContain("(en partie à main levée).");
  });
});

describe("declared levels", () => {
  it("read adopted by consensus without a vote, with no counts and marked declared", () => {
    const w = wordRecommendation(declared("consensus"), EN, staff("en"));
    expect(w).toEqual({ text: "The recommendation that MINUSMA's strategy must be adapted to central Mali was adopted by consensus without a vote.", level: "consensus", declared: true, countsShown: false, handsIncluded: false });
    expect(say(declared("consensus"), FR, pub("fr"))).toBe("La recommandation selon laquelle la stratégie de la MINUSMA doit être adaptée au centre du pays a été adoptée par consensus, sans vote.");
  });

  it("mark the other declared levels as the sense of the room", () => {
    expect(say(declared("divided"), EN, pub("en"))).toBe("Views were divided on whether MINUSMA's strategy must be adapted to central Mali (sense of the room, without a vote).");
    expect(say(declared("broad_support"), FR, staff("fr"))).toBe(
      "Les participants ont largement adhéré à l'idée que la stratégie de la MINUSMA doit être adaptée au centre du pays (sentiment général de la salle, sans vote).",
    );
  });
});

describe("the recommendation as a clause", () => {
  it("trims, drops the final stop, and lowers a leading article or pronoun only", () => {
    expect(asClause("  The State should return to the centre.  ")).toBe("the State should return to the centre");
    expect(asClause("Les autorités doivent dialoguer ;")).toBe("les autorités doivent dialoguer");
    expect(asClause("L'État doit revenir")).toBe("l'État doit revenir");
    expect(asClause("Mali should lead")).toBe("Mali should lead");
    expect(asClause("THE UN must act")).toBe("THE UN must act");
    expect(asClause("MINUSMA should adapt")).toBe("MINUSMA should adapt");
    expect(asClause("Does it end with a question?")).toBe("Does it end with a question?");
    expect(asClause("")).toBe("");
  });
});

describe("badges", () => {
  it("have a label in both catalogues for every level and declared result", () => {
    const results: ConsensusResult[] = [all(c(3)), all(c(8, 2)), all(c(7, 0, 3)), all(c(6, 0, 5)), all(c(5, 0, 5)), all(c(1, 0, 5)), counted({ positions: c(1), eligible: 5 }), ...DECLARABLE_LEVELS.map(declared)];
    expect(new Set(results.map((r) => r.level)).size).toBe(7);
    for (const r of results) {
      const { label, marker } = badgeKeys(r);
      for (const lang of ["en", "fr"] as const) {
        for (const key of [label, ...(marker ? [marker] : [])]) {
          const value = key.split(".").reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], resources[lang].consensus);
          expect(typeof value, `${lang}:${key}`).toBe("string");
        }
      }
    }
    expect(badgeKeys(declared("consensus"))).toEqual({ label: "declared.consensus", marker: null });
    expect(badgeKeys(declared("opposed"))).toEqual({ label: "levels.opposed.label", marker: "declared.label" });
    // The same words as the programme settings ("Large soutien (pour mille, ‰)").
    expect(resources.fr.consensus.levels.broad_support.label).toBe("Large soutien");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const count = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3000 }));
const hands = fc
  .constantFrom(...SCALE_KEYS)
  .chain((scale) => fc.tuple(fc.constant(scale), fc.array(count, { minLength: optionsOf(scale).length, maxLength: optionsOf(scale).length }), fc.integer({ min: 0, max: 20 })))
  .map(([scale, ns, extra]) => ({ scale, counts: Object.fromEntries(optionsOf(scale).map((o, i) => [o.key, ns[i]])), headcount: ns.reduce((a, b) => a + b, 0) + extra }));
const result: fc.Arbitrary<ConsensusResult> = fc.oneof(
  fc.record({ positions: fc.record({ support: count, neutral: count, oppose: count, block: count }), eligible: count, hands: fc.option(hands, { nil: undefined }) }).map((i) => counted(i)),
  fc.constantFrom(...DECLARABLE_LEVELS).map(declared),
);
/** Recommendation texts without digits, so that any digit in the sentence is a count. */
const text = fc.oneof(
  fc.constantFrom(EN, FR, "Il faut rouvrir les écoles", "Une commission doit être créée.", "the State should return", "Élargir le dialogue aux jeunes"),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/\p{N}/gu, "")),
);
const options = fc.record({ lang: fc.constantFrom("en" as const, "fr" as const), audience: fc.constantFrom("staff" as const, "public" as const), numbers: fc.option(fc.boolean(), { nil: undefined }) });

describe("wording properties", () => {
  it("has no digit at all in public wording when fewer than 10 people were counted", () => {
    fc.assert(
      fc.property(result, text, fc.constantFrom("en" as const, "fr" as const), fc.option(fc.boolean(), { nil: undefined }), (r, t, lang, numbers) => {
        if (r.kind === "counted" && r.taken >= SMALL_COUNT) return;
        const w = wordRecommendation(r, t, { lang, audience: "public", numbers });
        expect(w.text).not.toMatch(/\p{N}/u);
        expect(w.countsShown).toBe(false);
        expect(w.text).not.toMatch(/none opposed|aucune opposition/);
      }),
      { numRuns: 1000 },
    );
  });

  it("has no digit with numbers off, nor for a declared level", () => {
    fc.assert(
      fc.property(result, text, options, (r, t, o) => {
        if (o.numbers !== false && r.kind === "counted") return;
        expect(wordRecommendation(r, t, o).text).not.toMatch(/\p{N}/u);
      }),
      { numRuns: 500 },
    );
  });

  it("gives staff the number of positions taken whenever numbers are on", () => {
    fc.assert(
      fc.property(result, text, fc.constantFrom("en" as const, "fr" as const), (r, t, lang) => {
        if (r.kind !== "counted") return;
        const w = wordRecommendation(r, t, { lang, audience: "staff" });
        expect(w.countsShown).toBe(true);
        expect(w.text).toContain(new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(r.taken));
        expect(countsVisible(r, { audience: "public" })).toBe(r.taken >= SMALL_COUNT);
      }),
      { numRuns: 500 },
    );
  });

  it("always makes one sentence, marked declared exactly for declared levels, saying hands when they were counted", () => {
    fc.assert(
      fc.property(result, text, options, (r, t, o) => {
        const w = wordRecommendation(r, t, o);
        expect(w.text).toMatch(/^\p{Lu}.*\.$/su);
        expect(w.declared).toBe(r.kind === "declared");
        expect(w.level).toBe(r.level);
        if (r.kind === "counted" && r.handsIncluded) expect(w.text).toContain(o.lang === "en" ? "by show of hands" : "à main levée");
        if (r.kind === "declared") expect(w.text).toMatch(o.lang === "en" ? /without a vote/ : /sans vote/);
        const x = asClause(t);
        if (!readsAsClause(t, o.lang)) expect(w.text).toContain(o.lang === "en" ? `“${t.trim().replace(/[\s.;:,]+$/u, "")}”` : `«\u00a0${t.trim().replace(/[\s.;:,]+$/u, "")}\u00a0»`);
        else if (o.lang === "fr" && /^[aeiouéèêàâîôû]/iu.test(x) && !(r.level === "no_quorum" || (r.kind === "declared" && r.level === "consensus"))) {
          expect(w.text).toContain(`qu'${x}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("recommendations not written as a clause", () => {
  const imperativeEn = "Refine the mission's strategy for central Mali.";
  const infinitiveFr = "Renforcer la présence de l'État dans le centre du pays.";
  it("tells clauses from imperatives and infinitives", () => {
    expect(readsAsClause(EN)).toBe(true);
    expect(readsAsClause(FR)).toBe(true);
    expect(readsAsClause("Les autorités devraient renforcer la présence de l'État.")).toBe(true);
    expect(readsAsClause(imperativeEn)).toBe(false);
    expect(readsAsClause(infinitiveFr)).toBe(false);
    // "shoulder" is not "should"
    expect(readsAsClause("Shoulder the cost of demining.")).toBe(false);
    // In the other language's wording, a clause is quoted rather than mixed into the sentence.
    expect(readsAsClause(EN, "fr")).toBe(false);
    expect(readsAsClause(FR, "en")).toBe(false);
    expect(say(counted({ positions: c(31, 3), eligible: 34 }), EN, pub("fr"))).toBe(
      "Un consensus s'est dégagé sur la recommandation «\u00a0MINUSMA's strategy must be adapted to central Mali\u00a0» (31 participants sur 34, aucune opposition).",
    );
  });
  it("quotes them, in English and French, with counts and for declared consensus", () => {
    const r = counted({ positions: c(31, 3), eligible: 34 });
    expect(say(r, imperativeEn, pub("en"))).toBe("There was consensus on the recommendation “Refine the mission's strategy for central Mali” (31 of 34 participants, none opposed).");
    expect(say(r, infinitiveFr, pub("fr"))).toBe(
      "Un consensus s'est dégagé sur la recommandation «\u00a0Renforcer la présence de l'État dans le centre du pays\u00a0» (31 participants sur 34, aucune opposition).",
    );
    const d = declared("consensus");
    expect(say(d, imperativeEn, pub("en"))).toBe("The recommendation “Refine the mission's strategy for central Mali” was adopted by consensus without a vote.");
    expect(say(d, infinitiveFr, pub("fr"))).toBe("La recommandation «\u00a0Renforcer la présence de l'État dans le centre du pays\u00a0» a été adoptée par consensus, sans vote.");
  });
});
