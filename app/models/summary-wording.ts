/**
 * The summary draft's fixed phrasing in English and French (summary-draft.ts assembles the note), in
 * the style of published roundtable notes: "Participants noted that…", "One participant stressed
 * that…", "Concern was expressed that…"; never a name. Pure, with its strings in a typed dictionary
 * as in consensus-wording.ts (the draft is made where no i18next instance exists: exports, the CLI).
 *
 * Everything here takes text already escaped for Markdown (markdown.ts), except organisations' names,
 * which the article functions escape themselves.
 */
import { asClause, que, type WordingLang } from "./consensus-wording";
import { escapeInline as escape } from "./markdown";
import type { AttributionMode, NoteKind } from "./notes";
import type { GroupCount } from "./small-groups";

export type SessionKind = "roundtable" | "local_dialogue" | "plenary";
export type ParticipantCategory = "academic" | "un_official" | "diplomat" | "ngo" | "government" | "community" | "media" | "other";
export type Horizon = "immediate" | "medium" | "long";

/** A lead-in around a note: `x` is a clause (or a quotation), `several` when notes were merged into it. */
export type Lead = (x: string, several: boolean) => string;
/** `open` starts a paragraph; `follow` continues one (and may say "Others…"). */
export type Leads = { open: Lead[]; follow: Lead[] };

export type Gathering = {
  moderators: number;
  total: number;
  /** Categories to name, small-count protected, in the order to give them. */
  groups: GroupCount<ParticipantCategory>[];
  /** Whether the categories account for everyone counted (otherwise "other" is not named). */
  complete: boolean;
};

export type Dictionary = {
  locale: string;
  kindTitle: Record<SessionKind, string>;
  kindNoun: Record<SessionKind, string>;
  quote: (t: string) => string;
  convened: (p: { date: string | null; place: string | null; hosts: string[]; kind: string; title: string }) => string;
  gathered: (g: Gathering) => string;
  categories: Record<ParticipantCategory, string>;
  panelists: (list: string, count: number) => string;
  /** Notes written as a clause, reported after "that" / "que". */
  leads: Record<Exclude<NoteKind, "question">, Leads>;
  /** Notes quoted: questions, notes that are not a clause, notes in the other language. */
  quoted: Record<NoteKind, Leads>;
  recommendations: string;
  recommendationsIntro: string;
  noAddressee: string;
  others: string;
  othersIntro: string;
  meta: { addressee: string; theme: string; horizon: string };
  horizons: Record<Horizon, string>;
  unvoted: (x: string) => string;
  unvotedQuoted: (q: string) => string;
  disclaimer: Record<AttributionMode, string>;
  mixed: string;
  common: string;
};

const NBSP = "\u00A0";
const one = (s: boolean, en: [string, string]) => (s ? en[1] : en[0]);

const EN: Dictionary = {
  locale: "en-GB",
  kindTitle: { roundtable: "Closed-door roundtable", local_dialogue: "Local dialogue", plenary: "Plenary session" },
  kindNoun: { roundtable: "closed-door roundtable", local_dialogue: "local dialogue", plenary: "plenary session" },
  quote: (t) => `“${t}”`,
  convened: ({ date, place, hosts, kind, title }) => {
    if (hosts.length === 0) return `A ${kind} entitled ${title} was held${place ? ` in ${place}` : ""}${date ? ` on ${date}` : ""}.`;
    const lead = [date ? `On ${date}` : "", place ? `${date ? "in" : "In"} ${place}` : ""].filter(Boolean).join(", ");
    return `${lead ? `${lead}, ` : ""}${listOf(hosts.map(withArticleEn), "en-GB", !lead)} convened a ${kind} entitled ${title}.`;
  },
  gathered: ({ moderators, total, groups, complete }) => {
    const mod = moderators > 0 ? `led by ${moderators === 1 ? "a moderator" : `${numberWord(moderators, ["", "one", "two", "three"])} moderators`}` : "";
    if (total === 0) return mod ? `The discussion was ${mod}.` : "";
    return `The discussion${mod ? `, ${mod},` : ""} gathered ${people(total, groups, complete, EN)}.`;
  },
  categories: {
    academic: "academics and researchers",
    un_official: "UN officials",
    diplomat: "diplomats",
    ngo: "representatives of non-governmental organisations",
    government: "government officials",
    community: "community representatives",
    media: "media representatives",
    other: "participants from other backgrounds",
  },
  panelists: (list, count) => (count === 1 ? `The panel comprised ${list}.` : `Panelists included ${list}.`),
  leads: {
    point: {
      open: [(x) => `Participants noted that ${x}.`, (x) => `Participants highlighted that ${x}.`, (x) => `It was further observed that ${x}.`],
      follow: [
        (x, s) => `${one(s, ["One participant", "Several participants"])} stressed that ${x}.`,
        (x) => `Others pointed out that ${x}.`,
        (x, s) => `${one(s, ["One participant", "Several participants"])} added that ${x}.`,
        (x) => `It was also noted that ${x}.`,
      ],
    },
    concern: {
      open: [(x) => `Concern was expressed that ${x}.`, (x) => `Participants also voiced concern that ${x}.`],
      follow: [(x, s) => `${one(s, ["One participant", "Several participants"])} expressed concern that ${x}.`, (x) => `Others warned that ${x}.`],
    },
    proposal: {
      open: [(x) => `It was suggested that ${x}.`, (x) => `Participants also proposed that ${x}.`],
      follow: [(x, s) => `${one(s, ["One participant", "Several participants"])} suggested that ${x}.`, (x) => `Others proposed that ${x}.`],
    },
  },
  quoted: {
    point: {
      open: [(q) => `Participants noted: ${q}`, (q) => `Another point raised was: ${q}`],
      follow: [(q, s) => `${one(s, ["One participant", "Several participants"])} noted: ${q}`, (q) => `Others added: ${q}`],
    },
    concern: {
      open: [(q) => `Concern was expressed: ${q}`, (q) => `Participants also voiced a concern: ${q}`],
      follow: [(q, s) => `${one(s, ["One participant", "Several participants"])} expressed concern: ${q}`, (q) => `Others warned: ${q}`],
    },
    proposal: {
      open: [(q) => `It was proposed: ${q}`, (q) => `Participants also put forward a proposal: ${q}`],
      follow: [(q, s) => `${one(s, ["One participant", "Several participants"])} proposed: ${q}`, (q) => `Others suggested: ${q}`],
    },
    question: {
      open: [(q) => `The question was raised: ${q}`, (q) => `Participants also asked: ${q}`],
      follow: [(q, s) => `${one(s, ["One participant", "Several participants"])} asked: ${q}`, (q) => `Others asked: ${q}`],
    },
  },
  recommendations: "Recommendations",
  recommendationsIntro: "The following recommendations were adopted. They are grouped by the actors they are addressed to.",
  noAddressee: "Addressee not specified",
  others: "Other proposals discussed",
  othersIntro: "The following proposals were discussed but not adopted.",
  meta: { addressee: "Addressee", theme: "Theme", horizon: "Horizon" },
  horizons: { immediate: "short term (immediate)", medium: "medium term (3 to 5 years)", long: "long term" },
  unvoted: (x) => `Participants recommended that ${x}.`,
  unvotedQuoted: (q) => `Participants made the following recommendation: ${q}`,
  disclaimer: {
    chatham_house:
      "The discussion was held under the Chatham House Rule: participants are free to use the information received, but neither the identity nor the affiliation of the speakers, nor that of any other participant, may be revealed.",
    anonymous:
      "The discussion was held under strict non-attribution: neither the identity nor the affiliation of any speaker or participant is disclosed, and the list of participants is not published.",
    on_the_record: "The discussion was held on the record; this note nevertheless summarises the views expressed without attributing them to individual participants.",
  },
  mixed: "Some parts of the discussion were held under a different rule; this note attributes no view to any participant.",
  common: "This note reflects the rapporteur's understanding of the discussion and does not necessarily represent the views of all participants.",
};

const FR: Dictionary = {
  locale: "fr-FR",
  kindTitle: { roundtable: "Table ronde à huis clos", local_dialogue: "Concertation locale", plenary: "Séance plénière" },
  kindNoun: { roundtable: "table ronde à huis clos", local_dialogue: "concertation locale", plenary: "séance plénière" },
  quote: (t) => `«${NBSP}${t}${NBSP}»`,
  convened: ({ date, place, hosts, kind, title }) => {
    if (hosts.length === 0) return `Une ${kind} intitulée ${title} s'est tenue${place ? ` à ${place}` : ""}${date ? ` le ${date}` : ""}.`;
    const lead = [date ? `Le ${date}` : "", place ? `${date ? "à" : "À"} ${place}` : ""].filter(Boolean).join(", ");
    // "La mairie et les associations" is one entry but several hosts.
    const verb = hosts.length > 1 || /\s(et|and)\s/iu.test(hosts[0]) ? "ont organisé" : "a organisé";
    return `${lead ? `${lead}, ` : ""}${listOf(hosts.map(withArticleFr), "fr", !lead)} ${verb} une ${kind} intitulée ${title}.`;
  },
  gathered: ({ moderators, total, groups, complete }) => {
    const mod = moderators > 0 ? (moderators === 1 ? "animés par un modérateur" : `animés par ${numberWord(moderators, ["", "un", "deux", "trois"])} modérateurs`) : "";
    if (total === 0) return mod ? `Les échanges ont été ${mod}.` : "";
    return `Les échanges${mod ? `, ${mod},` : ""} ont réuni ${people(total, groups, complete, FR)}.`;
  },
  categories: {
    academic: "universitaires et chercheurs",
    un_official: "fonctionnaires des Nations unies",
    diplomat: "diplomates",
    ngo: "représentants d'organisations non gouvernementales",
    government: "représentants des pouvoirs publics",
    community: "représentants des communautés",
    media: "représentants des médias",
    other: "participants d'autres horizons",
  },
  panelists: (list, count) => (count === 1 ? `Le panel comprenait ${list}.` : `Parmi les intervenants figuraient ${list}.`),
  leads: {
    point: {
      open: [(x) => `Les participants ont relevé ${que(x)}.`, (x) => `Les participants ont mis en avant le fait ${que(x)}.`, (x) => `Il a en outre été observé ${que(x)}.`],
      follow: [
        (x, s) => `${one(s, ["Un participant a souligné", "Plusieurs participants ont souligné"])} ${que(x)}.`,
        (x) => `D'autres ont fait observer ${que(x)}.`,
        (x, s) => `${one(s, ["Un participant a ajouté", "Plusieurs participants ont ajouté"])} ${que(x)}.`,
        (x) => `Il a également été noté ${que(x)}.`,
      ],
    },
    concern: {
      open: [(x) => `Des inquiétudes ont été exprimées quant au fait ${que(x)}.`, (x) => `Les participants se sont également inquiétés du fait ${que(x)}.`],
      follow: [
        (x, s) => `${one(s, ["Un participant s'est inquiété", "Plusieurs participants se sont inquiétés"])} du fait ${que(x)}.`,
        (x) => `D'autres ont mis en garde contre le fait ${que(x)}.`,
      ],
    },
    proposal: {
      open: [(x) => `Il a été suggéré ${que(x)}.`, (x) => `Les participants ont également plaidé pour l'idée ${que(x)}.`],
      follow: [(x, s) => `${one(s, ["Un participant a plaidé", "Plusieurs participants ont plaidé"])} pour l'idée ${que(x)}.`, (x) => `D'autres ont estimé ${que(x)}.`],
    },
  },
  quoted: {
    point: {
      open: [(q) => `Les participants ont relevé${NBSP}: ${q}`, (q) => `Un autre point a été soulevé${NBSP}: ${q}`],
      follow: [(q, s) => `${one(s, ["Un participant a noté", "Plusieurs participants ont noté"])}${NBSP}: ${q}`, (q) => `D'autres ont ajouté${NBSP}: ${q}`],
    },
    concern: {
      open: [(q) => `Une inquiétude a été exprimée${NBSP}: ${q}`, (q) => `Les participants ont également fait part d'une inquiétude${NBSP}: ${q}`],
      follow: [(q, s) => `${one(s, ["Un participant s'est inquiété", "Plusieurs participants se sont inquiétés"])}${NBSP}: ${q}`, (q) => `D'autres ont mis en garde${NBSP}: ${q}`],
    },
    proposal: {
      open: [(q) => `Une proposition a été avancée${NBSP}: ${q}`, (q) => `Les participants ont également formulé une proposition${NBSP}: ${q}`],
      follow: [(q, s) => `${one(s, ["Un participant a proposé", "Plusieurs participants ont proposé"])}${NBSP}: ${q}`, (q) => `D'autres ont suggéré${NBSP}: ${q}`],
    },
    question: {
      open: [(q) => `La question suivante a été soulevée${NBSP}: ${q}`, (q) => `Les participants se sont également interrogés${NBSP}: ${q}`],
      follow: [(q, s) => `${one(s, ["Un participant a demandé", "Plusieurs participants ont demandé"])}${NBSP}: ${q}`, (q) => `D'autres ont demandé${NBSP}: ${q}`],
    },
  },
  recommendations: "Recommandations",
  recommendationsIntro: "Les recommandations suivantes ont été adoptées. Elles sont présentées par destinataire.",
  noAddressee: "Destinataire non précisé",
  others: "Autres propositions examinées",
  othersIntro: "Les propositions suivantes ont été examinées sans être adoptées.",
  meta: { addressee: `Destinataire${NBSP}`, theme: `Thématique${NBSP}`, horizon: `Horizon${NBSP}` },
  horizons: { immediate: "court terme (immédiat)", medium: "moyen terme (3 à 5 ans)", long: "long terme" },
  unvoted: (x) => `Les participants ont formulé la recommandation suivante${NBSP}: ${x}.`,
  unvotedQuoted: (q) => `Les participants ont formulé la recommandation suivante${NBSP}: ${q}`,
  disclaimer: {
    chatham_house: `Les échanges se sont déroulés sous la règle de Chatham House${NBSP}: les participants sont libres d'utiliser les informations recueillies, mais ni l'identité ni l'affiliation des intervenants, ni celles des autres participants, ne peuvent être révélées.`,
    anonymous: `Les échanges se sont déroulés sous un régime strict de non-attribution${NBSP}: ni l'identité ni l'affiliation des intervenants et des participants ne sont révélées, et la liste des participants n'est pas publiée.`,
    on_the_record: `Les échanges étaient publics (attribution autorisée)${NBSP}; la présente note en rend néanmoins compte sans attribuer les propos à leurs auteurs.`,
  },
  mixed: `Certaines parties des échanges relevaient d'une autre règle${NBSP}; la présente note n'attribue aucun propos à quiconque.`,
  common: "La présente note reflète la compréhension des échanges par le rapporteur et ne représente pas nécessairement l'avis de l'ensemble des participants.",
};

export const DICTIONARIES: Record<WordingLang, Dictionary> = { en: EN, fr: FR };

// ---------------------------------------------------------------------------------------------
// Numbers and lists

const numberWord = (n: number, words: string[]) => words[n] ?? String(n);

export function listOf(parts: string[], locale: string, capitalise = false): string {
  const text = new Intl.ListFormat(locale, { type: "conjunction", style: "long" }).format(parts);
  return capitalise ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** "34 participants", "16 participants, including 6 academics…", "12 academics and researchers". */
/** Below this many people counted, published text gives no count (SPEC section 4). */
const SMALL_ROOM = 10;

function people(total: number, groups: GroupCount<ParticipantCategory>[], complete: boolean, d: Dictionary): string {
  // Small-count protection (SPEC section 4): a room of fewer than ten is not counted in published text.
  if (total < SMALL_ROOM) return d === FR ? "moins de dix participants" : "fewer than ten participants";
  const all = `${total} ${total === 1 ? "participant" : "participants"}`;
  const named = complete ? groups : groups.filter((g) => g.key !== "other");
  if (named.length === 0 || (named.length === 1 && named[0].key === "other")) return all;
  if (complete && named.length === 1) return `${total} ${d.categories[named[0].key]}`;
  return `${all}, ${d === FR ? "dont" : "including"} ${listOf(named.map((g) => `${g.count} ${d.categories[g.key]}`), d.locale)}`;
}

// ---------------------------------------------------------------------------------------------
// Organisations' names with their article ("the Institute for…", "l'Institute for…", "le Centre…")

/** Lower case without diacritics. */
export const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
const firstWord = (name: string) => fold(/^[\p{L}-]+/u.exec(name)?.[0] ?? "");
const isAcronym = (name: string) => /^\p{Lu}[\p{Lu}\d&-]*(\s|$)/u.test(name);

/** Words that take "the" when they start an organisation's name in English. */
const EN_THE = new Set(
  `institute institution centre center ministry office department mission permanent international national united european african
   embassy government council commission foundation network association secretariat delegation agency programme program observatory
   forum coalition alliance committee federation union league organisation organization world global regional royal municipality
   city town village prefecture platform group collective consortium movement directorate cabinet bureau high`.split(/\s+/),
);

/** French gender of the usual first words of organisations' names, in French or English. */
const FR_MASCULINE = new Set(
  `institut institute centre center ministere ministry bureau office departement department reseau network conseil council gouvernement
   government secretariat programme program forum comite committee observatoire observatory collectif consortium groupe group cabinet
   fonds mouvement haut-commissariat syndicat parlement etat`.split(/\s+/),
);
const FR_FEMININE = new Set(
  `mission mairie organisation organization association fondation foundation universite university ambassade embassy commission delegation
   agence agency coalition alliance federation union ligue league plateforme plate-forme direction cellule coordination communaute
   prefecture assemblee representation division section cour haute-autorite autorite`.split(/\s+/),
);
const FR_ASPIRATED = new Set(["haut-commissariat", "haute-autorite"]);

/** An organisation's name as English prose needs it: "the Institute for Peace Dialogue", "USHMM". Escaped. */
export function withArticleEn(name: string): string {
  const w = firstWord(name);
  if (!w || w === "the" || isAcronym(name)) return escape(name);
  if (EN_THE.has(w) || (w === "university" && /^university\s+of\b/i.test(name))) return `the ${escape(name)}`;
  return escape(name);
}

/** An organisation's name as French prose needs it: "l'Institute…", "le Centre…", "la Mairie…". Escaped. */
export function withArticleFr(name: string): string {
  const w = firstWord(name);
  if (!w || ["le", "la", "les", "l"].includes(w) || isAcronym(name)) return escape(name);
  const masculine = FR_MASCULINE.has(w);
  if (!masculine && !FR_FEMININE.has(w)) return escape(name);
  if (/^[aeiouyh]/.test(w) && !FR_ASPIRATED.has(w)) return `l'${escape(name)}`;
  return `${masculine ? "le" : "la"} ${escape(name)}`;
}

// ---------------------------------------------------------------------------------------------
// Notes as clauses

const STOPWORDS: Record<WordingLang, Set<string>> = {
  en: new Set("the and of to is are in that for with be by this it as from should can not have has was were their they which would will must".split(" ")),
  fr: new Set("le la les des du et est sont que qui pour dans une un de en au aux sur pas ne il elle ils elles doit peut ce cette ces leur leurs avec par se être été sont ont".split(" ")),
};

/** The language a text is clearly written in, by its common words; null when it cannot tell. */
export function languageOf(text: string): WordingLang | null {
  const words = (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length > 1);
  const en = words.filter((w) => STOPWORDS.en.has(w)).length;
  const fr = words.filter((w) => STOPWORDS.fr.has(w)).length;
  if (en >= 2 && en >= 2 * fr) return "en";
  if (fr >= 2 && fr >= 2 * en) return "fr";
  return null;
}

/** Verbs and auxiliaries that make what comes before a colon a clause ("Engagement has risks: …"). */
const VERBISH = new Set(
  `is are was were be been being has have had can could should must will would may might do does did need needs needed seems seem remain remains
   est sont était étaient été ont peut peuvent doit doivent faut sera seront reste restent semble semblent avait avaient`.split(/\s+/),
);

/**
 * Whether a note's first sentence reads as a clause that can follow "that" / "que" in this language:
 * not a heading followed by a colon ("Drivers of violence: a weak state, …"), and not clearly written
 * in the other language (a sentence of two languages). Otherwise the draft quotes it.
 */
export function noteReadsAsClause(firstSentence: string, lang: WordingLang): boolean {
  const written = languageOf(firstSentence);
  if (written && written !== lang) return false;
  const colon = firstSentence.indexOf(":");
  if (colon > 0) {
    const before = (firstSentence.slice(0, colon).toLowerCase().match(/\p{L}+/gu) ?? []);
    if (before.length <= 8 && !before.some((w) => VERBISH.has(w))) return false;
  }
  return true;
}

/**
 * Words the session's own texts write with a capital in mid-sentence ("the Fulani", "in Mali"): proper
 * nouns, which keep their capital when a note's first word goes after "that". Titles are left out
 * (English titles capitalise every word).
 */
export type ProperNouns = Set<string>;
const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;
const TITLE_CASE = /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u;
const wordKey = (w: string) => w.replace(/['’]s$/u, "").toLowerCase();

export function properNounsIn(texts: string[]): ProperNouns {
  const out: ProperNouns = new Set();
  for (const text of texts) {
    for (const m of text.matchAll(WORD)) {
      if (!/^\p{Lu}/u.test(m[0])) continue;
      const before = text.slice(0, m.index).replace(/[\s"“”«»'‘’()[\]*_-]+$/u, "");
      if (before === "" || /[.!?…:]$/u.test(before)) continue;
      out.add(wordKey(m[0]));
    }
  }
  return out;
}

/**
 * A sentence as a clause after "that" / "que": asClause (consensus-wording.ts) puts a leading article
 * in lower case and drops the final stop; here a capitalised first word also goes to lower case
 * ("Threats posed…" → "threats posed…") unless it is a proper noun by the texts' own usage, is
 * followed by another capitalised word ("Burkina Faso"), is possessive ("Mali's"), or is an acronym
 * or in mixed case ("MINUSMA", "McDonald").
 */
export function toClause(sentence: string, proper: ProperNouns): string {
  const t = asClause(sentence);
  const m = /^(\p{L}[\p{L}\p{M}'’-]*)(?:\s+(\S+))?/u.exec(t);
  if (!m || !TITLE_CASE.test(m[1]) || /['’]s$/u.test(m[1]) || proper.has(wordKey(m[1])) || (m[2] && /^\p{Lu}/u.test(m[2]))) return t;
  return t.charAt(0).toLowerCase() + t.slice(1);
}
