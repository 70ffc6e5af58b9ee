/**
 * The summary's first draft (SPEC section 5), pure and deterministic: from a SummarySource (gathered
 * by summary-source.server.ts) to Markdown in the shape of a published roundtable note (the reference
 * IPI note on Mali): the title and a dated line, the context, a format paragraph, one section per
 * agenda item written as prose, the recommendations grouped by addressee with their consensus
 * wording, and the non-attribution disclaimer. Text for a rapporteur to edit; the phrasing in English
 * and French is in summary-wording.ts.
 *
 * Rules kept here:
 * - Nobody is named or attributed: notes are reported as "Participants noted that…", "One participant
 *   stressed that…". The only names are the panelists', as a group, when the source carries them (the
 *   organiser chose to list them). The moderator is mentioned by role only.
 * - Participant numbers by category get small-count protection (small-groups.ts), here again though
 *   the source is protected already. Recommendations are worded by consensus-wording.ts for the public
 *   audience: the session's numbers switch applies, and no count is given under 10 people counted.
 * - Every piece of user text is escaped (markdown.ts): a note cannot become a heading, a link or HTML.
 * - Same source and language, same text: everything is sorted explicitly, no clock is read.
 */
import type { ConsensusResult } from "./consensus";
import { readsAsClause, wordRecommendation, type WordingLang } from "./consensus-wording";
import { escapeBlock, escapeInline, oneLine } from "./markdown";
import type { AttributionMode, NoteKind } from "./notes";
import { mergeSmallGroups, type GroupCount } from "./small-groups";
import {
  DICTIONARIES,
  fold,
  listOf,
  noteReadsAsClause,
  properNounsIn,
  toClause,
  type Dictionary,
  type Horizon,
  type ParticipantCategory,
  type ProperNouns,
  type SessionKind,
} from "./summary-wording";

export type { Horizon, ParticipantCategory, SessionKind } from "./summary-wording";
export type SummaryLanguage = WordingLang;
export type Bilingual = { en: string; fr: string };

/** A curated note as the draft may use it: visible (not hidden, held, merged away or withdrawn), no authorship. */
export type SummaryNote = {
  id: string;
  kind: NoteKind;
  text: string;
  /** Highlighted by a curator as a key point. */
  keyPoint: boolean;
  /** How many other notes were merged into this one (several people made the point). */
  merged: number;
  /** The note's first theme, to group paragraphs; null without a theme. */
  themeId: string | null;
  /** The minute it was written (ms since the epoch, floored): the order of the discussion. */
  minute: number;
};

export type SummaryItem = {
  id: string;
  position: number;
  title: string;
  /** The item's effective mode (its own, or the session's). */
  attributionMode: AttributionMode;
  notes: SummaryNote[];
};

/** Adopted and not adopted recommendations only: drafts and undecided ones are not summary material. */
export type SummaryRecommendation = {
  id: string;
  text: string;
  status: "adopted" | "not_adopted";
  addressee: { id: string; label: Bilingual } | null;
  theme: Bilingual | null;
  horizon: Horizon | null;
  /** The agenda item's position, for ordering; null when not tied to an item. */
  itemPosition: number | null;
  /** The result of the current round when it closed; null when the current wording was never put to the room. */
  result: ConsensusResult | null;
  createdAt: number;
};

export type SummarySource = {
  session: {
    title: string;
    description: string;
    /** Co-hosting organisations, in the order the organiser wrote them. */
    coHosts: string[];
    kind: SessionKind;
    languages: string[];
    startsAt: number | null;
    endsAt: number | null;
    /** IANA time zone: the date is given in the session's own time zone. */
    timeZone: string;
    attributionMode: AttributionMode;
    /** Organiser's switch: numbers beside consensus wording. */
    showNumbers: boolean;
    /** The locality's name, said for local dialogues and plenaries ("in Bandiagara"); null when none. */
    locality: string | null;
  };
  /** How many moderators ran the session (a role public by nature). */
  moderators: number;
  participants: {
    /** How many people took part (panelists, participants, observers), as far as the data tells. */
    total: number;
    /** The roster's categories, small-count protected; they may account for fewer people than `total`. */
    byCategory: GroupCount<ParticipantCategory>[];
  };
  /** Panelists by name and affiliation, only when the organiser chose to list them; otherwise null. */
  panelists: { name: string; affiliation: string }[] | null;
  items: SummaryItem[];
  recommendations: SummaryRecommendation[];
};

/** The language a draft is written in by default: the session's first language that is English or French. */
export function defaultSummaryLanguage(languages: readonly string[]): SummaryLanguage {
  return (languages.find((l) => l === "en" || l === "fr") as SummaryLanguage | undefined) ?? "fr";
}

// ---------------------------------------------------------------------------------------------
// Ordering (explicit everywhere: the same data always gives the same text)

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byText = (locale: string) => {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  return (a: string, b: string) => collator.compare(a, b) || compareCodeUnits(a, b);
};
const byId = (a: { id: string }, b: { id: string }) => compareCodeUnits(a.id, b.id);
const byDiscussion = (a: SummaryNote, b: SummaryNote) => a.minute - b.minute || byId(a, b);

const CATEGORY_ORDER: ParticipantCategory[] = ["academic", "un_official", "diplomat", "ngo", "government", "community", "media", "other"];

/** Categories protected again, largest first, "other" last, a fixed order on ties. */
export function protectedCategories(groups: readonly GroupCount<ParticipantCategory>[]): GroupCount<ParticipantCategory>[] {
  const byCategory = CATEGORY_ORDER.map((key) => ({ key, count: groups.filter((g) => g.key === key).reduce((n, g) => n + g.count, 0) }));
  const rank = (g: GroupCount<ParticipantCategory>) => (g.key === "other" ? 1 : 0);
  return mergeSmallGroups(byCategory).sort((a, b) => rank(a) - rank(b) || b.count - a.count || CATEGORY_ORDER.indexOf(a.key) - CATEGORY_ORDER.indexOf(b.key));
}

function formatDate(at: number, timeZone: string, locale: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: "long", day: "numeric", month: "long", year: "numeric" };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(at);
  }
}

// ---------------------------------------------------------------------------------------------
// Title, context and format

function header(source: SummarySource, d: Dictionary): string[] {
  const s = source.session;
  const date = s.startsAt !== null ? formatDate(s.startsAt, s.timeZone, d.locale) : null;
  const place = s.kind !== "roundtable" && s.locality ? escapeInline(s.locality) : null;
  const out = [`# ${escapeInline(s.title)}`, `_${[d.kindTitle[s.kind], place, date].filter(Boolean).join(" · ")}_`];
  for (const para of s.description.split(/\n\s*\n/)) if (oneLine(para)) out.push(escapeBlock(para));
  return out;
}

function formatParagraph(source: SummarySource, d: Dictionary): string {
  const s = source.session;
  const date = s.startsAt !== null ? formatDate(s.startsAt, s.timeZone, d.locale) : null;
  const place = s.kind !== "roundtable" && s.locality ? escapeInline(s.locality) : null;
  const hosts = s.coHosts.map(oneLine).filter(Boolean);
  const sentences = [d.convened({ date, place, hosts, kind: d.kindNoun[s.kind], title: d.quote(escapeInline(s.title)) })];
  const groups = protectedCategories(source.participants.byCategory);
  const counted = groups.reduce((n, g) => n + g.count, 0);
  const total = Math.max(counted, Math.floor(source.participants.total) || 0);
  const gathered = d.gathered({ moderators: Math.max(0, Math.floor(source.moderators) || 0), total, groups, complete: counted === total });
  if (gathered) sentences.push(gathered);
  if (source.panelists && source.panelists.length > 0) sentences.push(d.panelists(panelistList(source.panelists, d.locale), source.panelists.length));
  return sentences.join(" ");
}

/** "A and B (Org), C (Other)": sorted by name, those of one affiliation together, as in the reference. */
function panelistList(panelists: { name: string; affiliation: string }[], locale: string): string {
  const cmp = byText(locale);
  const sorted = panelists
    .map((p) => ({ name: oneLine(p.name), affiliation: oneLine(p.affiliation) }))
    .filter((p) => p.name)
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.affiliation, b.affiliation));
  const groups: { affiliation: string; names: string[] }[] = [];
  for (const p of sorted) {
    const g = p.affiliation ? groups.find((x) => x.affiliation === p.affiliation) : undefined;
    if (g) g.names.push(p.name);
    else groups.push({ affiliation: p.affiliation, names: [p.name] });
  }
  return listOf(
    groups.map((g) => `${listOf(g.names.map(escapeInline), locale)}${g.affiliation ? ` (${escapeInline(g.affiliation)})` : ""}`),
    locale,
  );
}

// ---------------------------------------------------------------------------------------------
// Agenda items as prose

/**
 * A note as reported speech: its first sentence after a lead-in ("Participants noted that…") and the
 * others as they are; or, for a question, a note that is not a clause, or a note in the other
 * language, the whole note quoted ("One participant asked: “…”"). `paragraph` and `sentence` (0 for
 * a paragraph's first) pick the lead-in, so that sentences and paragraphs do not all open alike.
 */
function reported(note: SummaryNote, paragraph: number, sentence: number, d: Dictionary, lang: SummaryLanguage, proper: ProperNouns): string {
  const text = oneLine(note.text);
  const several = note.merged > 0;
  const pick = (leads: { open: ((x: string, s: boolean) => string)[]; follow: ((x: string, s: boolean) => string)[] }) =>
    sentence === 0 ? leads.open[paragraph % leads.open.length] : leads.follow[(sentence - 1 + paragraph) % leads.follow.length];
  const m = /^(.+?[.!?…])\s+(?=["“«(\p{Lu}\p{N}])(.+)$/u.exec(text);
  const first = m ? m[1] : text;
  const isQuestion = note.kind === "question" || /\?$/.test(first);
  if (isQuestion || !noteReadsAsClause(first, lang)) {
    const q = escapeInline(text);
    return pick(d.quoted[isQuestion ? "question" : note.kind])(d.quote(/[.?!…]$/.test(text) ? q : `${q}.`), several);
  }
  const kind = note.kind === "question" ? "point" : note.kind;
  const out = pick(d.leads[kind])(escapeInline(toClause(first.replace(/!+$/, ""), proper)), several);
  if (!m) return out;
  const rest = m[2];
  return `${out} ${escapeInline(/[.!?…»”")]$/.test(rest) ? rest : `${rest}.`)}`;
}

/** Paragraphs of two to four notes, as in the reference. */
const MAX_PER_PARAGRAPH = 4;
const MIN_PER_PARAGRAPH = 2;

/**
 * Which notes an item's prose is made from: its key points if a curator highlighted any, otherwise
 * every curated note of the item. In the order of the discussion.
 */
export function notesForProse(item: SummaryItem): SummaryNote[] {
  const keyPoints = item.notes.filter((n) => n.keyPoint);
  return (keyPoints.length ? keyPoints : item.notes).filter((n) => oneLine(n.text)).sort(byDiscussion);
}

/**
 * The notes laid out in paragraphs: grouped by theme, themes in the order the discussion reached them
 * (notes without a theme last); a new theme starts a new paragraph once the current one has two notes,
 * no paragraph has more than four, and a lone last note joins the paragraph before.
 */
function layout(notes: SummaryNote[]): SummaryNote[][] {
  const themes = new Map<string, SummaryNote[]>();
  for (const n of notes) themes.set(n.themeId ?? "", [...(themes.get(n.themeId ?? "") ?? []), n]);
  const noTheme = (key: string) => (key === "" ? 1 : 0);
  const groups = [...themes.entries()].sort(([a, x], [b, y]) => noTheme(a) - noTheme(b) || byDiscussion(x[0], y[0]));
  const paragraphs: SummaryNote[][] = [];
  for (const [, group] of groups) {
    group.forEach((note, i) => {
      const current = paragraphs[paragraphs.length - 1];
      if (!current || current.length >= MAX_PER_PARAGRAPH || (i === 0 && current.length >= MIN_PER_PARAGRAPH)) paragraphs.push([note]);
      else current.push(note);
    });
  }
  if (paragraphs.length > 1 && paragraphs[paragraphs.length - 1].length < MIN_PER_PARAGRAPH) paragraphs[paragraphs.length - 2].push(...paragraphs.pop()!);
  return paragraphs;
}

function itemParagraphs(item: SummaryItem, d: Dictionary, lang: SummaryLanguage, proper: ProperNouns): string[] {
  return layout(notesForProse(item)).map((notes, p) => notes.map((n, j) => reported(n, p, j, d, lang, proper)).join(" "));
}

// ---------------------------------------------------------------------------------------------
// Recommendations

/**
 * Whether an agenda item is where recommendations were made: its title starts with the word, in either
 * language ("Recommendations", "Recommandations pour la table ronde nationale").
 */
function isRecommendationsItem(title: string): boolean {
  const t = fold(oneLine(title));
  return [DICTIONARIES.en.recommendations, DICTIONARIES.fr.recommendations].some((h) => t === fold(h) || t.startsWith(`${fold(h)} `));
}

function recommendationLine(rec: SummaryRecommendation, source: SummarySource, lang: SummaryLanguage, withAddressee: boolean, proper: ProperNouns): string {
  const d = DICTIONARIES[lang];
  const raw = oneLine(rec.text);
  // consensus-wording quotes a text that is not a clause in this language; a clause loses its capital.
  const clause = readsAsClause(raw, lang);
  const text = toClause(raw, proper);
  const sentence = rec.result
    ? wordRecommendation(rec.result, clause ? text : raw, { lang, audience: "public", numbers: source.session.showNumbers }).text
    : clause
      ? d.unvoted(text)
      : d.unvotedQuoted(d.quote(`${raw.replace(/[\s.;:,]+$/u, "")}.`));
  const meta = [
    ...(withAddressee && rec.addressee ? [`${d.meta.addressee}: ${escapeInline(rec.addressee.label[lang])}`] : []),
    ...(rec.theme ? [`${d.meta.theme}: ${escapeInline(rec.theme[lang])}`] : []),
    ...(rec.horizon ? [`${d.meta.horizon}: ${d.horizons[rec.horizon]}`] : []),
  ];
  return `- ${escapeBlock(sentence)}${meta.length ? ` _${meta.join(". ")}._` : ""}`;
}

/** Adopted recommendations by addressee (labels in the language's order, no addressee last); others after. */
function recommendationBlocks(source: SummarySource, lang: SummaryLanguage, proper: ProperNouns): string[] {
  const d = DICTIONARIES[lang];
  const cmp = byText(d.locale);
  const last = Number.MAX_SAFE_INTEGER;
  const order = (a: SummaryRecommendation, b: SummaryRecommendation) => (a.itemPosition ?? last) - (b.itemPosition ?? last) || a.createdAt - b.createdAt || byId(a, b);
  const adopted = source.recommendations.filter((r) => r.status === "adopted");
  const others = source.recommendations.filter((r) => r.status === "not_adopted").sort(order);

  const groups = new Map<string, { label: string | null; recs: SummaryRecommendation[] }>();
  for (const r of adopted) {
    const key = r.addressee?.id ?? "";
    const g = groups.get(key) ?? { label: r.addressee ? oneLine(r.addressee.label[lang]) : null, recs: [] };
    g.recs.push(r);
    groups.set(key, g);
  }
  const none = (g: { label: string | null }) => (g.label === null ? 1 : 0);
  const sorted = [...groups.entries()].sort(([ka, a], [kb, b]) => none(a) - none(b) || cmp(a.label ?? "", b.label ?? "") || compareCodeUnits(ka, kb));

  const out: string[] = [];
  if (adopted.length) {
    out.push(d.recommendationsIntro);
    for (const [, g] of sorted) {
      out.push(`### ${g.label === null ? d.noAddressee : escapeInline(g.label)}`);
      out.push(g.recs.sort(order).map((r) => recommendationLine(r, source, lang, false, proper)).join("\n"));
    }
  }
  if (others.length) out.push(`### ${d.others}`, d.othersIntro, others.map((r) => recommendationLine(r, source, lang, true, proper)).join("\n"));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Disclaimer

const STRICTNESS: AttributionMode[] = ["on_the_record", "chatham_house", "anonymous"];

/** The disclaimer of the strictest rule any reported part was held under, saying so when rules differed. */
function disclaimer(source: SummarySource, d: Dictionary): string {
  const modes = new Set<AttributionMode>([source.session.attributionMode, ...source.items.filter((i) => notesForProse(i).length > 0).map((i) => i.attributionMode)]);
  const strictest = STRICTNESS.filter((m) => modes.has(m)).pop()!;
  return `_${[d.disclaimer[strictest], ...(modes.size > 1 ? [d.mixed] : []), d.common].join(" ")}_`;
}

// ---------------------------------------------------------------------------------------------

/** Proper nouns as the session's texts use them (titles left out: they capitalise every word). */
function properNounsOf(source: SummarySource): ProperNouns {
  return properNounsIn([
    source.session.description,
    ...source.session.coHosts,
    source.session.locality ?? "",
    ...source.items.flatMap((i) => i.notes.map((n) => n.text)),
    ...source.recommendations.flatMap((r) => [r.text, r.addressee?.label.en ?? "", r.addressee?.label.fr ?? "", r.theme?.en ?? "", r.theme?.fr ?? ""]),
  ]);
}

/** The draft in Markdown: blocks separated by blank lines, ending with a newline. */
export function draftSummary(source: SummarySource, language: SummaryLanguage): string {
  const d = DICTIONARIES[language];
  const proper = properNounsOf(source);
  const blocks: string[] = [...header(source, d), formatParagraph(source, d)];

  const recs = recommendationBlocks(source, language, proper);
  const items = [...source.items].sort((a, b) => a.position - b.position || byId(a, b));
  // The agenda item where recommendations were made takes the list under its own heading, after its prose.
  const recItem = items.find((i) => isRecommendationsItem(i.title));
  for (const item of items) {
    const paragraphs = itemParagraphs(item, d, language, proper);
    const carriesRecs = item === recItem && recs.length > 0;
    if (!paragraphs.length && !carriesRecs) continue;
    blocks.push(`## ${escapeInline(item.title)}`, ...paragraphs);
    if (carriesRecs) blocks.push(...recs);
  }
  if (recs.length && !recItem) blocks.push(`## ${d.recommendations}`, ...recs);

  blocks.push("---", disclaimer(source, d));
  return `${blocks.filter((b) => b.trim()).join("\n\n")}\n`;
}
