/**
 * How a recommendation's level reads in a summary, in English and French, in the style of published
 * roundtable notes ("There was consensus that…", "Participants broadly agreed…", "Views were divided
 * on…"). Pure: the result comes from consensus.ts, the options from the organiser and the audience.
 *
 * Small-count protection (SPEC section 4): when fewer than 10 people were counted, what participants,
 * observers and the public read gives the level in words and no count at all, not even "none
 * opposed", since a count next to the level gives the rest away by subtraction. Staff still get the
 * counts. Numbers can also be turned off altogether by the organiser.
 *
 * The recommendation's text is put in as a clause ("MINUSMA should…", "les autorités doivent…"): it
 * is trimmed, loses its final full stop, and a leading article or pronoun is put in lower case ("The
 * State…" → "the State…"); in French "que" elides before a vowel ("qu'il", "qu'une"). A text that is
 * not a clause (no modal a sentence could hang on: "Refine the strategy…", "Renforcer
 * la présence…") is quoted instead ("There was consensus on the recommendation “Refine…”"), so that
 * the sentence stays grammatical whatever the rapporteur wrote.
 */
import type { ConsensusResult, CountedResult, Level } from "./consensus";

export type WordingLang = "en" | "fr";
/** `staff`: organisers, moderators, rapporteurs. `public`: participants, observers, published text and exports. */
export type Audience = "staff" | "public";
export type WordingOptions = { lang: WordingLang; audience: Audience; /** Organiser's switch; on by default. */ numbers?: boolean };

export type Wording = {
  text: string;
  level: Level;
  declared: boolean;
  /** Whether any count is in the text (false under small-count protection or with numbers off). */
  countsShown: boolean;
  handsIncluded: boolean;
};

/** Fewer people counted than this, and the public wording carries no count. */
export const SMALL_COUNT = 10;

/**
 * Whether counts may be shown to this audience for this result. A result imported from another
 * instance's export under small-count protection has no counts at all (imports.server.ts): nobody
 * sees counts for it, staff included.
 */
export function countsVisible(result: ConsensusResult, options: Pick<WordingOptions, "audience" | "numbers">): boolean {
  if (result.kind === "declared" || options.numbers === false || !Number.isInteger(result.taken)) return false;
  return options.audience === "staff" || result.taken >= SMALL_COUNT;
}

// ---------------------------------------------------------------------------------------------
// The recommendation as a clause

const LEADING_WORDS = new Set(
  `the a an this that these those all some most many each every any no its their our it there they we
   le la les l un une des du de il elle ils elles on ce cet cette ces chaque tout toute tous toutes
   certains certaines aucun aucune leur leurs nous plusieurs`.split(/\s+/),
);

export function asClause(text: string): string {
  const t = text.trim().replace(/[\s.;:,]+$/u, "");
  const m = /^(\p{L}+)/u.exec(t);
  if (!m) return t;
  const word = m[1];
  const rest = word.slice(1);
  if (LEADING_WORDS.has(word.toLowerCase()) && rest === rest.toLowerCase() && word[0] !== word[0].toLowerCase()) {
    return word[0].toLowerCase() + t.slice(1);
  }
  return t;
}

/** "que" + clause, with the elision French requires before a vowel. */
export function que(clause: string): string {
  return /^[aeiouàâäéèêëîïôöùûüœæ]/iu.test(clause) ? `qu'${clause}` : `que ${clause}`;
}

/**
 * Whether the text reads as a clause that can follow "that" / "que": it has one of the modals such
 * recommendations are written with ("should", "must", "doit", "devraient"…), in the wording's language
 * when one is given. Otherwise (an imperative, an infinitive, or a text in the other language, which
 * would make a sentence of two languages) it is quoted.
 */
export function readsAsClause(text: string, lang?: WordingLang): boolean {
  return (lang !== "fr" && MODALS.en.test(text)) || (lang !== "en" && MODALS.fr.test(text));
}
const MODALS: Record<WordingLang, RegExp> = {
  en: /(^|[^\p{L}])(should|must|shall|needs? to|ought to|has to|have to)(?![\p{L}])/iu,
  fr: /(^|[^\p{L}])(doit|doivent|devrait|devraient|faut|faudrait|convient)(?![\p{L}])/iu,
};

/** The text as a quotation: trimmed, without its final full stop. */
function quoted(text: string): string {
  return text.trim().replace(/[\s.;:,]+$/u, "");
}

// ---------------------------------------------------------------------------------------------
// Sentences

type Parts = { x: string; n: string };

/** Sentence per level; `n` is the parenthesis (with its leading space) or "". */
const SENTENCES: Record<WordingLang, Record<Level, (p: Parts) => string>> = {
  en: {
    unanimous: ({ x, n }) => `Participants unanimously agreed that ${x}${n}.`,
    consensus: ({ x, n }) => `There was consensus that ${x}${n}.`,
    broad_support: ({ x, n }) => `Participants broadly agreed that ${x}${n}.`,
    majority: ({ x, n }) => `A majority of participants agreed that ${x}${n}.`,
    divided: ({ x, n }) => `Views were divided on whether ${x}${n}.`,
    opposed: ({ x, n }) => `Most participants did not agree that ${x}${n}.`,
    no_quorum: ({ x, n }) => `The quorum was not reached on the proposal that ${x}${n}.`,
  },
  fr: {
    unanimous: ({ x, n }) => `Les participants ont convenu à l'unanimité ${que(x)}${n}.`,
    consensus: ({ x, n }) => `Un consensus s'est dégagé sur le fait ${que(x)}${n}.`,
    broad_support: ({ x, n }) => `Les participants ont largement adhéré à l'idée ${que(x)}${n}.`,
    majority: ({ x, n }) => `Une majorité de participants a estimé ${que(x)}${n}.`,
    divided: ({ x, n }) => `Les avis ont été partagés quant à l'idée ${que(x)}${n}.`,
    opposed: ({ x, n }) => `La plupart des participants ne se sont pas ralliés à l'idée ${que(x)}${n}.`,
    no_quorum: ({ x, n }) => `Le quorum n'a pas été atteint sur la proposition selon laquelle ${x}${n}.`,
  },
};

/** The same sentences around a quoted recommendation (`q`, already without its final stop). */
const QUOTED: Record<WordingLang, Record<Level, (p: { q: string; n: string }) => string>> = {
  en: {
    unanimous: ({ q, n }) => `Participants unanimously supported the recommendation “${q}”${n}.`,
    consensus: ({ q, n }) => `There was consensus on the recommendation “${q}”${n}.`,
    broad_support: ({ q, n }) => `Participants broadly supported the recommendation “${q}”${n}.`,
    majority: ({ q, n }) => `A majority of participants supported the recommendation “${q}”${n}.`,
    divided: ({ q, n }) => `Views were divided on the recommendation “${q}”${n}.`,
    opposed: ({ q, n }) => `Most participants did not support the recommendation “${q}”${n}.`,
    no_quorum: ({ q, n }) => `The quorum was not reached on the recommendation “${q}”${n}.`,
  },
  fr: {
    unanimous: ({ q, n }) => `Les participants ont soutenu à l'unanimité la recommandation «\u00a0${q}\u00a0»${n}.`,
    consensus: ({ q, n }) => `Un consensus s'est dégagé sur la recommandation «\u00a0${q}\u00a0»${n}.`,
    broad_support: ({ q, n }) => `Les participants ont largement soutenu la recommandation «\u00a0${q}\u00a0»${n}.`,
    majority: ({ q, n }) => `Une majorité de participants a soutenu la recommandation «\u00a0${q}\u00a0»${n}.`,
    divided: ({ q, n }) => `Les avis ont été partagés sur la recommandation «\u00a0${q}\u00a0»${n}.`,
    opposed: ({ q, n }) => `La plupart des participants n'ont pas soutenu la recommandation «\u00a0${q}\u00a0»${n}.`,
    no_quorum: ({ q, n }) => `Le quorum n'a pas été atteint sur la recommandation «\u00a0${q}\u00a0»${n}.`,
  },
};

/** Adopted by consensus without a vote (UN practice), and the other levels a moderator may declare. */
const DECLARED: Record<WordingLang, { consensus: (x: string) => string; quoted: (q: string) => string; marker: string }> = {
  en: {
    consensus: (x) => `The recommendation that ${x} was adopted by consensus without a vote.`,
    quoted: (q) => `The recommendation “${q}” was adopted by consensus without a vote.`,
    marker: "sense of the room, without a vote",
  },
  fr: {
    consensus: (x) => `La recommandation selon laquelle ${x} a été adoptée par consensus, sans vote.`,
    quoted: (q) => `La recommandation «\u00a0${q}\u00a0» a été adoptée par consensus, sans vote.`,
    marker: "sentiment général de la salle, sans vote",
  },
};

const HANDS: Record<WordingLang, { only: string; partly: string }> = {
  en: { only: "by show of hands", partly: "partly by show of hands" },
  fr: { only: "à main levée", partly: "en partie à main levée" },
};

function counts(r: CountedResult, lang: WordingLang): string {
  const f = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB");
  const n = (v: number) => f.format(v);
  if (lang === "en") {
    const people = (v: number) => (v === 1 ? "participant" : "participants");
    const against = [r.oppose === 0 ? "none opposed" : `${n(r.oppose)} opposed`, ...(r.block > 0 ? [`${n(r.block)} ${r.block === 1 ? "block" : "blocks"}`] : [])].join(", ");
    switch (r.level) {
      case "no_quorum":
        return `${n(r.taken)} of ${n(r.eligible)} eligible ${people(r.eligible)} took a position`;
      case "unanimous":
        return `${n(r.taken)} of ${n(r.taken)} ${people(r.taken)}`;
      case "consensus":
        return `${n(r.support)} of ${n(r.taken)} ${people(r.taken)}, none opposed`;
      default:
        return `${n(r.support)} of ${n(r.taken)} ${people(r.taken)} in support, ${against}`;
    }
  }
  const people = (v: number, adj = "") => (v <= 1 ? `participant${adj}` : `participants${adj ? `${adj}s` : ""}`);
  const against = [r.oppose === 0 ? "aucune opposition" : `${n(r.oppose)} contre`, ...(r.block > 0 ? [`${n(r.block)} ${r.block === 1 ? "blocage" : "blocages"}`] : [])].join(", ");
  switch (r.level) {
    case "no_quorum":
      return `${n(r.taken)} ${people(r.taken)} sur ${n(r.eligible)} ${r.taken <= 1 ? "s'est prononcé" : "se sont prononcés"}`;
    case "unanimous":
      return `${n(r.taken)} ${people(r.taken)} sur ${n(r.taken)}`;
    case "consensus":
      return `${n(r.support)} ${people(r.support)} sur ${n(r.taken)}, aucune opposition`;
    default:
      return `${n(r.support)} ${people(r.support, " favorable")} sur ${n(r.taken)}, ${against}`;
  }
}

/**
 * The sentence for a recommendation at its level. Declared levels carry no counts whatever the
 * options; counted ones carry them per `countsVisible`, and say when hands were counted.
 */
export function wordRecommendation(result: ConsensusResult, recommendation: string, options: WordingOptions): Wording {
  const { lang } = options;
  const clause = readsAsClause(recommendation, lang);
  const x = asClause(recommendation);
  const q = quoted(recommendation);
  const sentence = (level: Level, n: string) => (clause ? SENTENCES[lang][level]({ x, n }) : QUOTED[lang][level]({ q, n }));
  if (result.kind === "declared") {
    const text =
      result.level === "consensus" ? (clause ? DECLARED[lang].consensus(x) : DECLARED[lang].quoted(q)) : sentence(result.level, ` (${DECLARED[lang].marker})`);
    return { text, level: result.level, declared: true, countsShown: false, handsIncluded: false };
  }
  const countsShown = countsVisible(result, options);
  const inside = [
    ...(countsShown ? [counts(result, lang)] : []),
    ...(result.handsIncluded ? [result.devicePositions === 0 ? HANDS[lang].only : HANDS[lang].partly] : []),
  ];
  const n = inside.length > 0 ? ` (${inside.join(", ")})` : "";
  return { text: sentence(result.level, n), level: result.level, declared: false, countsShown, handsIncluded: result.handsIncluded };
}

/**
 * Catalogue keys (namespace "consensus") of a result's badge: the level's label, and for a declared
 * level a marker saying it was not counted. Declared consensus has its own label, the UN phrase.
 */
export function badgeKeys(result: ConsensusResult): { label: string; marker: string | null } {
  if (result.kind === "counted") return { label: `levels.${result.level}.label`, marker: null };
  if (result.level === "consensus") return { label: "declared.consensus", marker: null };
  return { label: `levels.${result.level}.label`, marker: "declared.label" };
}
