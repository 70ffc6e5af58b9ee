/**
 * The attribution guard's engine (app/models/guard.ts): normalisation with span mapping, acronym casing,
 * countries as subjects vs identifying phrases, rewriting, the probing rule (participants get the same
 * answer whether or not a name is on the roster) and precision/recall on a labelled corpus.
 */
import fc from "fast-check";
import {
  buildRosterIndex,
  checkForParticipant,
  checkForStaff,
  detectLang,
  genericFindings,
  normalise,
  originalSpan,
  rewrite,
  type Finding,
} from "../../app/models/guard";
import { CORPUS, DEMO_ROSTER, type CorpusItem } from "./guard-corpus";

const index = buildRosterIndex(DEMO_ROSTER);

function covers(findings: Finding[], text: string, sub: string): boolean {
  const at = text.indexOf(sub);
  if (at < 0) throw new Error(`corpus error: "${sub}" not in "${text}"`);
  return findings.some((f) => f.start <= at && f.end >= at + sub.length);
}

type Score = { precision: number; recall: number; misses: string[]; falseAlarms: string[] };

function score(items: CorpusItem[], check: (text: string, lang: "en" | "fr") => Finding[]): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const flagged = check(item.text, item.lang).length > 0;
    if (flagged && item.identifying) tp++;
    else if (flagged) {
      fp++;
      falseAlarms.push(`${item.text} -> ${JSON.stringify(check(item.text, item.lang).map((f) => f.text))}`);
    } else if (item.identifying) {
      fn++;
      misses.push(item.text);
    }
  }
  return { precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1), misses, falseAlarms };
}

describe("normalise", () => {
  it("folds case, diacritics and apostrophes", () => {
    expect(normalise("Élodie MARCHAND’s Cissé").text).toBe("elodie marchand's cisse");
  });

  it("maps normalised spans back to the original text, accents included", () => {
    const original = "Selon E\u0301lodie (NFD) et Cissé, l’État…";
    const n = normalise(original);
    const at = n.text.indexOf("cisse");
    const [s, e] = originalSpan(n, at, at + 5);
    expect(original.slice(s, e)).toBe("Cissé");
    const at2 = n.text.indexOf("elodie");
    const [s2, e2] = originalSpan(n, at2, at2 + 6);
    expect(original.slice(s2, e2)).toBe("E\u0301lodie");
  });

  it("gives findings spans in the original text", () => {
    const text = "Hier, selon HAMADOUN CISSÉ, tout allait bien.";
    const f = checkForStaff(text, index, "fr");
    expect(f.map((x) => x.text)).toContain("selon HAMADOUN CISSÉ");
    for (const x of f) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it("matches roster names without their diacritics", () => {
    const f = checkForStaff("we heard from cisse and elodie marchand", index, "en");
    expect(f.map((x) => x.text)).toEqual(["elodie marchand"]);
    // single-token short forms must be capitalised ("marchand" is also a French noun)
    expect(checkForStaff("le marchand de bétail", index, "fr")).toEqual([]);
    expect(checkForStaff("Nous avons entendu Cisse hier.", index, "fr").map((x) => x.text)).toEqual(["Cisse"]);
  });
});

describe("acronyms", () => {
  it("needs an upper-case token for a short roster acronym", () => {
    const idx = buildRosterIndex([{ name: "Someone Else", acronyms: ["IPI", "UN"] }]);
    expect(checkForStaff("The IPI team met.", idx, "en").map((x) => x.text)).toEqual(["IPI"]);
    expect(checkForStaff("the ipi team met", idx, "en")).toEqual([]);
    expect(checkForStaff("un participant a parlé", idx, "fr")).toEqual([]);
    expect(checkForStaff("Ce qui compte: le UN.", idx, "fr").map((x) => x.text)).toEqual(["UN"]);
  });

  it("matches acronyms as whole tokens only", () => {
    expect(checkForStaff("The IPDs and XIPD and IPDX.", buildRosterIndex([{ name: "A B", acronyms: ["IPD"] }]), "en").filter((f) => f.text === "IPD")).toEqual([]);
  });

  it("flags organisation-like acronyms for participants, except the harmless list", () => {
    expect(genericFindings("The NICS team and the DPO met.", "en").map((x) => x.text)).toEqual(["NICS", "DPO"]);
    expect(genericFindings("The UN, the EU, NGOs and IEDs were discussed; MINUSMA too.", "en")).toEqual([]);
  });
});

describe("countries", () => {
  const subjects = [
    "The situation in Mali is dire.",
    "La France a annoncé un retrait.",
    "Mali's north is unstable.",
    "Norway funded the programme.",
    "The Malian government should pursue reform.",
    "La situation au Mali reste préoccupante.",
  ];
  for (const s of subjects) {
    it(`a country as a subject is not a finding: ${s}`, () => {
      expect(checkForStaff(s, index)).toEqual([]);
      expect(checkForParticipant(s)).toEqual([]);
    });
  }
  const identifying: [string, string][] = [
    ["The Malian delegation objected.", "The Malian delegation"],
    ["France's mission circulated a draft.", "France's mission"],
    ["The representative of France spoke first.", "The representative of France"],
    ["La délégation malienne a objecté.", "La délégation malienne"],
    ["La mission de la France a fait circuler un texte.", "La mission de la France"],
    ["Le représentant de la Norvège a parlé.", "Le représentant de la Norvège"],
    ["The government of Mali said it would comply.", "The government of Mali"],
    ["A diplomat from the French mission objected.", "the French mission"],
  ];
  for (const [s, sub] of identifying) {
    it(`a country in an identifying phrase is a finding: ${s}`, () => {
      const f = checkForStaff(s, index);
      expect(covers(f, s, sub)).toBe(true);
      expect(f.find((x) => x.text.includes(sub))?.kind).toBe("country");
      expect(covers(checkForParticipant(s), s, sub)).toBe(true);
    });
  }
});

describe("rewrite", () => {
  it("rewrites English phrases neutrally", () => {
    const text = "As Ingrid Halvorsen noted, the Malian delegation disagreed with Dr Smith.";
    expect(rewrite(text, checkForStaff(text, index, "en"))).toBe("As was noted, a representative of a member state disagreed with an expert.");
  });

  it("rewrites French phrases neutrally", () => {
    const text = "Selon Hamadoun Cissé, la délégation malienne a objecté.";
    expect(rewrite(text, checkForStaff(text, index, "fr"))).toBe("Selon un participant, un représentant d'un État membre a objecté.");
    const t2 = "Comme l'a dit Mme Diallo, le processus est bloqué.";
    expect(rewrite(t2, checkForParticipant(t2))).toBe("Comme cela a été souligné, le processus est bloqué.");
  });

  it("capitalises at a sentence start and leaves clean text alone", () => {
    const text = "Okafor said the agenda was too long.";
    expect(rewrite(text, checkForStaff(text, index))).toBe("A participant said the agenda was too long.");
    expect(rewrite("Nothing to see.", [])).toBe("Nothing to see.");
  });

  it("produces text that passes the guard", () => {
    for (const item of CORPUS.filter((i) => i.identifying && !i.knownMiss)) {
      const out = rewrite(item.text, checkForStaff(item.text, index, item.lang));
      expect(checkForStaff(out, index, item.lang), `${item.text} -> ${out}`).toEqual([]);
    }
  });

  it("detects the language", () => {
    expect(detectLang("Les participants ont souligné la faiblesse de l'État.")).toBe("fr");
    expect(detectLang("Participants highlighted the weakness of the state.")).toBe("en");
  });
});

describe("the probing rule", () => {
  const onRoster = ["Ingrid Halvorsen", "Daniel Okafor", "Hamadoun Cissé", "Élodie Marchand", "Yacouba Coulibaly"];
  const offRoster = ["Sofia Berg", "Peter Lindqvist", "Aminata Traoré", "Moussa Diarra", "Claire Dubois"];
  const templates: ((n: string) => string)[] = [
    (n) => `${n} said that the process had stalled.`,
    (n) => `As ${n} noted, the mediation track is fragile.`,
    (n) => `According to ${n}, militias recruit in the camps.`,
    (n) => `We heard from ${n} about the situation in Mali.`,
    (n) => `Selon ${n}, les milices recrutent dans les camps.`,
    (n) => `${n} a déclaré que le calendrier était intenable.`,
    (n) => `Comme l'a dit ${n}, le processus ignore la justice.`,
    (n) => `Experts agreed with ${n} on the need for dialogue.`,
  ];
  const shape = (f: Finding[]) => f.map((x) => `${x.kind}:${x.suggestion}`);

  it("flags every person-like name alike, on the roster or not", () => {
    fc.assert(
      fc.property(fc.constantFrom(...onRoster), fc.constantFrom(...offRoster), fc.integer({ min: 0, max: templates.length - 1 }), (a, b, k) => {
        const ta = templates[k](a);
        const tb = templates[k](b);
        const fa = checkForParticipant(ta);
        const fb = checkForParticipant(tb);
        expect(covers(fa, ta, a)).toBe(true);
        expect(covers(fb, tb, b)).toBe(true);
        expect(shape(fa)).toEqual(shape(fb));
      }),
    );
  });

  it("gives participants the same answer whatever the roster; staff findings only add", () => {
    const pool = [...onRoster, ...offRoster];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...pool), fc.integer({ min: 0, max: templates.length - 1 })), { minLength: 1, maxLength: 4 }),
        fc.subarray(DEMO_ROSTER),
        (parts, roster) => {
          const text = parts.map(([n, k]) => templates[k](n)).join(" ");
          const participant = checkForParticipant(text);
          // the roster is not an input: two different rosters cannot change the participant's answer
          expect(checkForParticipant(text)).toEqual(participant);
          for (const [n] of parts) expect(covers(participant, text, n)).toBe(true);
          const staff = checkForStaff(text, buildRosterIndex(roster));
          for (const f of participant) expect(staff.some((s) => s.start <= f.start && s.end >= f.end)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("scales to thousands of roster entries with a token map", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ name: `Person${i} Family${i}`, shortForms: [`Family${i}`], organisation: `Org ${i} Institute`, acronyms: [`O${i}`] }));
    const big = buildRosterIndex([...many, ...DEMO_ROSTER]);
    expect(big.size).toBe(5005);
    expect(checkForStaff("Family4321 said so, and so did the Vice President of IPD.", big, "en").map((f) => f.text)).toEqual(["Family4321", "the Vice President of IPD"]);
  });
});

describe("corpus", () => {
  it("has at least 70 sentences, about half in each language", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(70);
    const frCount = CORPUS.filter((i) => i.lang === "fr").length;
    expect(Math.abs(frCount - (CORPUS.length - frCount))).toBeLessThanOrEqual(CORPUS.length * 0.2);
  });

  it("meets precision and recall targets", () => {
    const staff = score(CORPUS, (t, l) => checkForStaff(t, index, l));
    const participant = score(CORPUS, (t, l) => checkForParticipant(t, l));
    console.log(
      `guard corpus: staff precision=${staff.precision.toFixed(3)} recall=${staff.recall.toFixed(3)}; participant precision=${participant.precision.toFixed(3)} recall=${participant.recall.toFixed(3)} (n=${CORPUS.length})`,
    );
    if (staff.misses.length || participant.misses.length) console.log("misses:", { staff: staff.misses, participant: participant.misses });
    if (staff.falseAlarms.length || participant.falseAlarms.length) console.log("false alarms:", { staff: staff.falseAlarms, participant: participant.falseAlarms });
    expect(staff.recall).toBeGreaterThanOrEqual(0.95);
    expect(participant.recall).toBeGreaterThanOrEqual(0.95);
    expect(staff.precision).toBeGreaterThanOrEqual(0.85);
    expect(participant.precision).toBeGreaterThanOrEqual(0.85);
  });

  for (const item of CORPUS.filter((i) => i.identifying && !i.knownMiss)) {
    it(`flags ${JSON.stringify(item.flag)} in: ${item.text}`, () => {
      const staff = checkForStaff(item.text, index, item.lang);
      for (const sub of item.flag ?? []) expect(covers(staff, item.text, sub), JSON.stringify(staff.map((f) => f.text))).toBe(true);
      if (!item.rosterOnly) {
        const p = checkForParticipant(item.text, item.lang);
        for (const sub of item.flag ?? []) expect(covers(p, item.text, sub), JSON.stringify(p.map((f) => f.text))).toBe(true);
      }
    });
  }
});
