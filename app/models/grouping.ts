/**
 * Grouping of near-identical recommendations (SPEC section 6, consolidation workspace), pure: no
 * database, no network, no clock, no randomness. The method, its parameters, the measured precision
 * and recall and its limits are in docs/grouping.md; keep both in step.
 *
 * 1. Normalise each text: lower case, accents and punctuation removed, elisions split ("l'école"),
 *    French or English stop words and request phrasing ("nous demandons", "que l'État", "should")
 *    dropped, a few domain synonyms folded ("maîtres" = "enseignants", "CSCOM" = "centre de santé
 *    communautaire"), and a light suffix-stripping stemmer with truncation, so that "construire",
 *    "construction" and "construise" meet.
 * 2. Items whose stems are the same set are one node (communes often write literally the same thing).
 * 3. Stems are weighted by rarity in the set being grouped (inverse document frequency); similarity is
 *    the weighted Jaccard index of two stem sets.
 * 4. Candidate pairs come from an inverted index over each node's prefix (its rarest stems, up to the
 *    point where the rest cannot reach the threshold): a pair at or above the threshold always shares a
 *    prefix stem, so nothing above it is missed, and pairs that share only common words are never
 *    compared. No all-pairs comparison.
 * 5. Verified pairs are joined strongest first (union-find), with a guard against chaining: two groups
 *    merge only if their anchors (the first member of each) are themselves similar enough, so a chain
 *    A~B~C~D cannot pull A and D together when they differ.
 * 6. Each group gets a representative (the member most similar to the others; ties to the smallest id)
 *    and a score (mean similarity of the members to it).
 *
 * Items are grouped only within their language. The output does not depend on the order of the input.
 */

export type GroupingLanguage = "en" | "fr";
export type GroupingItem = { id: string; text: string; language: GroupingLanguage };
export type RecommendationGroup = {
  language: GroupingLanguage;
  /** The member that stands for the group (most similar to the others). */
  representativeId: string;
  /** Every member, the representative first, then by id. At least two. */
  ids: string[];
  /** Mean similarity (0..1) of the members to the representative, itself excluded. */
  score: number;
};
export type GroupingResult = {
  groups: RecommendationGroup[];
  /** How many item pairs were compared: far fewer than n(n-1)/2 on real sets. */
  comparisons: number;
  /** Items that had no words left after normalisation (empty, punctuation, only stop words). */
  empty: number;
};
export type GroupingOptions = {
  /** Weighted Jaccard similarity at or above which two items are near-identical. */
  threshold?: number;
  /** Two groups merge only if their anchors are at least this similar (guard against chaining). */
  anchorThreshold?: number;
  /** Cap on the items one item is compared with (keeps the worst case bounded). */
  maxCandidatesPerItem?: number;
  /** Called as work progresses: items processed so far and the total. */
  onProgress?: (done: number, total: number) => void;
};
export type AsyncGroupingOptions = GroupingOptions & {
  /** Yield to the event loop after this many items (default 500). */
  yieldEvery?: number;
  /** How to yield (default: a zero-delay timer, which lets I/O callbacks run). */
  yieldToEventLoop?: () => Promise<void>;
};

export const GROUPING_DEFAULTS = { threshold: 0.35, anchorThreshold: 0.3, maxCandidatesPerItem: 2000 } as const;

/** Only this much of a text is read (a recommendation is at most 2,000 characters). */
const MAX_CHARS = 4000;
/** Only this many distinct stems of a text are kept. */
const MAX_STEMS = 200;
/** Stems are cut to this many characters after suffix stripping. */
const STEM_LENGTH = 7;

// ---- Normalisation ----

const STOP_FR = new Set(
  (
    "a au aux avec c ce ceci cela celle celles celui ces cet cette chacun chaque chez comme d dans de des donc dont du elle elles en entre est et etc etre eux " +
    "il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ou or par pas pendant peu plus pour qu que quel quelle quelles " +
    "quels qui quoi s sa sans se ses si son sont soit soient sous sur t ta te tes toi ton tous tout toute toutes tres tu un une vers vos votre vous y " +
    "ete etait sera seront ont avoir aussi ainsi afin cas fait lors leur deja encore bien tant " +
    // The way a demand is put, not what is demanded.
    "demande demandons demandent demander souhaite souhaitons souhaitent recommande recommandons recommandent recommander exigeons exige exiger " +
    "doit doivent devra devrait devraient faut falloir veiller necessaire necessaires urgent urgente urgence priorite prioritaire " +
    "etat gouvernement autorites pouvoirs publics davantage nouveaux nouvelles nouveau nouvelle suffisant suffisante suffisants nombre " +
    "notamment effectif effective effectivement effectifs"
  ).split(" "),
);
const STOP_EN = new Set(
  (
    "a about above after all also am an and any are as at be been being both but by can cannot could did do does each either for from had has have having " +
    "he her here hers him his how i if in into is it its itself just me more most my no nor not of on once only or other our ours out over own same she " +
    "so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which " +
    "while who whom why will with would you your yours every " +
    "should must shall need needs call calls urge urges ask asks request requests recommend recommends demand demands ensure " +
    "government state authorities urgently urgent priority additional more new"
  ).split(" "),
);

/** Domain words folded into one form before stemming (each key is matched after accents are removed). */
const SYNONYMS_FR: Record<string, string> = {
  maitre: "enseignant",
  maitres: "enseignants",
  instituteur: "enseignant",
  instituteurs: "enseignants",
  cscom: "centre sante communautaire",
  cscoms: "centres sante communautaires",
  csref: "centre sante reference",
  dispensaire: "centre sante",
  dispensaires: "centres sante",
  fama: "forces armees",
  armee: "forces armees",
  militaires: "forces armees",
  ddr: "desarmement demobilisation reinsertion",
  bitumage: "bitumer",
  paie: "payer",
  paiement: "payer",
  payes: "payer",
};
const SYNONYMS_EN: Record<string, string> = {
  hire: "recruit",
  hiring: "recruiting",
  construct: "build",
  construction: "building",
  constructing: "building",
  youth: "young people",
  youths: "young people",
  jobs: "employment",
  job: "employment",
  paid: "pay",
  payment: "pay",
  perpetrators: "responsible",
  fama: "armed forces",
  army: "armed forces",
};

/**
 * Light words: generic action verbs and places. What is demanded weighs more than the verb it is put
 * with and the place it is asked for ("construire une école dans chaque village" and "construire un
 * centre de santé dans chaque village" share three words out of five, but not the one that matters).
 */
const LIGHT_FR =
  "construire construction creer creation renforcer renforcement realiser realisation mettre place assurer organiser organisation installer installation " +
  "ameliorer amelioration appuyer appui favoriser faciliter permettre promouvoir developper developpement doter multiplier lutter lutte contre " +
  "commune communes village villages cercle cercles region regions localite localites population populations zone zones chef lieu niveau";
const LIGHT_EN =
  "build building create creation strengthen improve support provide promote set establish develop make allow fight against " +
  "commune communes village villages cercle region regions area areas locality people population populations level";
export const LIGHT_WEIGHT = 0.35;

const SUFFIXES_FR: [suffix: string, minStem: number][] = [
  ["issements", 3], ["issement", 3], ["isations", 3], ["isation", 3], ["ements", 3], ["ement", 3], ["ations", 3], ["ation", 3],
  ["itions", 3], ["ition", 3], ["tions", 3], ["tion", 3], ["ances", 3], ["ance", 3], ["ences", 3], ["ence", 3],
  ["ables", 3], ["able", 3], ["ibles", 3], ["ible", 3], ["istes", 3], ["iste", 3], ["euses", 3], ["euse", 3], ["eurs", 3], ["eur", 3],
  ["trices", 3], ["trice", 3], ["ives", 3], ["ive", 3], ["ifs", 3], ["if", 3], ["ites", 3], ["ite", 3], ["iser", 3], ["ises", 3], ["ise", 3],
  ["ale", 3], ["al", 4], ["ants", 3], ["ant", 4], ["ages", 3], ["age", 3], ["ent", 5], ["ees", 3], ["ee", 3],
  ["es", 3], ["er", 3], ["ez", 3], ["ir", 3], ["ire", 3], ["re", 4], ["e", 3], ["s", 3], ["x", 3],
];
const SUFFIXES_EN: [suffix: string, minStem: number][] = [
  ["ations", 3], ["ation", 3], ["itions", 3], ["ition", 3], ["ments", 3], ["ment", 3], ["ings", 3], ["ing", 3], ["ness", 3],
  ["ities", 3], ["ity", 3], ["ies", 3], ["ied", 3], ["ers", 3], ["er", 4], ["ed", 3], ["es", 3], ["ly", 3], ["al", 4], ["e", 3], ["s", 3],
];
// Longest suffix first.
SUFFIXES_FR.sort((a, b) => b[0].length - a[0].length);
SUFFIXES_EN.sort((a, b) => b[0].length - a[0].length);

function stemWord(word: string, language: GroupingLanguage): string {
  const suffixes = language === "fr" ? SUFFIXES_FR : SUFFIXES_EN;
  // Plurals first, so that a word and its plural take the same path ("salaire", "salaires").
  if (language === "fr" && word.length > 4 && word.endsWith("aux")) word = `${word.slice(0, -3)}al`;
  else if (word.length > 3 && (word.endsWith("s") || (language === "fr" && word.endsWith("x"))) && !word.endsWith("ss")) word = word.slice(0, -1);
  let stem = word;
  for (const [suffix, minStem] of suffixes) {
    if (word.length - suffix.length >= minStem && word.endsWith(suffix)) {
      stem = word.slice(0, word.length - suffix.length);
      break;
    }
  }
  if (language === "en" && stem.endsWith("i") && stem !== word) stem = `${stem.slice(0, -1)}y`;
  return stem.length > STEM_LENGTH ? stem.slice(0, STEM_LENGTH) : stem;
}

const LIGHT_STEMS = {
  fr: new Set(LIGHT_FR.split(" ").map((w) => stemWord(w, "fr"))),
  en: new Set(LIGHT_EN.split(" ").map((w) => stemWord(w, "en"))),
};

/** Lower case, no accents, no punctuation: the words of a text (elisions split off). */
function words(text: string): string[] {
  return text
    .slice(0, MAX_CHARS)
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
}

/**
 * The stems a text is compared on, in order of first appearance, without duplicates. Exported for
 * tests and for showing why two items were grouped.
 */
export function stemsOf(text: string, language: GroupingLanguage, cache: Map<string, string[]> = new Map()): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of words(text)) {
    let stems = cache.get(raw);
    if (!stems) {
      stems = stemsOfWord(raw, language);
      cache.set(raw, stems);
    }
    for (const stem of stems) {
      if (seen.has(stem)) continue;
      seen.add(stem);
      out.push(stem);
      if (out.length >= MAX_STEMS) return out;
    }
  }
  return out;
}

/** The stems one word stands for: none (a stop word), one, or several (a synonym such as "CSCOM"). */
function stemsOfWord(raw: string, language: GroupingLanguage): string[] {
  const stop = language === "fr" ? STOP_FR : STOP_EN;
  const synonyms = language === "fr" ? SYNONYMS_FR : SYNONYMS_EN;
  const out: string[] = [];
  for (const word of (synonyms[raw] ?? raw).split(" ")) {
    if (stop.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    out.push(stemWord(word, language));
  }
  return out;
}

// ---- The index ----

type Node = {
  /** Item indices (into the sorted items) that share this stem set. */
  members: number[];
  /** Stem ids in global order (rarest first). */
  stems: Int32Array;
  /** Their weights, same order. */
  weights: Float64Array;
  total: number;
};

function weightedJaccard(a: Node, b: Node): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  const sa = a.stems;
  const sb = b.stems;
  while (i < sa.length && j < sb.length) {
    const x = sa[i];
    const y = sb[j];
    if (x === y) {
      shared += a.weights[i];
      i++;
      j++;
    } else if (rankBefore(x, y)) i++;
    else j++;
  }
  const union = a.total + b.total - shared;
  return union <= 0 ? 0 : shared / union;
}

// Stem ids are assigned so that a smaller id is earlier in the global order (see buildNodes).
const rankBefore = (x: number, y: number) => x < y;

/**
 * Builds the nodes of one language: items with the same stem set share a node; stems get ids in
 * global order (rarest first, then alphabetical) and weights log(1 + N / df).
 */
function buildNodes(stemLists: string[][], indices: number[], language: GroupingLanguage): Node[] {
  const bySignature = new Map<string, number[]>();
  for (const i of indices) {
    const list = stemLists[i];
    if (list.length === 0) continue;
    const signature = [...list].sort().join(" ");
    const group = bySignature.get(signature);
    if (group) group.push(i);
    else bySignature.set(signature, [i]);
  }
  const df = new Map<string, number>();
  let n = 0;
  for (const members of bySignature.values()) {
    const list = stemLists[members[0]];
    for (const stem of list) df.set(stem, (df.get(stem) ?? 0) + members.length);
    n += members.length;
  }
  const order = [...df.keys()].sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const idOf = new Map(order.map((s, i) => [s, i]));
  const light = LIGHT_STEMS[language];
  const weightOf = order.map((s) => Math.log(1 + n / df.get(s)!) * (light.has(s) ? LIGHT_WEIGHT : 1));
  const nodes: Node[] = [];
  // Nodes in a deterministic order: by their first member's position (items are sorted by id).
  const signatures = [...bySignature.values()].sort((a, b) => a[0] - b[0]);
  for (const members of signatures) {
    const ids = stemLists[members[0]].map((s) => idOf.get(s)!).sort((a, b) => a - b);
    const stems = Int32Array.from(ids);
    const weights = Float64Array.from(ids, (id) => weightOf[id]);
    let total = 0;
    for (const w of weights) total += w;
    nodes.push({ members, stems, weights, total });
  }
  return nodes;
}

// ---- Union-find with anchors ----

class Groups {
  parent: Int32Array;
  size: Int32Array;
  anchor: Int32Array;
  constructor(n: number, weightOf: (i: number) => number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = Int32Array.from({ length: n }, (_, i) => weightOf(i));
    this.anchor = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  /** Joins the two groups; the larger one's anchor stays (ties: the earlier node's). */
  union(a: number, b: number) {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb] || (this.size[ra] === this.size[rb] && this.anchor[ra] > this.anchor[rb])) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}

// ---- The work, in steps a caller may interleave with other work ----

/** Yields after each chunk of work with (done, total); returns the result. */
function* groupingSteps(items: GroupingItem[], options: GroupingOptions, chunk: number): Generator<[number, number], GroupingResult> {
  const threshold = options.threshold ?? GROUPING_DEFAULTS.threshold;
  const anchorThreshold = options.anchorThreshold ?? GROUPING_DEFAULTS.anchorThreshold;
  const maxCandidates = options.maxCandidatesPerItem ?? GROUPING_DEFAULTS.maxCandidatesPerItem;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError("threshold must be in (0, 1]");
  if (!(anchorThreshold >= 0 && anchorThreshold <= 1)) throw new RangeError("anchorThreshold must be in [0, 1]");

  // The input's order must not matter: work on the items sorted by id (then language, then text).
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.language < b.language ? -1 : a.language > b.language ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) if (sorted[i].id === sorted[i - 1].id) throw new RangeError(`item id ${sorted[i].id} appears twice`);
  const total = sorted.length;
  let done = 0;
  const stemLists: string[][] = [];
  const caches = { en: new Map<string, string[]>(), fr: new Map<string, string[]>() };
  for (let i = 0; i < sorted.length; i++) {
    const language = sorted[i].language === "en" ? "en" : "fr";
    stemLists.push(stemsOf(typeof sorted[i].text === "string" ? sorted[i].text : "", language, caches[language]));
    if ((i + 1) % (chunk * 4) === 0) yield [done, total];
  }
  const empty = stemLists.filter((l) => l.length === 0).length;
  done += empty;

  const groups: RecommendationGroup[] = [];
  let comparisons = 0;
  for (const language of ["en", "fr"] as const) {
    const indices = sorted.map((item, i) => (item.language === language ? i : -1)).filter((i) => i >= 0);
    const nodes = buildNodes(stemLists, indices, language);
    // Identical stem sets are near-identical already; a node's own members need no comparison.
    const edges: { a: number; b: number; sim: number }[] = [];
    const postings = new Map<number, number[]>();
    const seenAt = new Int32Array(nodes.length).fill(-1);
    let sinceYield = 0;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      // The prefix: rarest stems until the rest weighs less than threshold x total.
      let rest = node.total;
      let prefixLength = 0;
      while (prefixLength < node.stems.length && rest >= threshold * node.total - 1e-12) {
        rest -= node.weights[prefixLength];
        prefixLength++;
      }
      let candidates = 0;
      probe: for (let p = 0; p < prefixLength; p++) {
        const list = postings.get(node.stems[p]);
        if (!list) continue;
        for (const j of list) {
          if (seenAt[j] === i) continue;
          seenAt[j] = i;
          const other = nodes[j];
          // Size filter: a much heavier or lighter set cannot reach the threshold.
          if (other.total < threshold * node.total || node.total < threshold * other.total) continue;
          comparisons++;
          const sim = weightedJaccard(node, other);
          if (sim >= threshold) edges.push({ a: j, b: i, sim });
          if (++candidates >= maxCandidates) break probe;
        }
      }
      for (let p = 0; p < prefixLength; p++) {
        const list = postings.get(node.stems[p]);
        if (list) list.push(i);
        else postings.set(node.stems[p], [i]);
      }
      done += node.members.length;
      sinceYield += node.members.length;
      if (sinceYield >= chunk) {
        sinceYield = 0;
        yield [done, total];
      }
    }

    // Strongest pairs first; ties in a fixed order.
    edges.sort((x, y) => y.sim - x.sim || x.a - y.a || x.b - y.b);
    const uf = new Groups(nodes.length, (i) => nodes[i].members.length);
    for (const { a, b } of edges) {
      const ra = uf.find(a);
      const rb = uf.find(b);
      if (ra === rb) continue;
      const anchorA = uf.anchor[ra];
      const anchorB = uf.anchor[rb];
      if (anchorA !== anchorB && weightedJaccard(nodes[anchorA], nodes[anchorB]) < anchorThreshold) continue;
      if (anchorB !== a && weightedJaccard(nodes[a], nodes[anchorB]) < anchorThreshold) continue;
      if (anchorA !== b && weightedJaccard(nodes[b], nodes[anchorA]) < anchorThreshold) continue;
      const anchor = uf.size[ra] > uf.size[rb] || (uf.size[ra] === uf.size[rb] && anchorA < anchorB) ? anchorA : anchorB;
      uf.union(a, b);
      uf.anchor[uf.find(a)] = anchor;
    }

    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < nodes.length; i++) {
      const r = uf.find(i);
      const list = byRoot.get(r);
      if (list) list.push(i);
      else byRoot.set(r, [i]);
    }
    for (const nodeIds of byRoot.values()) {
      const count = nodeIds.reduce((n, i) => n + nodes[i].members.length, 0);
      if (count < 2) continue;
      groups.push(describeGroup(language, nodeIds, nodes, sorted));
    }
    yield [done, total];
  }
  groups.sort((x, y) => y.ids.length - x.ids.length || (x.representativeId < y.representativeId ? -1 : 1));
  return { groups, comparisons, empty };
}

/** How many nodes of a group are tried as its representative (the group's score is still exact). */
const MAX_REPRESENTATIVE_CANDIDATES = 300;

function describeGroup(language: GroupingLanguage, nodeIds: number[], nodes: Node[], sorted: GroupingItem[]): RecommendationGroup {
  // Nodes with more members first: a phrasing many communes used is a good representative.
  const ordered = [...nodeIds].sort((a, b) => nodes[b].members.length - nodes[a].members.length || a - b);
  const tried = ordered.slice(0, MAX_REPRESENTATIVE_CANDIDATES);
  let best = tried[0];
  let bestScore = -1;
  for (const c of tried) {
    let score = nodes[c].members.length - 1;
    for (const o of nodeIds) if (o !== c) score += nodes[o].members.length * weightedJaccard(nodes[c], nodes[o]);
    if (score > bestScore + 1e-12) {
      best = c;
      bestScore = score;
    }
  }
  // The representative is the node's first item (the smallest id: items are sorted by id).
  const repIndex = nodes[best].members[0];
  const members = nodeIds.flatMap((i) => nodes[i].members);
  const others = members.filter((m) => m !== repIndex);
  const count = members.length;
  return {
    language,
    representativeId: sorted[repIndex].id,
    ids: [sorted[repIndex].id, ...others.map((m) => sorted[m].id).sort()],
    score: Math.round((bestScore / (count - 1)) * 1000) / 1000,
  };
}

/** Groups near-identical recommendations in one go (blocks the caller until done). */
export function groupRecommendations(items: GroupingItem[], options: GroupingOptions = {}): GroupingResult {
  const steps = groupingSteps(items, options, 1000);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      options.onProgress?.(items.length, items.length);
      return step.value;
    }
    options.onProgress?.(step.value[0], step.value[1]);
  }
}

/**
 * The same, yielding to the event loop every `yieldEvery` items so that a server stays responsive
 * while it groups a national set.
 */
export async function groupRecommendationsAsync(items: GroupingItem[], options: AsyncGroupingOptions = {}): Promise<GroupingResult> {
  const yieldEvery = Math.max(1, Math.floor(options.yieldEvery ?? 500));
  const pause = options.yieldToEventLoop ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const steps = groupingSteps(items, options, yieldEvery);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      options.onProgress?.(items.length, items.length);
      return step.value;
    }
    options.onProgress?.(step.value[0], step.value[1]);
    await pause();
  }
}
