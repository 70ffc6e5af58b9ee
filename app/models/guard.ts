/**
 * The attribution guard's matching engine, pure (no database, no I/O): finds what could identify a
 * speaker in a note or a summary (Chatham House Rule, SPEC section 3), with spans in the ORIGINAL text
 * and a neutral rewording in the text's language.
 *
 * Two entry points, on purpose (the probing rule):
 * - `checkForParticipant(text)`: generic findings only. It never takes the roster, so its answer cannot
 *   depend on whether a name is on it; every person-like name, organisation-like acronym and
 *   identifying phrase is flagged alike. Safe to run in the browser.
 * - `checkForStaff(text, index)`: the same generic findings plus roster findings (names and short forms,
 *   organisations, acronyms, titles and countries in identifying phrases). Roster matching only ADDS.
 *
 * Acronyms: a token of 2-6 upper-case letters (optionally with a plural "s") is organisation-like and
 * flagged, except for HARMLESS_ACRONYMS: generic terms (IED, NGO, ONG, POC, DDR...) and the large
 * multilateral bodies that roundtables discuss as subjects (UN/ONU, EU/UE, AU/UA, ECOWAS/CEDEAO,
 * MINUSMA...): "the UN" or "MINUSMA's strategy" narrows no speaker down. They are still flagged inside
 * an identifying phrase ("the representative of the UN"), and staff still see them when they are a
 * roster entry's acronym.
 */

export type Lang = "en" | "fr";
export type FindingKind = "name" | "organisation" | "title" | "country" | "phrase";
export type Finding = { start: number; end: number; kind: FindingKind; text: string; suggestion: string };

/** The roster fields the guard uses (db/schema.ts rosterEntries). */
export type GuardRosterEntry = {
  name: string;
  shortForms?: readonly string[];
  organisation?: string;
  acronyms?: readonly string[];
  title?: string;
  country?: string;
  role?: string;
  category?: string;
};

// ---------------------------------------------------------------------------------------------
// Normalisation with offsets back to the original text

export type Normalised = {
  /** Lower case, no diacritics, apostrophes unified to "'". */
  text: string;
  /** starts[i]: offset in the original of the character that produced normalised character i. */
  starts: number[];
  /** ends[i]: end offset in the original of that character. */
  ends: number[];
};

const MARKS = /\p{M}/gu;
const APOSTROPHES = /[\u2019\u2018\u02bc\u00b4`\u2032]/g;
const HYPHENS = /[\u2010\u2011]/g;

export function normalise(text: string): Normalised {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of text) {
    const len = ch.length;
    const n = ch.normalize("NFD").replace(MARKS, "").toLowerCase().replace(MARKS, "").replace(APOSTROPHES, "'").replace(HYPHENS, "-");
    for (let k = 0; k < n.length; k++) {
      starts.push(i);
      ends.push(i + len);
    }
    out += n;
    i += len;
  }
  return { text: out, starts, ends };
}

/** Original span of the normalised span [s, e). */
export function originalSpan(n: Normalised, s: number, e: number): [number, number] {
  if (e <= s) return [n.starts[s] ?? n.ends[n.ends.length - 1] ?? 0, n.starts[s] ?? n.ends[n.ends.length - 1] ?? 0];
  return [n.starts[s], n.ends[e - 1]];
}

/** Normalise a short string (no mapping), e.g. a lexicon word or a roster field. */
export function fold(s: string): string {
  return normalise(s).text;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token = {
  raw: string;
  low: string;
  start: number;
  end: number;
  /** Original text between the previous token and this one. */
  gap: string;
  cap: boolean;
  allCaps: boolean;
  sentenceStart: boolean;
};

const TOKEN_RE = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

function tokenise(text: string): Token[] {
  const n = normalise(text);
  const tokens: Token[] = [];
  let prevEnd = 0;
  for (const m of n.text.matchAll(TOKEN_RE)) {
    const [start, end] = originalSpan(n, m.index, m.index + m[0].length);
    const raw = text.slice(start, end);
    const gap = text.slice(prevEnd, start);
    const letters = raw.replace(/[^\p{L}]/gu, "");
    tokens.push({
      raw,
      low: m[0],
      start,
      end,
      gap,
      cap: /^\p{Lu}/u.test(raw),
      allCaps: letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase(),
      sentenceStart: tokens.length === 0 || /[.!?:;\n]\W*$/u.test(gap) || /^\s*["“«(]\s*$/u.test(gap) && tokens.length === 0,
    });
    prevEnd = end;
  }
  return tokens;
}

const set = (words: string) => new Set(words.split(/\s+/).filter(Boolean).map(fold));

// ---------------------------------------------------------------------------------------------
// Lexicons (normalised)

/** Words that are never part of a person's name, even when capitalised (sentence starts, headings). */
const NOT_NAME = set(`
  the a an this that these those some many several other others one two three both each every all most few
  he she they we it i you his her their our its my your there here who which what when where why how
  participants participant experts expert panelists panellists panelist panellist researchers researcher speakers speaker
  delegates delegate delegations delegation members member officials official diplomats diplomat academics
  representatives representative attendees everyone nobody somebody someone people moderator chair organisers organizers
  in at on for during after before while although however moreover furthermore also but and or yet thus therefore
  finally first second third then still since because if as with without by from of to into about between among
  le la les un une des du de d l il elle ils elles on nous vous je tu ce cette ces cet leur leurs son sa ses mon ma mes
  certains certaines plusieurs autres beaucoup tous toutes chacun aucun personne
  intervenants intervenant chercheurs chercheur membres delegues delegue panelistes paneliste universitaires diplomates
  representants representant representantes representante responsables moderateur president presidente
  mais et ou donc ainsi enfin cependant toutefois lors apres avant pendant comme selon dans pour sur par avec sans
  en au aux si car puis alors aussi meme quand lorsque bien tandis
  monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche
  january february march april may june july august september october november december
  janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
  strategic review agreement accord peace paix security securite council conseil general generale secretary secretaire
  assembly assemblee union nations national nationale nationaux nationales united unies unis european europeenne african africaine
  dialogue inclusive inclusif inclusive assises refondation state etat states etats government gouvernement republic republique
  north south east west central nord sud est ouest centre region regions province district
  session item agenda theme recommendation recommendations recommandation recommandations resolution resolutions
  note notes summary resume report rapport annex annexe chapter chapitre section part partie
  yes no not oui non ne pas very tres good bon
`);

/** Words that make a capitalised sequence organisation-like. */
const ORG_KEYWORDS = set(`
  institute institut network reseau department departement centre center university universite foundation fondation
  ministry ministere mission office bureau agency agence association committee comite commission council conseil
  observatory observatoire museum musee forum alliance coalition initiative trust fund fonds group groupe
  programme program organisation organization organisme secretariat embassy ambassade consulate consulat
`);

/** Capitalised sequences that name bodies discussed as subjects, not affiliations (not findings alone). */
const HARMLESS_BODIES = new Set(
  [
    "united nations", "nations unies", "organisation des nations unies", "european union", "union europeenne", "african union",
    "union africaine", "security council", "conseil de securite", "general assembly", "assemblee generale",
    "human rights council", "conseil des droits de l'homme", "united nations mission", "secretary-general", "secretaire general",
    "peace and security council", "conseil de paix et de securite",
    // The rule every summary's disclaimer names.
    "chatham house", "chatham house rule", "regle de chatham house",
  ].map(fold),
);

const HARMLESS_ACRONYMS = new Set(
  "UN ONU NGO NGOS ONG ONGS IED IEDS EU UE AU UA POC CT DDR SSR RSS GDP PIB HQ TV USD EUR CFA FCFA ECOWAS CEDEAO NATO OTAN MINUSMA UNSC CSNU USAID OK AM PM II III IV VI VII VIII IX XI XII XX XXI NOT AND THE OR ET NE PAS OUI NON NB PS FAQ".split(" "),
);

type Country = { names: string[]; adjectives: string[] };

/** Countries and their adjectives (EN/FR), enough for the demo and the region; roster countries add names. */
const COUNTRIES: Country[] = [
  { names: ["Mali"], adjectives: ["Malian", "malien", "malienne", "maliens", "maliennes"] },
  { names: ["France"], adjectives: ["French", "français", "française", "françaises"] },
  { names: ["Norway", "Norvège"], adjectives: ["Norwegian", "norvégien", "norvégienne", "norvégiens", "norvégiennes"] },
  { names: ["United States", "United States of America", "USA", "US", "États-Unis", "Etats-Unis"], adjectives: ["American", "américain", "américaine", "américains", "américaines"] },
  { names: ["Niger"], adjectives: ["Nigerien", "nigérien", "nigérienne"] },
  { names: ["Burkina Faso"], adjectives: ["Burkinabe", "burkinabè", "burkinabé"] },
  { names: ["Senegal", "Sénégal"], adjectives: ["Senegalese", "sénégalais", "sénégalaise"] },
  { names: ["Chad", "Tchad"], adjectives: ["Chadian", "tchadien", "tchadienne"] },
  { names: ["Algeria", "Algérie"], adjectives: ["Algerian", "algérien", "algérienne"] },
  { names: ["Morocco", "Maroc"], adjectives: ["Moroccan", "marocain", "marocaine"] },
  { names: ["Mauritania", "Mauritanie"], adjectives: ["Mauritanian", "mauritanien", "mauritanienne"] },
  { names: ["Nigeria"], adjectives: ["Nigerian", "nigérian", "nigériane"] },
  { names: ["Germany", "Allemagne"], adjectives: ["German", "allemand", "allemande"] },
  { names: ["United Kingdom", "UK", "Royaume-Uni"], adjectives: ["British", "britannique"] },
  { names: ["Sweden", "Suède"], adjectives: ["Swedish", "suédois", "suédoise"] },
  { names: ["Denmark", "Danemark"], adjectives: ["Danish", "danois", "danoise"] },
  { names: ["Netherlands", "Pays-Bas"], adjectives: ["Dutch", "néerlandais", "néerlandaise"] },
  { names: ["Belgium", "Belgique"], adjectives: ["Belgian", "belge"] },
  { names: ["Germany"], adjectives: [] },
  { names: ["Canada"], adjectives: ["Canadian", "canadien", "canadienne"] },
  { names: ["China", "Chine"], adjectives: ["Chinese", "chinois", "chinoise"] },
  { names: ["Russia", "Russie"], adjectives: ["Russian", "russe"] },
  { names: ["Japan", "Japon"], adjectives: ["Japanese", "japonais", "japonaise"] },
  { names: ["Italy", "Italie"], adjectives: ["Italian", "italien", "italienne"] },
  { names: ["Spain", "Espagne"], adjectives: ["Spanish", "espagnol", "espagnole"] },
  { names: ["Switzerland", "Suisse"], adjectives: ["Swiss", "suisse"] },
  { names: ["Côte d'Ivoire", "Ivory Coast"], adjectives: ["Ivorian", "ivoirien", "ivoirienne"] },
  { names: ["Guinea", "Guinée"], adjectives: ["Guinean", "guinéen", "guinéenne"] },
  { names: ["Ghana"], adjectives: ["Ghanaian", "ghanéen", "ghanéenne"] },
  { names: ["Egypt", "Égypte"], adjectives: ["Egyptian", "égyptien", "égyptienne"] },
  { names: ["Ethiopia", "Éthiopie"], adjectives: ["Ethiopian", "éthiopien", "éthiopienne"] },
  { names: ["Kenya"], adjectives: ["Kenyan", "kényan", "kényane"] },
  { names: ["South Africa", "Afrique du Sud"], adjectives: ["South African", "sud-africain", "sud-africaine"] },
  { names: ["Brazil", "Brésil"], adjectives: ["Brazilian", "brésilien", "brésilienne"] },
  { names: ["India", "Inde"], adjectives: ["Indian", "indien", "indienne"] },
  { names: ["Ireland", "Irlande"], adjectives: ["Irish", "irlandais", "irlandaise"] },
];

/** Normalised token sequences of country names and adjectives, keyed by first token. */
type CountryForm = { lows: string[]; adjective: boolean };
const COUNTRY_FORMS = new Map<string, CountryForm[]>();
function addCountryForm(map: Map<string, CountryForm[]>, form: string, adjective: boolean) {
  const lows = tokenise(form).map((t) => t.low);
  if (lows.length === 0) return;
  const list = map.get(lows[0]) ?? [];
  if (!list.some((f) => f.lows.join(" ") === lows.join(" "))) list.push({ lows, adjective });
  map.set(lows[0], list);
}
for (const c of COUNTRIES) {
  for (const n of c.names) addCountryForm(COUNTRY_FORMS, n, false);
  for (const a of c.adjectives) addCountryForm(COUNTRY_FORMS, a, true);
}

/** Place names that are not people (besides countries). */
const PLACES = set("bamako mopti gao tombouctou timbuktu kidal menaka segou sikasso kayes sahel paris oslo new york geneve geneva");

/** Length of the country form starting at token i (0 if none). */
function countryAt(tokens: Token[], i: number, forms: Map<string, CountryForm[]> = COUNTRY_FORMS): number {
  const list = forms.get(tokens[i]?.low ?? "");
  if (!list) return 0;
  let best = 0;
  for (const f of list) {
    if (f.lows.length > best && f.lows.every((l, k) => tokens[i + k]?.low === l && (k === 0 || /^[\s'-]*$/.test(tokens[i + k].gap)))) best = f.lows.length;
  }
  return best;
}

const SPEECH_EN = set(`
  said says noted notes stated states argued argues stressed stresses explained explains mentioned mentions observed observes
  suggested suggests added adds remarked remarks emphasised emphasized emphasises emphasizes underlined underlines
  highlighted highlights insisted insists warned warns recalled recalls claimed claims proposed proposes told asked asks
  pointed points put believes believed thinks thought felt feels announced acknowledged admitted cautioned contended
`);
const SPEECH_FR = set(`
  declare dit souligne note affirme estime rappele rappelle indique explique precise insiste propose suggere ajoute releve
  averti avertit mentionne fait pense juge considere annonce reconnu reconnait observe constate
`);
const FR_AUX = set("a avait aurait ont");
const COPULAS = set("are were is was have had lack need remain do can will should must cannot could would");
/** Role nouns that make an identifying phrase (singular). */
const ROLE_NOUNS = set(`
  representative ambassador envoy delegation mission spokesperson spokesman spokeswoman delegate chair head director
  representant representante ambassadeur ambassadrice envoye envoyee delegation mission porte-parole delegue deleguee
  president presidente directeur directrice chef
`);
/** People described by their nationality: "our Norwegian colleague", "notre collègue norvégienne". */
const PERSON_NOUNS = set("colleague counterpart friend collegue homologue ami amie consoeur confrere");
const POSSESSIVES = set("our my their his her notre mon ma leur son sa the le la l");
/** Capitalised offices that identify a person in the room when they act ("The Vice President opened"). */
const OFFICES = set("president chair chairperson director minister secretary coordinator rapporteur governor mayor maire prefet prefect");
const OFFICE_PREFIXES = set("vice deputy special executive regional national general adjoint");
const ACTS_EN = set("opened closed chaired welcomed presented introduced concluded summarised summarized");
/** Role nouns identifying even with no complement when definite and singular ("the ambassador said"). */
const BARE_ROLES = set("ambassador envoy ambassadeur ambassadrice envoye envoyee");
const GOVERNMENT = set("government gouvernement authorities autorites");
const PREPS = set("of from at for with de du des d aupres");
const ARTICLES = set("the a an le la les l un une");
const DEF_ARTICLES = set("the le la l");
const INDEFINITE = set("a an one any some un une certain certains plusieurs");
const NAME_PARTICLES = set("de van von der al el bin ben da dos du ould ag la le");
const CONNECTORS = set("of for the on and to in de du des la le pour et l d sur en");

type TitleSpec = { low: string; kind: "participant" | "expert" | "state"; needsDot?: boolean };
const TITLES: TitleSpec[] = [
  ...["dr", "doctor", "docteur", "professor", "prof", "professeur", "professeure"].map((low) => ({ low, kind: "expert" as const })),
  ...["ambassador", "ambassadeur", "ambassadrice", "minister", "ministre", "envoy"].map((low) => ({ low, kind: "state" as const })),
  ...["mr", "mrs", "ms", "mme", "mmes", "mlle", "madame", "monsieur", "sir", "dame", "general", "colonel", "captain", "capitaine", "judge", "juge", "senator", "senateur"].map(
    (low) => ({ low, kind: "participant" as const }),
  ),
  { low: "m", kind: "participant", needsDot: true },
];
const TITLE_MAP = new Map(TITLES.map((t) => [t.low, t]));

// ---------------------------------------------------------------------------------------------
// Suggestions

type SuggestionKey = "participant" | "expert" | "organisation" | "state" | "noted" | "according";
const SUGGESTIONS: Record<Lang, Record<SuggestionKey, string>> = {
  en: {
    participant: "a participant",
    expert: "an expert",
    organisation: "an organisation",
    state: "a representative of a member state",
    noted: "as was noted",
    according: "according to a participant",
  },
  fr: {
    participant: "un participant",
    expert: "un expert",
    organisation: "une organisation",
    state: "un représentant d'un État membre",
    noted: "comme cela a été souligné",
    according: "selon un participant",
  },
};

const FR_STOP = set("le la les des du de est et un une que qui pour dans sur ont été avec au aux ce cette il elle ils nous selon comme pas");
const EN_STOP = set("the of and is are was were to in that for with on said has have this by it as be from an");

/** A tiny language heuristic: French vs English stop words. */
export function detectLang(text: string): Lang {
  let fr = 0;
  let en = 0;
  for (const t of tokenise(text)) {
    if (FR_STOP.has(t.low)) fr++;
    if (EN_STOP.has(t.low)) en++;
  }
  return fr > en ? "fr" : "en";
}

// ---------------------------------------------------------------------------------------------
// Generic (roster-free) findings

function isNameToken(t: Token | undefined): boolean {
  return !!t && t.cap && !NOT_NAME.has(t.low) && !/^\d/.test(t.raw);
}

function tight(t: Token | undefined): boolean {
  return !!t && /^[ \t\u00a0]+$/.test(t.gap);
}

/** End index (exclusive) of a run of name tokens starting at i, allowing particles inside ("Charles de Gaulle"). */
function nameRunEnd(tokens: Token[], i: number): number {
  if (!isNameToken(tokens[i])) return i;
  const shape = tokens[i].allCaps;
  let j = i + 1;
  let end = i + 1;
  while (j < tokens.length && tight(tokens[j])) {
    const t = tokens[j];
    if (isNameToken(t) && t.allCaps === shape && !countryAt(tokens, j)) {
      j++;
      end = j;
    } else if (!t.cap && NAME_PARTICLES.has(t.low) && isNameToken(tokens[j + 1]) && tight(tokens[j + 1]) && tokens[j + 1].allCaps === shape) {
      j++;
    } else if (t.cap && NAME_PARTICLES.has(t.low) && j + 1 < tokens.length && isNameToken(tokens[j + 1]) && tight(tokens[j + 1])) {
      j++; // "Iyad Ag Ghaly"
    } else break;
  }
  return end;
}

function isHarmlessAcronym(t: Token): boolean {
  return HARMLESS_ACRONYMS.has(t.raw.toUpperCase());
}

function isAcronym(t: Token | undefined): boolean {
  return !!t && t.allCaps && /^\p{Lu}{2,6}s?$/u.test(t.raw);
}

/** An identifying object: a run of name tokens, an acronym, a country, or an organisation-like run. Returns its end. */
function objectEnd(tokens: Token[], i: number): number {
  let k = i;
  while (k < tokens.length && DEF_ARTICLES.has(tokens[k].low) && !tokens[k].cap) k++;
  if (k >= tokens.length) return i;
  const t = tokens[k];
  if (INDEFINITE.has(t.low)) return i;
  const c = countryAt(tokens, k);
  if (c) return k + c;
  if (isAcronym(t)) return k + 1;
  if (t.cap && !NOT_NAME.has(t.low)) {
    const org = orgRunEnd(tokens, k);
    if (org > k) return org;
    return Math.max(nameRunEnd(tokens, k), k + 1);
  }
  // "the United Nations", "the Security Council": capitalised but lexicon words
  if (t.cap) {
    const org = orgRunEnd(tokens, k);
    return org > k ? org : i;
  }
  return i;
}

/** A capitalised run with connectors ("Permanent Mission of France to the United Nations"). */
function orgRunEnd(tokens: Token[], i: number): number {
  if (!tokens[i]?.cap) return i;
  let j = i + 1;
  let end = i + 1;
  while (j < tokens.length && /^[\s'-]*$/.test(tokens[j].gap)) {
    const t = tokens[j];
    if (t.cap) {
      j++;
      end = j;
    } else if (CONNECTORS.has(t.low)) j++;
    else break;
  }
  return end;
}

function isCountryAdjectiveFr(t: Token | undefined): boolean {
  return !!t && !t.cap && /(ien|ienne|iens|iennes|ais|aise|aises|ain|aine|ains|aines|ois|oise|oises|ique)$/.test(t.low) && !SPEECH_FR.has(t.low);
}


class Collector {
  readonly findings: Finding[] = [];
  constructor(
    readonly text: string,
    readonly tokens: Token[],
    readonly lang: Lang,
  ) {}
  add(from: number, to: number, kind: FindingKind, key: SuggestionKey) {
    if (to <= from) return;
    const start = this.tokens[from].start;
    const end = this.tokens[to - 1].end;
    this.addSpan(start, end, kind, key);
  }
  addSpan(start: number, end: number, kind: FindingKind, key: SuggestionKey) {
    this.findings.push({ start, end, kind, text: this.text.slice(start, end), suggestion: SUGGESTIONS[this.lang][key] });
  }
}

function isPersonRun(tokens: Token[], i: number, end: number): boolean {
  const lows = tokens.slice(i, end).map((t) => t.low);
  const joined = lows.join(" ");
  if (HARMLESS_BODIES.has(joined)) return false;
  if (lows.some((l) => ORG_KEYWORDS.has(l))) return false;
  if (lows.every((l) => PLACES.has(l))) return false;
  if (countryAt(tokens, i) === end - i) return false;
  if (tokens.slice(i, end).every((t) => isAcronym(t) && t.raw.length <= 6 && isHarmlessAcronym(t))) return false;
  return true;
}

function genericInto(c: Collector) {
  const { tokens, lang } = c;
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    const low = t.low;

    // Person-like names: two or more capitalised words.
    if (isNameToken(t) && !(tokens[i - 1]?.cap && tight(t))) {
      const end = nameRunEnd(tokens, i);
      if (end - i >= 2 && isPersonRun(tokens, i, end)) c.add(i, end, "name", "participant");
    }

    // Organisation-like capitalised runs ("Nordic Institute for Conflict Studies").
    if (t.cap && !(tokens[i - 1]?.cap && tight(t))) {
      const end = orgRunEnd(tokens, i);
      const lows = tokens.slice(i, end).map((x) => x.low);
      let s = i;
      while (s < end && ARTICLES.has(tokens[s].low)) s++;
      const joined = tokens.slice(s, end).map((x) => x.low).join(" ");
      if (end - s >= 2 && lows.some((l) => ORG_KEYWORDS.has(l)) && !HARMLESS_BODIES.has(joined) && !HARMLESS_BODIES.has(joined.replace(/^(the|la|le|l) /, ""))) {
        c.add(s, end, "organisation", "organisation");
      }
    }

    // French-style organisation names, capitalised on the first word only: "du Département des opérations de paix".
    if (t.cap && ORG_KEYWORDS.has(low) && !t.sentenceStart && !(tokens[i - 1]?.cap && tight(t)) && tokens[i + 1] && !tokens[i + 1].cap && tight(tokens[i + 1])) {
      let end = i + 1;
      for (let k = i + 1; k < Math.min(n, i + 7); k++) {
        const x = tokens[k];
        if (!/^[ '\u2019]+$/.test(x.gap) || x.cap || FR_AUX.has(x.low) || SPEECH_EN.has(x.low) || SPEECH_FR.has(x.low) || ["is", "are", "was", "has", "est", "sont"].includes(x.low)) break;
        end = k + 1;
      }
      while (end > i + 1 && CONNECTORS.has(tokens[end - 1].low)) end--;
      c.add(i, end, "organisation", "organisation");
    }

    // Organisation-like acronyms.
    if (isAcronym(t) && !isHarmlessAcronym(t) && !(tokens[i - 1]?.allCaps && tight(t) && tokens[i - 1].raw.length > 1) && !(tokens[i + 1]?.allCaps && tight(tokens[i + 1]))) {
      c.add(i, i + 1, "organisation", "organisation");
    }

    // Titles with a name: "Dr Smith", "M. Traoré", "Mme Diallo", "Ambassador X", "le professeur X".
    const title = TITLE_MAP.get(low);
    if (title && (t.cap || (tokens[i - 1] && DEF_ARTICLES.has(tokens[i - 1].low)))) {
      const dotted = tokens[i + 1]?.gap.startsWith(".");
      if (!title.needsDot || (dotted && t.raw === "M")) {
        const next = tokens[i + 1];
        if (next && isNameToken(next) && /^\.?\s+$/.test(next.gap) && !countryAt(tokens, i + 1)) {
          const from = !t.cap && tokens[i - 1] && DEF_ARTICLES.has(tokens[i - 1].low) ? i - 1 : i;
          const end = Math.max(nameRunEnd(tokens, i + 1), i + 2);
          c.add(from, end, "title", title.kind);
        }
      }
    }

    // Role phrases: "the representative of France", "la représentante de l'IPD", "the delegation from Mali".
    if (ROLE_NOUNS.has(low) && !t.raw.endsWith("s")) {
      const prev = tokens[i - 1];
      const from = prev && ARTICLES.has(prev.low) && !INDEFINITE.has(prev.low) ? i - 1 : prev && (prev.low === "a" || prev.low === "an" || prev.low === "un" || prev.low === "une") ? i - 1 : i;
      const prep = tokens[i + 1];
      let done = false;
      if (prep && PREPS.has(prep.low)) {
        const objStart = i + 2;
        const end = objectEnd(tokens, objStart);
        const isCountry = end > objStart && countryAt(tokens, skipArticles(tokens, objStart)) > 0;
        // "the mission of MINUSMA is to protect civilians" is a subject; a mission only identifies with a country.
        if (end > objStart && (isCountry || low !== "mission")) {
          c.add(from, end, isCountry ? "country" : "phrase", isCountry ? "state" : "participant");
          done = true;
        }
      }
      // French adjective after the noun: "la délégation malienne", "l'ambassadeur français".
      if (!done && prev && DEF_ARTICLES.has(prev.low) && (isCountryAdjectiveFr(tokens[i + 1]) || countryAt(tokens, i + 1))) {
        c.add(i - 1, i + 1 + Math.max(1, countryAt(tokens, i + 1)), "country", "state");
        done = true;
      }
      // Bare definite "the ambassador", "l'ambassadrice".
      if (!done && BARE_ROLES.has(low) && prev && DEF_ARTICLES.has(prev.low)) {
        c.add(i - 1, i + 1, "phrase", "state");
      }
    }

    // "notre collègue norvégienne", "our Norwegian colleague".
    if (PERSON_NOUNS.has(low) && !t.raw.endsWith("s") && tokens[i - 1] && POSSESSIVES.has(tokens[i - 1].low)) {
      const after = countryAt(tokens, i + 1);
      if (after && COUNTRY_FORMS.get(tokens[i + 1].low)?.some((f) => f.adjective)) c.add(i - 1, i + 1 + after, "country", "participant");
    }
    if (POSSESSIVES.has(low) && tokens[i + 1]) {
      const cl = countryAt(tokens, i + 1);
      const noun = tokens[i + 1 + cl];
      if (cl && noun && PERSON_NOUNS.has(noun.low) && !noun.raw.endsWith("s")) c.add(i, i + 2 + cl, "country", "participant");
    }

    // "The Vice President opened the discussion": a capitalised office acting in the room.
    if (DEF_ARTICLES.has(low) && tokens[i + 1]?.cap) {
      let k = i + 1;
      while (tokens[k] && tokens[k].cap && OFFICE_PREFIXES.has(tokens[k].low)) k++;
      const office = tokens[k];
      if (office && office.cap && OFFICES.has(office.low) && !office.raw.endsWith("s") && !(tokens[k + 1] && PREPS.has(tokens[k + 1].low))) {
        // Chairing acts always; speech only with a qualifier ("the Vice President said"): "the President said" is
        // more often a head of state discussed than a person in the room.
        if ((tokens[k + 1] && ACTS_EN.has(tokens[k + 1].low)) || (k > i + 1 && speechAfter(tokens, k + 1))) c.add(i, k + 1, "title", "participant");
      }
    }

    // "the Malian delegation", "the French ambassador", "from the IPD mission".
    if (DEF_ARTICLES.has(low) && i + 2 < n) {
      const cl = countryAt(tokens, i + 1);
      const role = tokens[i + 1 + Math.max(cl, 1)];
      if (role && ROLE_NOUNS.has(role.low) && !role.raw.endsWith("s")) {
        if (cl) c.add(i, i + 2 + cl, "country", "state");
        else if (isAcronym(tokens[i + 1]) && !isHarmlessAcronym(tokens[i + 1])) c.add(i, i + 3, "phrase", "participant");
      }
    }

    // "France's mission", "Mali's delegation", "IPD's representative".
    if (low === "s" && tokens[i - 1] && /^'$/.test(t.gap)) {
      let r = i + 1;
      if (tokens[r] && ["permanent", "senior"].includes(tokens[r].low)) r++;
      const role = tokens[r];
      if (role && (ROLE_NOUNS.has(role.low) || GOVERNMENT.has(role.low)) && !role.raw.endsWith("s")) {
        // find the owner's start
        let s = i - 1;
        while (s > 0 && tokens[s - 1].cap && tight(tokens[s])) s--;
        const owner = tokens[s];
        const isGov = GOVERNMENT.has(role.low);
        if (owner.cap && (!isGov || speechAfter(tokens, r + 1))) {
          const isCountry = countryAt(tokens, s) > 0;
          c.add(s, r + 1, isCountry ? "country" : "phrase", isCountry ? "state" : "participant");
        }
      }
    }

    // "the government of Mali said", "le gouvernement du Mali a déclaré".
    if (GOVERNMENT.has(low) && tokens[i + 1] && PREPS.has(tokens[i + 1].low)) {
      const end = objectEnd(tokens, i + 2);
      if (end > i + 2 && speechAfter(tokens, end)) {
        const from = tokens[i - 1] && DEF_ARTICLES.has(tokens[i - 1].low) ? i - 1 : i;
        c.add(from, end, "country", "state");
      }
    }

    // "as X said", "as the moderator noted".
    if (low === "as" && i + 2 < n) {
      let s = i + 1;
      let ok = false;
      if (tokens[s].low === "the" || tokens[s].low === "our") {
        if (ROLE_NOUNS.has(tokens[s + 1]?.low ?? "") || ["moderator", "chair", "chairperson", "panelist", "panellist", "speaker", "minister", "professor", "coordinator", "counsellor", "counselor"].includes(tokens[s + 1]?.low ?? "")) {
          s += 2;
          ok = true;
        }
      } else {
        const end = subjectEnd(tokens, s);
        if (end > s) {
          s = end;
          ok = true;
        }
      }
      if (ok && tokens[s] && SPEECH_EN.has(tokens[s].low)) {
        let end = s + 1;
        if (tokens[end] && ["out", "it"].includes(tokens[end].low)) end++;
        c.add(i, end, "phrase", "noted");
      }
    }

    // "according to X", "selon X".
    if ((low === "according" && tokens[i + 1]?.low === "to") || low === "selon") {
      const s = low === "selon" ? i + 1 : i + 2;
      const end = subjectEnd(tokens, s, true);
      if (end > s) c.add(i, end, "phrase", "according");
    }

    // "comme l'a dit X", "comme l'a souligné Mme Diallo".
    if (low === "comme" && tokens[i + 1]?.low === "l" && FR_AUX.has(tokens[i + 2]?.low ?? "") && SPEECH_FR.has(tokens[i + 3]?.low ?? "")) {
      let s = i + 4;
      if (tokens[s]?.low === "remarquer" || tokens[s]?.low === "valoir" || tokens[s]?.low === "observer") s++;
      const end = subjectEnd(tokens, s, true);
      if (end > s) c.add(i, end, "phrase", "noted");
    }
    // "comme le propose X", "comme le souligne Mme Diallo".
    if (low === "comme" && tokens[i + 1]?.low === "le" && SPEECH_FR.has(tokens[i + 2]?.low ?? "")) {
      const end = subjectEnd(tokens, i + 3, true);
      if (end > i + 3) c.add(i, end, "phrase", "noted");
    }
    // "comme X l'a dit".
    if (low === "comme") {
      const end = subjectEnd(tokens, i + 1);
      if (end > i + 1 && tokens[end]?.low === "l" && FR_AUX.has(tokens[end + 1]?.low ?? "") && SPEECH_FR.has(tokens[end + 2]?.low ?? "")) {
        c.add(i, end + 3, "phrase", "noted");
      }
    }

    // "X said (that)", "X a déclaré", "X souligne": X a person-like subject.
    if (t.cap && !(tokens[i - 1]?.cap && tight(t))) {
      const end = subjectEnd(tokens, i);
      if (end > i && speechDirectlyAfter(tokens, end, lang)) c.add(i, end, "name", "participant");
    }
  }
  mergeAffiliations(c);
}

function skipArticles(tokens: Token[], i: number): number {
  while (i < tokens.length && DEF_ARTICLES.has(tokens[i].low) && !tokens[i].cap) i++;
  return i;
}

/** A person-like subject starting at i: a name run (not a country, place or lexicon word) or a title with a name. Returns its end. */
function subjectEnd(tokens: Token[], i: number, allowAcronym = false): number {
  const t = tokens[i];
  if (!t) return i;
  const title = TITLE_MAP.get(t.low);
  if (title && t.cap && isNameToken(tokens[i + 1]) && (!title.needsDot || tokens[i + 1].gap.startsWith("."))) return nameRunEnd(tokens, i + 1);
  if ((t.low === "le" || t.low === "la" || t.low === "the") && TITLE_MAP.has(tokens[i + 1]?.low ?? "") && isNameToken(tokens[i + 2])) return nameRunEnd(tokens, i + 2);
  if (allowAcronym) {
    const k = skipArticles(tokens, i);
    if (isAcronym(tokens[k]) && !isHarmlessAcronym(tokens[k])) return k + 1;
  }
  if (!isNameToken(t) || countryAt(tokens, i) || PLACES.has(t.low)) return i;
  if (isAcronym(t) && !allowAcronym) return i;
  const end = nameRunEnd(tokens, i);
  if (!isPersonRun(tokens, i, end)) return i;
  // One capitalised English plural ("Farmers said", "Residents noted") is a group, not a person.
  if (end === i + 1 && !t.allCaps && t.low.length > 4 && /(ers|ists|ants|ents|ors|ees|ies)$/.test(t.low)) return i;
  return end;
}

function speechDirectlyAfter(tokens: Token[], i: number, _lang: Lang): boolean {
  const t = tokens[i];
  if (!t || !/^[\s,]*$/.test(t.gap) || t.gap.includes(",")) return false;
  // "Water points are far": a plural noun, not "X points out".
  if (SPEECH_EN.has(t.low) && t.low.endsWith("s") && COPULAS.has(tokens[i + 1]?.low ?? "")) return false;
  // "Water points in Mopti" (a heading): "points" speaks only as "points out" / "points to".
  if ((t.low === "points" || t.low === "pointed") && !["out", "to"].includes(tokens[i + 1]?.low ?? "")) return false;
  if (SPEECH_EN.has(t.low)) return true;
  if (SPEECH_FR.has(t.low) && !["note", "fait", "dit"].includes(t.low)) return true;
  if (FR_AUX.has(t.low) && SPEECH_FR.has(tokens[i + 1]?.low ?? "")) return true;
  return false;
}

function speechAfter(tokens: Token[], i: number): boolean {
  for (let k = i; k < Math.min(tokens.length, i + 3); k++) {
    if (SPEECH_EN.has(tokens[k].low) || SPEECH_FR.has(tokens[k].low)) return true;
  }
  return false;
}

/** "Ingrid Halvorsen of NICS", "Daniel Okafor (IPD)": a name with its affiliation is one finding. */
function mergeAffiliations(c: Collector) {
  const names = c.findings.filter((f) => f.kind === "name" || f.kind === "title");
  const orgs = c.findings.filter((f) => f.kind === "organisation");
  for (const nm of names) {
    for (const o of orgs) {
      const between = c.text.slice(nm.end, o.start);
      if (o.start >= nm.end && /^(\s*,?\s*(of|from|at|with|de|du|des|d'|de la|de l'|avec)\s+(the\s+|la\s+|le\s+|l')?|\s*\(\s*)$/iu.test(between)) {
        const end = c.text[o.end] === ")" && between.includes("(") ? o.end + 1 : o.end;
        c.addSpan(nm.start, end, "phrase", "participant");
      }
    }
  }
}

const KIND_PRIORITY: Record<FindingKind, number> = { name: 0, organisation: 1, title: 2, country: 3, phrase: 4 };

/** Merge overlapping findings into one (union span; the longest constituent's kind and suggestion). */
function resolve(text: string, findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: { f: Finding; best: Finding }[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.f.end) {
      const end = Math.max(last.f.end, f.end);
      const lf = f.end - f.start;
      const lb = last.best.end - last.best.start;
      const best = lf > lb || (lf === lb && KIND_PRIORITY[f.kind] > KIND_PRIORITY[last.best.kind]) ? f : last.best;
      last.best = best;
      last.f = { ...last.f, end, kind: best.kind, suggestion: best.suggestion, text: text.slice(last.f.start, end) };
    } else out.push({ f, best: f });
  }
  return out.map((o) => o.f);
}

function langOf(text: string, lang?: Lang): Lang {
  return lang ?? detectLang(text);
}

/** Roster-free findings (English and French identifying phrases, person-like names, acronyms). */
export function genericFindings(text: string, lang?: Lang): Finding[] {
  const c = new Collector(text, tokenise(text), langOf(text, lang));
  genericInto(c);
  return resolve(text, c.findings);
}

// ---------------------------------------------------------------------------------------------
// Roster index

type Candidate = {
  lows: string[];
  kind: "name" | "organisation" | "acronym" | "title" | "country";
  /** Acronyms of 2-4 letters: the text token must be upper case. */
  upper?: boolean;
  /** Single-token names: the text token must be capitalised (so "marchand" the noun is not a finding). */
  cap?: boolean;
  adjective?: boolean;
};

export type RosterIndex = {
  /** First normalised token -> candidate phrases. */
  byFirst: Map<string, Candidate[]>;
  size: number;
};

export function buildRosterIndex(entries: readonly GuardRosterEntry[]): RosterIndex {
  const byFirst = new Map<string, Candidate[]>();
  const seen = new Set<string>();
  const add = (phrase: string | undefined, kind: Candidate["kind"], extra: Partial<Candidate> = {}) => {
    if (!phrase || !phrase.trim()) return;
    const lows = tokenise(phrase).map((t) => t.low);
    if (lows.length === 0) return;
    const key = `${kind}:${lows.join(" ")}`;
    if (seen.has(key)) return;
    seen.add(key);
    const cand: Candidate = { lows, kind, ...extra };
    if (kind === "name" && lows.length === 1) cand.cap = true;
    const list = byFirst.get(lows[0]) ?? [];
    list.push(cand);
    byFirst.set(lows[0], list);
  };
  for (const e of entries) {
    add(e.name, "name");
    for (const s of e.shortForms ?? []) add(s, "name");
    add(e.organisation, "organisation");
    for (const a of e.acronyms ?? []) {
      const letters = a.replace(/[^\p{L}]/gu, "");
      add(a, "acronym", { upper: letters.length >= 2 && letters.length <= 4 });
    }
    add(e.title, "title");
    if (e.country) {
      add(e.country, "country");
      const known = COUNTRIES.find((c) => c.names.some((n) => fold(n) === fold(e.country ?? "")));
      for (const n of known?.names ?? []) add(n, "country");
      for (const a of known?.adjectives ?? []) add(a, "country", { adjective: true });
    }
  }
  return { byFirst, size: entries.length };
}

function rosterInto(c: Collector, index: RosterIndex) {
  const { tokens } = c;
  for (let i = 0; i < tokens.length; i++) {
    const list = index.byFirst.get(tokens[i].low);
    if (!list) continue;
    for (const cand of list) {
      const len = cand.lows.length;
      let ok = true;
      for (let k = 1; k < len && ok; k++) ok = tokens[i + k]?.low === cand.lows[k] && /^[\s'-]*$/.test(tokens[i + k].gap);
      if (!ok) continue;
      const t = tokens[i];
      switch (cand.kind) {
        case "name":
          if (cand.cap && !t.cap) break;
          c.add(i, i + len, "name", "participant");
          break;
        case "organisation":
          c.add(i, i + len, "organisation", "organisation");
          break;
        case "acronym":
          if (cand.upper && !(len === 1 ? t.allCaps : tokens.slice(i, i + len).every((x) => x.raw === x.raw.toUpperCase()))) break;
          c.add(i, i + len, "organisation", "organisation");
          break;
        case "title":
          rosterTitle(c, i, len);
          break;
        case "country":
          rosterCountry(c, i, len);
          break;
      }
    }
  }
}

/** A roster title counts only in an identifying phrase: with a name, "of/at X", or "the <title> said". */
function rosterTitle(c: Collector, i: number, len: number) {
  const { tokens } = c;
  const next = tokens[i + len];
  const prev = tokens[i - 1];
  const from = prev && DEF_ARTICLES.has(prev.low) ? i - 1 : i;
  if (next && ((isNameToken(next) && tight(next) && !countryAt(tokens, i + len)) || PREPS.has(next.low))) {
    const end = isNameToken(next) && tight(next) ? nameRunEnd(tokens, i + len) : i + len;
    c.add(from, end, "title", "expert");
  } else if (prev && DEF_ARTICLES.has(prev.low) && speechAfter(tokens, i + len)) {
    c.add(from, i + len, "title", "expert");
  }
}

/** A roster country counts only inside an identifying phrase. */
function rosterCountry(c: Collector, i: number, len: number) {
  const { tokens } = c;
  // Before: ROLE (of|from|de|du|d') [article] COUNTRY
  let k = i - 1;
  while (k >= 0 && DEF_ARTICLES.has(tokens[k].low) && !tokens[k].cap) k--;
  if (k >= 1 && PREPS.has(tokens[k].low) && (ROLE_NOUNS.has(tokens[k - 1].low) || (GOVERNMENT.has(tokens[k - 1].low) && speechAfter(tokens, i + len)))) {
    const from = tokens[k - 2] && ARTICLES.has(tokens[k - 2].low) ? k - 2 : k - 1;
    c.add(from, i + len, "country", "state");
    return;
  }
  // French adjective after the noun: "la délégation malienne".
  if (k === i - 1 && tokens[i - 1] && ROLE_NOUNS.has(tokens[i - 1].low) && !tokens[i].cap) {
    const from = tokens[i - 2] && ARTICLES.has(tokens[i - 2].low) ? i - 2 : i - 1;
    c.add(from, i + len, "country", "state");
    return;
  }
  // After: COUNTRY ROLE ("the Malian delegation"), COUNTRY's ROLE ("France's mission").
  let r = i + len;
  if (tokens[r]?.low === "s" && tokens[r].gap === "'") r++;
  if (tokens[r] && ["permanent", "senior"].includes(tokens[r].low)) r++;
  const role = tokens[r];
  if (role && (ROLE_NOUNS.has(role.low) || (GOVERNMENT.has(role.low) && speechAfter(tokens, r + 1))) && !role.raw.endsWith("s")) {
    const from = tokens[i - 1] && DEF_ARTICLES.has(tokens[i - 1].low) ? i - 1 : i;
    c.add(from, r + 1, "country", "state");
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** What someone who may not see the roster is told: generic findings only, never the roster. */
export function checkForParticipant(text: string, lang?: Lang): Finding[] {
  return genericFindings(text, lang);
}

/** What staff are told: generic findings plus roster findings, merged by span. */
export function checkForStaff(text: string, index: RosterIndex, lang?: Lang): Finding[] {
  const c = new Collector(text, tokenise(text), langOf(text, lang));
  genericInto(c);
  rosterInto(c, index);
  return resolve(text, c.findings);
}

// The rewording lives on its own so that pages can apply it without loading the guard itself.
export { rewrite } from "./guard-rewrite";
