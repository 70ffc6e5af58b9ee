/**
 * A national programme at the scale of Mali's Inter-Malian Dialogue (issue 7): about 700 communes,
 * 50 cercles, 10 regions and 20 diaspora posts, one finalised local session per locality feeding the
 * level above (commune -> cercle -> region -> national; diaspora -> national), one national session to
 * consolidate into, and about 12,000 local recommendations drawn from templates with the variation of
 * real commune phrasing, so that near-identical clusters exist (the point of consolidation).
 *
 * Speed: through the domain, each recommendation is several queries, an audit row and an event, held
 * room by room; for 12,000 that is too slow for a demo start, so rows are written directly, in one
 * transaction with prepared statements (about 1.6 s here: docs/grouping.md, Speed). Every row is what the domain would have written for a
 * session held, voted by show of hands (or adopted by consensus without a vote), decided, finalised and
 * published: the same columns, statuses and JSON (the vote's result is the level function's own
 * output, app/models/consensus.ts), random UUIDs for ids. What a held room leaves that is not needed
 * here is not invented: no notes (no authorship to destroy), no positions (hands only), no roster.
 * The texts, structure and outcomes come from a seeded generator: the same seed gives the same
 * programme (ids and the clock aside). No links are created (the consolidation's own table).
 *
 * Place names are Mali's regions and cercles; commune names are real where listed and made up after
 * that. People and organisations: none.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../../db/database.server";
import { HORIZONS } from "../../db/schema";
import { declare, tally, type ConsensusResult, type Level } from "../models/consensus";
import { wordRecommendation } from "../models/consensus-wording";
import { DEFAULT_LEVELS } from "../models/programmes.server";

// ---- Options ----

/** The demo's national programme (app/demo/seed.server.ts, PARLEY_DEMO_NATIONAL=1). */
export const NATIONAL_DEMO_NAME = "Dialogue inter-Maliens pour la paix (démo nationale)";

export type NationalSizes = { regions: number; cercles: number; communes: number; diaspora: number; recommendations: number };
/** Mali's Inter-Malian Dialogue, roughly. */
export const NATIONAL_SIZES: NationalSizes = { regions: 10, cercles: 50, communes: 700, diaspora: 20, recommendations: 12_000 };
/** Small enough for a unit test. */
export const SMALL_NATIONAL_SIZES: NationalSizes = { regions: 2, cercles: 4, communes: 12, diaspora: 3, recommendations: 240 };

export type NationalOptions = {
  /** The programme's organiser (an existing account). */
  organiserUserId: string;
  /** Other members (existing accounts) with their programme role. */
  members?: { userId: string; role: "organiser" | "staff" | "member" }[];
  sizes?: Partial<NationalSizes>;
  /** Seed of the generator: the same seed gives the same programme (ids aside). */
  seed?: number;
  /**
   * `mixed` (default): diaspora posts in anglophone countries hold their session in English, the others
   * in French. `fr`: every session in French. `en-diaspora`: every diaspora post in English.
   */
  languages?: "mixed" | "fr" | "en-diaspora";
  /** Every Nth local session publishes for its participants only (the rest publicly); 0: none. Default 25. */
  participantsOnlyEvery?: number;
  /** The clock (ms): local sessions were held in the months before, the national one is in a month. */
  now?: number;
  name?: string;
  /**
   * The consolidation that already happened (default true): each cercle and region session took up
   * what the sessions below it asked for, as links (merged, adopted as is, adapted, partly taken up,
   * not retained with a reason, or nothing yet), except in `openRegion`, left for a regional rapporteur
   * to consolidate: its region session is still to be held, with no recommendations of its own yet.
   */
  consolidate?: boolean;
  /** The region left open (default "Gao"; ignored when the programme has no such region). */
  openRegion?: string;
  /** An account made rapporteur of the open region's session (the demo's regional rapporteur). */
  regionalRapporteurUserId?: string;
};

export type NationalResult = {
  programmeId: string;
  nationalSessionId: string;
  /** The open region's session (see `openRegion`), null when there is none. */
  openRegionSessionId: string | null;
  /** Links written by the consolidation that already happened. */
  links: number;
  counts: { localities: number; sessions: number; localSessions: number; recommendations: number; publications: number; participantsOnly: number; byLevel: Record<string, number> };
  /** Time spent writing, in ms. */
  ms: number;
};

// ---- A small seeded generator (mulberry32) ----

export type Random = { next(): number; int(min: number, max: number): number; pick<T>(list: readonly T[]): T; chance(p: number): boolean };
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

// ---- The taxonomy ----

const THEMES = {
  security: ["Security", "Sécurité"],
  justice: ["Justice and reconciliation", "Justice et réconciliation"],
  governance: ["Governance", "Gouvernance"],
  education: ["Education", "Éducation"],
  health: ["Health", "Santé"],
  water: ["Water and sanitation", "Eau et assainissement"],
  roads: ["Roads and transport", "Routes et transports"],
  womenYouth: ["Women and youth", "Femmes et jeunes"],
  displaced: ["Displaced people", "Personnes déplacées"],
  economy: ["Economy and livelihoods", "Économie et moyens de subsistance"],
  diaspora: ["Malians abroad", "Maliens de l'extérieur"],
} as const;
type ThemeKey = keyof typeof THEMES;

const ADDRESSEES = {
  government: ["Government of Mali", "Gouvernement du Mali"],
  forces: ["Defence and security forces", "Forces de défense et de sécurité"],
  justice: ["Ministry of Justice", "Ministère de la Justice"],
  local: ["Local authorities", "Collectivités territoriales"],
  partners: ["Technical and financial partners", "Partenaires techniques et financiers"],
  civil: ["Civil society", "Société civile"],
  traditional: ["Traditional and religious leaders", "Autorités traditionnelles et religieuses"],
  abroad: ["Ministry of Malians Abroad", "Ministère des Maliens établis à l'extérieur"],
} as const;
type AddresseeKey = keyof typeof ADDRESSEES;
type Horizon = (typeof HORIZONS)[number];

/** Regions with their cercles (Mali's, in part). */
const REGIONS: [region: string, cercles: string[]][] = [
  ["Kayes", ["Kayes", "Bafoulabé", "Diéma", "Kéniéba", "Kita", "Nioro du Sahel", "Yélimané"]],
  ["Koulikoro", ["Koulikoro", "Banamba", "Dioïla", "Kangaba", "Kati", "Kolokani", "Nara"]],
  ["Sikasso", ["Sikasso", "Bougouni", "Kadiolo", "Kolondiéba", "Koutiala", "Yanfolila", "Yorosso"]],
  ["Ségou", ["Ségou", "Barouéli", "Bla", "Macina", "Niono", "San", "Tominian"]],
  ["Mopti", ["Mopti", "Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Ténenkou", "Youwarou"]],
  ["Tombouctou", ["Tombouctou", "Diré", "Goundam", "Gourma-Rharous", "Niafunké"]],
  ["Gao", ["Gao", "Ansongo", "Bourem"]],
  ["Kidal", ["Kidal", "Abeïbara", "Tessalit", "Tin-Essako"]],
  ["Ménaka", ["Ménaka", "Andéramboukane", "Inékar", "Tidermène"]],
  ["Taoudénit", ["Araouane", "Boujbeha", "Foum-Alba"]],
];

const COMMUNE_NAMES = (
  "Sévaré Fatoma Sofara Konna Kani-Bonzon Ningari Dourou Sangha Diallassagou Ouenkoro Boni Hombori Dinangourou Mondoro Dioura Sokolo Diafarabé " +
  "Toguéré-Coumbé Léré Ber Bambara-Maoudé Tonka Soumpi Talataye Tessit Anefif Aguelhok Kalana Fana Massigui Siby Ouéléssébougou Dialakoroba " +
  "Nossombougou Didiéni Sirakorola Touba Kassaro Sagabari Sandaré Diamou Ségala Koniakary Sadiola Kassama Dialafara Tambaga Madina Kourouninkoto " +
  "Dioumara Guidimé Gogui Sandaré Troungoumbé Diakon Mahina Oualia Kolondiéba Fakola Garalo Kébila Niéna Kouri Mahou Zangasso Konséguéla Molobala " +
  "Kimparana Mandiakuy Sanekuy Fangasso Benena Dioro Katiéna Markala Sansanding Pelengana Sama Foulah Farako Macina Kolongo Monimpébougou Saye " +
  "Kokry Pogo Siribala Kéké Dogofry Mariko Diabaly Toridaga-Ko Dioungani Madougou Diankabou Mopti-Sud Socoura Borondougou Kounari Soye Fakala " +
  "Dialloubé Konio Ouro-Ali Dandoli Dimbal Bondo Kassa Yoro Pel-Maoudé Mougna Madiama Korientzé Youwarou Deboye Dirma Diondiori Sah Goundaka " +
  "Bourem-Inaly Alafia Lafia Salam Ber Tindirma Haribomo Soboundou Tonka Bintagoungou Doukouria Gargando Essakane Tilemsi Raz-El-Ma Bamba " +
  "Temera Taboye Gabero Soni-Aliber Tilemsi-Gao Ouattagouna Tin-Hama Bara Talataye Tidermène Inékar Anouzagrene Alata Tamkoutat Anderamboukane " +
  "Tinzawatene Essouk Intadjedite Tarkint Anchawadj"
).split(" ");
const SYLLABLES = ["Ba", "Bou", "Da", "Dia", "Do", "Dou", "Fa", "Ka", "Ké", "Ki", "Ko", "Kou", "Ma", "Mé", "Mo", "Na", "Nia", "No", "Sa", "Sé", "Si", "So", "Sou", "Ta", "Té", "To", "Tou", "Ya", "Yo", "Zan"];
const ENDINGS = ["bougou", "koro", "la", "ré", "na", "ba", "gou", "dougou", "kala", "so", "ma", "ni", "fara", "dian", "kan", "tiéna"];

type Post = { city: string; countryFr: string; countryEn: string; timeZone: string; anglophone: boolean };
const POSTS: Post[] = [
  { city: "Paris", countryFr: "France", countryEn: "France", timeZone: "Europe/Paris", anglophone: false },
  { city: "Washington", countryFr: "États-Unis", countryEn: "the United States", timeZone: "America/New_York", anglophone: true },
  { city: "Abidjan", countryFr: "Côte d'Ivoire", countryEn: "Côte d'Ivoire", timeZone: "Africa/Abidjan", anglophone: false },
  { city: "Accra", countryFr: "Ghana", countryEn: "Ghana", timeZone: "Africa/Accra", anglophone: true },
  { city: "Dakar", countryFr: "Sénégal", countryEn: "Senegal", timeZone: "Africa/Dakar", anglophone: false },
  { city: "London", countryFr: "Royaume-Uni", countryEn: "the United Kingdom", timeZone: "Europe/London", anglophone: true },
  { city: "Bruxelles", countryFr: "Belgique", countryEn: "Belgium", timeZone: "Europe/Brussels", anglophone: false },
  { city: "Abuja", countryFr: "Nigeria", countryEn: "Nigeria", timeZone: "Africa/Lagos", anglophone: true },
  { city: "Madrid", countryFr: "Espagne", countryEn: "Spain", timeZone: "Europe/Madrid", anglophone: false },
  { city: "Conakry", countryFr: "Guinée", countryEn: "Guinea", timeZone: "Africa/Conakry", anglophone: false },
  { city: "Pretoria", countryFr: "Afrique du Sud", countryEn: "South Africa", timeZone: "Africa/Johannesburg", anglophone: true },
  { city: "Niamey", countryFr: "Niger", countryEn: "Niger", timeZone: "Africa/Niamey", anglophone: false },
  { city: "Ouagadougou", countryFr: "Burkina Faso", countryEn: "Burkina Faso", timeZone: "Africa/Ouagadougou", anglophone: false },
  { city: "New York", countryFr: "États-Unis", countryEn: "the United States", timeZone: "America/New_York", anglophone: true },
  { city: "Libreville", countryFr: "Gabon", countryEn: "Gabon", timeZone: "Africa/Libreville", anglophone: false },
  { city: "Rabat", countryFr: "Maroc", countryEn: "Morocco", timeZone: "Africa/Casablanca", anglophone: false },
  { city: "Berlin", countryFr: "Allemagne", countryEn: "Germany", timeZone: "Europe/Berlin", anglophone: false },
  { city: "Alger", countryFr: "Algérie", countryEn: "Algeria", timeZone: "Africa/Algiers", anglophone: false },
  { city: "Montréal", countryFr: "Canada", countryEn: "Canada", timeZone: "America/Toronto", anglophone: false },
  { city: "Nairobi", countryFr: "Kenya", countryEn: "Kenya", timeZone: "Africa/Nairobi", anglophone: true },
];

// ---- Demands: what communes ask for, each phrased several ways ----

/** `v`: an infinitive clause ("Construire ..."); `n`: a noun phrase with its article ("la construction de ..."). */
type Phrasing = { v: string } | { n: string };
type Demand = { key: string; theme: ThemeKey; addressee: AddresseeKey; horizon: Horizon; weight: number; phrasings: Phrasing[] };

const d = (key: string, theme: ThemeKey, addressee: AddresseeKey, horizon: Horizon, weight: number, ...phrasings: Phrasing[]): Demand => ({ key, theme, addressee, horizon, weight, phrasings });

/** In French, for communes, cercles, regions and francophone diaspora posts. */
export const DEMANDS_FR: Demand[] = [
  d("teachers-recruit", "education", "government", "medium", 5, { v: "recruter des enseignants qualifiés pour les écoles" }, { v: "recruter davantage d'enseignants pour nos écoles" }, { n: "le recrutement d'enseignants qualifiés pour les écoles" }),
  d("teachers-arrears", "education", "government", "immediate", 3, { v: "payer les arriérés de salaire des enseignants" }, { v: "régler les arriérés de salaire dus aux enseignants" }, { n: "le paiement des arriérés de salaire des enseignants" }),
  d("schools-build", "education", "government", "medium", 5, { v: "construire une école dans chaque village" }, { v: "construire des écoles dans les villages qui n'en ont pas" }, { n: "la construction d'écoles dans les villages" }),
  d("schools-reopen", "education", "government", "immediate", 4, { v: "rouvrir les écoles fermées à cause de l'insécurité" }, { v: "rouvrir les écoles fermées par l'insécurité" }, { n: "la réouverture des écoles fermées pour cause d'insécurité" }),
  d("canteens", "education", "partners", "immediate", 2, { v: "installer des cantines scolaires dans les écoles" }, { n: "la création de cantines scolaires dans toutes les écoles" }),
  d("teacher-housing", "education", "local", "medium", 1, { v: "construire des logements pour les enseignants" }, { n: "la construction de logements pour les enseignants" }),
  d("school-supplies", "education", "government", "immediate", 2, { v: "doter les écoles en tables-bancs et en manuels scolaires" }, { n: "la dotation des écoles en tables-bancs et en manuels" }),
  d("health-centre-build", "health", "government", "medium", 5, { v: "construire un centre de santé dans chaque village" }, { v: "construire des centres de santé communautaires dans les villages" }, { n: "la construction de centres de santé dans les villages" }),
  d("health-staff", "health", "government", "immediate", 4, { v: "affecter du personnel de santé qualifié dans les centres de santé" }, { v: "affecter des médecins et des infirmiers dans les centres de santé" }, { n: "l'affectation de personnel de santé qualifié dans les centres de santé" }),
  d("health-drugs", "health", "government", "immediate", 3, { v: "approvisionner les centres de santé en médicaments essentiels" }, { v: "doter les centres de santé en médicaments essentiels" }, { n: "la disponibilité des médicaments essentiels dans les centres de santé" }),
  d("ambulance", "health", "local", "immediate", 2, { v: "doter le centre de santé de référence d'une ambulance" }, { n: "une ambulance pour le centre de santé de référence" }),
  d("maternity", "health", "government", "medium", 2, { v: "construire une maternité au centre de santé" }, { n: "la construction d'une maternité au centre de santé" }),
  d("vaccination", "health", "partners", "immediate", 1, { v: "organiser des campagnes de vaccination dans les villages" }, { n: "des campagnes de vaccination dans tous les villages" }),
  d("army-presence", "security", "forces", "immediate", 6, { v: "renforcer la présence des forces armées pour protéger les populations" }, { v: "renforcer la présence de l'armée dans la commune" }, { n: "le renforcement de la présence des forces de défense et de sécurité" }),
  d("patrols", "security", "forces", "immediate", 3, { v: "organiser des patrouilles régulières sur les routes des foires hebdomadaires" }, { v: "sécuriser les foires hebdomadaires par des patrouilles régulières" }, { n: "des patrouilles régulières les jours de foire" }),
  d("militias-disarm", "security", "government", "immediate", 3, { v: "désarmer les milices d'autodéfense" }, { v: "désarmer tous les groupes d'autodéfense" }, { n: "le désarmement des milices d'autodéfense" }),
  d("ddr", "security", "government", "medium", 2, { v: "accélérer le désarmement, la démobilisation et la réinsertion des ex-combattants" }, { n: "l'accélération du processus de désarmement, démobilisation et réinsertion" }),
  d("mines", "security", "forces", "immediate", 2, { v: "déminer les routes et sensibiliser les populations aux engins explosifs" }, { n: "le déminage des routes et la sensibilisation aux engins explosifs" }),
  d("early-warning", "security", "local", "immediate", 2, { v: "mettre en place un système d'alerte précoce dans chaque commune" }, { n: "la mise en place d'un système d'alerte précoce" }),
  d("court", "justice", "justice", "medium", 2, { v: "installer un tribunal dans le chef-lieu de cercle" }, { v: "rapprocher la justice des justiciables en installant un tribunal dans le cercle" }, { n: "l'installation d'un tribunal dans le chef-lieu de cercle" }),
  d("impunity", "justice", "justice", "immediate", 4, { v: "poursuivre et juger les auteurs des exactions contre les civils" }, { v: "enquêter sur les exactions contre les civils et punir les auteurs" }, { n: "la poursuite des auteurs d'exactions contre les civils" }),
  d("victims", "justice", "government", "medium", 2, { v: "indemniser les victimes des exactions" }, { n: "l'indemnisation des victimes des exactions et de leurs familles" }),
  d("traditional-justice", "justice", "traditional", "medium", 2, { v: "impliquer les cadis et les chefs traditionnels dans le règlement des conflits" }, { v: "reconnaître le rôle des autorités traditionnelles dans le règlement des conflits" }, { n: "la valorisation des autorités traditionnelles dans le règlement des conflits" }),
  d("land-commissions", "justice", "local", "medium", 1, { v: "rendre fonctionnelles les commissions foncières communales" }, { n: "le fonctionnement effectif des commissions foncières" }),
  d("decentralisation", "governance", "government", "medium", 3, { v: "transférer les ressources financières aux collectivités territoriales" }, { v: "transférer effectivement les compétences et les ressources aux communes" }, { n: "le transfert effectif des ressources aux collectivités territoriales" }),
  d("corruption", "governance", "government", "medium", 3, { v: "lutter contre la corruption dans l'administration publique" }, { v: "sanctionner les agents de l'État coupables de corruption" }, { n: "la lutte contre la corruption dans les services publics" }),
  d("admin-return", "governance", "government", "immediate", 3, { v: "assurer le retour de l'administration dans les communes" }, { v: "assurer le retour des services de l'État dans les zones abandonnées" }, { n: "le retour effectif de l'administration et des services sociaux de base" }),
  d("civil-registry", "governance", "local", "medium", 1, { v: "moderniser l'état civil dans les communes" }, { n: "la modernisation des centres d'état civil" }),
  d("radio", "governance", "civil", "medium", 1, { v: "créer une radio communautaire pour informer les populations" }, { n: "la création d'une radio communautaire" }),
  d("mobile-network", "economy", "government", "immediate", 2, { v: "rétablir le réseau de téléphonie mobile dans la commune" }, { n: "le rétablissement du réseau de téléphonie mobile" }),
  d("boreholes-new", "water", "government", "medium", 5, { v: "réaliser des forages d'eau potable dans les villages" }, { v: "construire des forages pour l'accès à l'eau potable" }, { n: "la réalisation de forages d'eau potable dans les villages" }),
  d("boreholes-repair", "water", "local", "immediate", 3, { v: "réparer les forages et les pompes en panne" }, { v: "réhabiliter les forages en panne dans les villages" }, { n: "la réparation des forages et des pompes en panne" }),
  d("irrigation", "water", "partners", "long", 2, { v: "aménager des périmètres irrigués pour les jeunes et les femmes" }, { n: "l'aménagement de périmètres irrigués villageois" }),
  d("latrines", "water", "partners", "medium", 1, { v: "construire des latrines dans les écoles et les marchés" }, { n: "la construction de latrines publiques dans les écoles et les marchés" }),
  d("road-tar", "roads", "government", "long", 4, { v: "bitumer la route reliant la commune au chef-lieu de région" }, { v: "bitumer la route entre la commune et le chef-lieu de région" }, { n: "le bitumage de la route qui relie la commune au chef-lieu de région" }),
  d("rural-tracks", "roads", "local", "medium", 3, { v: "réhabiliter les pistes rurales entre les villages" }, { v: "entretenir les pistes rurales pour désenclaver les villages" }, { n: "la réhabilitation des pistes rurales reliant les villages aux marchés" }),
  d("bridge", "roads", "government", "long", 1, { v: "construire un pont pour désenclaver la commune pendant l'hivernage" }, { n: "la construction d'un pont pour désenclaver la commune" }),
  d("women-quota", "womenYouth", "government", "medium", 3, { v: "appliquer le quota de 30 % de femmes dans les instances de décision" }, { v: "respecter la loi sur le quota de femmes dans les instances de décision" }, { n: "l'application effective du quota de 30 % de femmes dans les instances" }),
  d("women-income", "womenYouth", "partners", "medium", 3, { v: "financer les activités génératrices de revenus des femmes" }, { v: "appuyer les associations de femmes pour leurs activités génératrices de revenus" }, { n: "le financement des activités génératrices de revenus des femmes" }),
  d("youth-jobs", "womenYouth", "government", "medium", 5, { v: "créer des emplois pour les jeunes afin de les détourner des groupes armés" }, { v: "créer des emplois pour les jeunes pour éviter leur enrôlement dans les groupes armés" }, { n: "la création d'emplois pour les jeunes pour les détourner des groupes armés" }),
  d("vocational", "womenYouth", "government", "medium", 3, { v: "construire un centre de formation professionnelle pour les jeunes" }, { v: "créer un centre de formation professionnelle pour les jeunes" }, { n: "la création d'un centre de formation professionnelle pour les jeunes" }),
  d("youth-sport", "womenYouth", "local", "medium", 1, { v: "aménager un terrain de sport et une maison des jeunes" }, { n: "la construction d'une maison des jeunes" }),
  d("displaced-return", "displaced", "government", "medium", 3, { v: "créer les conditions d'un retour sûr des déplacés dans leurs villages" }, { v: "sécuriser les villages d'origine pour permettre le retour des personnes déplacées" }, { n: "le retour des déplacés dans leurs villages d'origine en toute sécurité" }),
  d("displaced-food", "displaced", "partners", "immediate", 3, { v: "apporter une assistance alimentaire aux personnes déplacées" }, { v: "distribuer des vivres aux familles déplacées" }, { n: "une assistance alimentaire d'urgence aux déplacés" }),
  d("displaced-papers", "displaced", "local", "immediate", 2, { v: "délivrer des actes de naissance et des cartes d'identité aux déplacés" }, { n: "l'établissement de pièces d'état civil pour les personnes déplacées" }),
  d("displaced-schooling", "displaced", "government", "immediate", 2, { v: "scolariser les enfants déplacés dans les écoles d'accueil" }, { n: "la scolarisation des enfants déplacés" }),
  d("intercommunity", "justice", "traditional", "medium", 3, { v: "organiser des rencontres intercommunautaires pour renforcer la cohésion sociale" }, { v: "multiplier les cadres de dialogue intercommunautaire pour la cohésion sociale" }, { n: "des rencontres intercommunautaires régulières pour la cohésion sociale" }),
  d("transhumance", "economy", "local", "medium", 2, { v: "délimiter les couloirs de transhumance pour prévenir les conflits entre agriculteurs et éleveurs" }, { v: "baliser les couloirs de transhumance pour éviter les conflits entre éleveurs et agriculteurs" }, { n: "le balisage des couloirs de transhumance" }),
  d("fertiliser", "economy", "government", "immediate", 2, { v: "subventionner les engrais pour les agriculteurs" }, { n: "la subvention des engrais et des semences améliorées" }),
  d("livestock", "economy", "government", "medium", 1, { v: "vacciner le bétail et construire des parcs de vaccination" }, { n: "la construction de parcs de vaccination pour le bétail" }),
  d("gold-mining", "economy", "government", "medium", 1, { v: "encadrer l'orpaillage et lutter contre l'orpaillage clandestin" }, { n: "la lutte contre l'orpaillage clandestin" }),
  d("solar", "economy", "partners", "medium", 2, { v: "électrifier les villages par l'énergie solaire" }, { n: "l'électrification des villages par l'énergie solaire" }),
  d("markets", "economy", "local", "medium", 1, { v: "construire un marché moderne dans la commune" }, { n: "la construction d'un marché moderne" }),
];

/** In French, for diaspora posts. */
const DIASPORA_FR: Demand[] = [
  d("abroad-vote", "diaspora", "abroad", "medium", 4, { v: "permettre aux Maliens de l'extérieur de voter à toutes les élections nationales" }, { n: "le droit de vote des Maliens de l'extérieur à toutes les élections" }),
  d("abroad-consular", "diaspora", "abroad", "immediate", 4, { v: "réduire les coûts et les délais des services consulaires" }, { n: "la réduction des frais et des délais des services consulaires" }),
  d("abroad-passports", "diaspora", "abroad", "immediate", 3, { v: "délivrer les passeports et les cartes consulaires dans les ambassades" }, { n: "la délivrance des passeports dans les ambassades et consulats" }),
  d("abroad-invest", "diaspora", "government", "medium", 3, { v: "encourager l'investissement de la diaspora au Mali par des incitations fiscales" }, { n: "la création d'un fonds pour l'investissement de la diaspora" }),
  d("abroad-remittances", "diaspora", "partners", "medium", 2, { v: "réduire les frais sur les transferts d'argent vers le Mali" }, { n: "la baisse des frais de transfert d'argent" }),
  d("abroad-seats", "diaspora", "government", "long", 2, { v: "réserver des sièges à la diaspora à l'Assemblée nationale" }, { n: "la représentation de la diaspora à l'Assemblée nationale" }),
];

/** In English, for diaspora posts in anglophone countries. */
const DIASPORA_EN: Demand[] = [
  d("abroad-vote", "diaspora", "abroad", "medium", 4, { v: "allow Malians abroad to vote in all national elections" }, { v: "guarantee the right of the diaspora to vote in national elections from abroad" }),
  d("abroad-consular", "diaspora", "abroad", "immediate", 4, { v: "reduce the cost and delays of consular services for Malians abroad" }, { v: "make consular services faster and cheaper for Malians abroad" }),
  d("abroad-passports", "diaspora", "abroad", "immediate", 3, { v: "issue passports and consular cards at the embassies" }, { v: "let embassies and consulates issue passports" }),
  d("abroad-invest", "diaspora", "government", "medium", 3, { v: "create tax incentives for the diaspora to invest in Mali" }, { v: "set up a fund to encourage diaspora investment in Mali" }),
  d("abroad-remittances", "diaspora", "partners", "medium", 2, { v: "lower the fees on money sent home to Mali" }, { v: "cut the cost of remittances to Mali" }),
  d("abroad-seats", "diaspora", "government", "long", 2, { v: "reserve seats for the diaspora in the National Assembly" }, { v: "give the diaspora its own representatives in the National Assembly" }),
  d("abroad-languages", "diaspora", "civil", "long", 1, { v: "teach Malian languages to the children of the diaspora" }, { v: "support classes in Malian languages for diaspora children" }),
  d("youth-jobs", "womenYouth", "government", "medium", 2, { v: "create jobs for young people so that armed groups cannot recruit them" }, { v: "provide employment for young people to keep them away from armed groups" }),
  d("schools-reopen", "education", "government", "immediate", 2, { v: "reopen the schools closed by insecurity" }, { v: "reopen every school closed because of insecurity" }),
  d("impunity", "justice", "justice", "immediate", 2, { v: "prosecute those responsible for abuses against civilians" }, { v: "investigate abuses against civilians and bring those responsible to justice" }),
];

const PREFIX_FR_V = ["", "", "", "Il faut ", "Nous demandons à l'État de ", "Nous recommandons de ", "Que l'État s'engage à "];
const PREFIX_FR_N = ["", "", "Nous demandons ", "Nous recommandons "];
const SUFFIX_FR = ["", "", "", "", " dans {our}", " dans les meilleurs délais", " pour le bien-être des populations", " dans {all}"];
/** Where a session speaks from, for the suffixes above. */
const AREAS: Record<"commune" | "cercle" | "region" | "diaspora", { our: string; all: string }> = {
  commune: { our: "notre commune", all: "toute la commune" },
  cercle: { our: "notre cercle", all: "tout le cercle" },
  region: { our: "notre région", all: "toute la région" },
  diaspora: { our: "notre pays", all: "tout le pays" },
};
const PREFIX_EN = ["", "", "We call on the government to ", "The government should ", "We recommend that the authorities "];
const SUFFIX_EN = ["", "", "", " without delay", " as a matter of priority"];

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase("fr") + s.slice(1);

/** One recommendation's text from a demand, phrased the way one session would. */
function phrase(rng: Random, demand: Demand, language: "fr" | "en", place: string, area: { our: string; all: string }): string {
  const suffixFr = () => rng.pick(SUFFIX_FR).replace("{our}", area.our).replace("{all}", area.all);
  const p = rng.pick(demand.phrasings);
  let text: string;
  if (language === "en") {
    const core = "v" in p ? p.v : p.n;
    text = rng.pick(PREFIX_EN) + core + rng.pick(SUFFIX_EN);
  } else if ("v" in p) {
    const suffix = rng.chance(0.08) ? ` à ${place}` : suffixFr();
    const prefix = rng.pick(PREFIX_FR_V);
    // "de" before a vowel is "d'" ("Nous recommandons d'installer").
    text = (prefix.endsWith(" de ") && /^[aeiouyéèêâîôh]/i.test(p.v) ? `${prefix.slice(0, -3)}d'` : prefix) + p.v + suffix;
  } else {
    text = rng.pick(PREFIX_FR_N) + p.n + suffixFr();
  }
  return `${capitalise(text)}.`;
}

/** Picks `n` distinct demands, more often the heavier ones. */
function pickDemands(rng: Random, pool: Demand[], n: number): Demand[] {
  const left = [...pool];
  const out: Demand[] = [];
  while (out.length < n && left.length) {
    const total = left.reduce((s, x) => s + x.weight, 0);
    let r = rng.next() * total;
    let i = 0;
    for (; i < left.length - 1; i++) {
      r -= left[i].weight;
      if (r < 0) break;
    }
    out.push(left[i]);
    left.splice(i, 1);
  }
  return out;
}

export type GeneratedRecommendation = { demandKey: string; language: "fr" | "en"; text: string; theme: ThemeKey; addressee: AddresseeKey; horizon: Horizon };

/**
 * Recommendation texts the way `seedNationalProgramme` writes them, without a database (for the
 * grouping's scale test and bench): `count` items from sessions of about 15, in French, with
 * `englishShare` of the sessions in English. `demandKey` says which demand each one makes.
 */
export function generateRecommendationTexts(count: number, options: { seed?: number; englishShare?: number } = {}): GeneratedRecommendation[] {
  const rng = seededRandom(options.seed ?? 7);
  const out: GeneratedRecommendation[] = [];
  for (let session = 0; out.length < count; session++) {
    const english = rng.chance(options.englishShare ?? 0.03);
    const pool = english ? DIASPORA_EN : DEMANDS_FR;
    const place = `${rng.pick(SYLLABLES)}${rng.pick(ENDINGS)}`;
    for (const demand of pickDemands(rng, pool, Math.min(count - out.length, rng.int(8, 20)))) {
      const language = english ? "en" : "fr";
      out.push({ demandKey: demand.key, language, text: phrase(rng, demand, language, place, AREAS.commune), theme: demand.theme, addressee: demand.addressee, horizon: demand.horizon });
    }
  }
  return out;
}

// ---- Outcomes: how the room decided ----

const ADOPTED_LEVELS: Level[] = ["unanimous", "consensus", "broad_support", "majority"];

function outcome(rng: Random): { declared: true; result: ConsensusResult } | { declared: false; headcount: number; hands: { agree: number; abstain: number; disagree: number }; result: ConsensusResult } {
  if (rng.chance(0.3)) {
    const level = rng.chance(0.92) ? "consensus" : "broad_support";
    const res = declare(level);
    if (!res.ok) throw new Error("declare");
    return { declared: true, result: res.value };
  }
  const headcount = rng.int(12, 90);
  const taken = headcount - rng.int(0, Math.floor(headcount / 6));
  // Most rooms agree; some are split.
  const r = rng.next();
  const supportShare = r < 0.55 ? 0.85 + rng.next() * 0.15 : r < 0.85 ? 0.66 + rng.next() * 0.2 : r < 0.95 ? 0.5 + rng.next() * 0.16 : 0.2 + rng.next() * 0.3;
  const agree = Math.min(taken, Math.round(taken * supportShare));
  const rest = taken - agree;
  const disagree = supportShare >= 0.85 && rng.chance(0.6) ? 0 : Math.round(rest * rng.next());
  const abstain = rest - disagree;
  const hands = { agree, abstain, disagree };
  const res = tally({ positions: { support: 0, neutral: 0, oppose: 0, block: 0 }, eligible: 0, hands: { scale: "agree_abstain_disagree", headcount, counts: hands } });
  if (!res.ok) throw new Error(`tally: ${res.error.code}`);
  return { declared: false, headcount, hands, result: res.value };
}

// ---- Writing ----

const DAY = 24 * 60 * 60 * 1000;

type LevelKey = "commune" | "cercle" | "region" | "diaspora" | "national";
type LocalSession = { id: string; level: LevelKey; localityId: string; parentId: string; title: string; language: "fr" | "en"; place: string; timeZone: string; description: string; context: string };

function communeName(rng: Random, used: Set<string>, index: number): string {
  if (index < COMMUNE_NAMES.length && !used.has(COMMUNE_NAMES[index])) return COMMUNE_NAMES[index];
  for (let attempt = 0; ; attempt++) {
    // One syllable and an ending first (Kalabougou), then two syllables (Sakoroba), then a number.
    const middle = attempt < 20 ? "" : rng.pick(SYLLABLES).toLowerCase();
    const name = `${rng.pick(SYLLABLES)}${middle}${rng.pick(ENDINGS)}${attempt < 200 ? "" : ` ${attempt}`}`;
    if (!used.has(name)) return name;
  }
}

/**
 * Splits `total` into parts proportional to `weights`, each between `min` and its cap (`max`, one
 * number or one per part); sums to `total` unless the caps cannot hold it.
 */
function apportion(total: number, weights: number[], min: number, max: number | number[]): number[] {
  const cap = (i: number) => (Array.isArray(max) ? max[i] : max);
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const parts = raw.map((x, i) => Math.max(Math.min(min, cap(i)), Math.min(cap(i), Math.floor(x))));
  let left = total - parts.reduce((s, x) => s + x, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let round = 0; left > 0 && round < 1000; round++) {
    let grew = false;
    for (const [, i] of order) {
      if (left === 0) break;
      if (parts[i] < cap(i)) {
        parts[i]++;
        left--;
        grew = true;
      }
    }
    if (!grew) break;
  }
  return parts;
}

/** What a session may ask for: French demands, or the diaspora's (in English for anglophone posts). */
const DIASPORA_FR_POOL = [...DIASPORA_FR, ...DEMANDS_FR.filter((x) => ["youth-jobs", "schools-reopen", "impunity", "corruption", "displaced-return"].includes(x.key))];
function poolOf(s: { level: LevelKey; language: "fr" | "en" }): Demand[] {
  if (s.level !== "diaspora") return DEMANDS_FR;
  return s.language === "en" ? DIASPORA_EN : DIASPORA_FR_POOL;
}

/**
 * Creates the national programme. Returns its ids, counts and the time taken. Writes in one
 * transaction: on any error nothing is left behind.
 */
export function seedNationalProgramme(db: Db, options: NationalOptions): NationalResult {
  const started = performance.now();
  const sizes = { ...NATIONAL_SIZES, ...options.sizes };
  for (const [k, v] of Object.entries(sizes)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`sizes.${k} must be a positive whole number`);
  if (sizes.cercles < sizes.regions || sizes.communes < sizes.cercles) throw new RangeError("each level needs at least as many localities as the level above");
  const rng = seededRandom(options.seed ?? 2024);
  const now = options.now ?? Date.now();
  const languages = options.languages ?? "mixed";
  const participantsOnlyEvery = options.participantsOnlyEvery ?? 25;
  const sqlite = db.$client;

  const insert = {
    programme: sqlite.prepare(
      "INSERT INTO programmes (id, name, description, quorum_percent, consensus_percent, broad_support_permille, retention_days, created_at) VALUES (?, ?, ?, 50, 80, 667, 365, ?)",
    ),
    level: sqlite.prepare("INSERT INTO levels (id, programme_id, key, label_en, label_fr, rank) VALUES (?, ?, ?, ?, ?, ?)"),
    member: sqlite.prepare("INSERT INTO programme_members (id, programme_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?)"),
    locality: sqlite.prepare("INSERT INTO localities (id, programme_id, parent_id, level_id, name) VALUES (?, ?, ?, ?, ?)"),
    theme: sqlite.prepare("INSERT INTO themes (id, programme_id, label_en, label_fr) VALUES (?, ?, ?, ?)"),
    addressee: sqlite.prepare("INSERT INTO addressees (id, programme_id, label_en, label_fr) VALUES (?, ?, ?, ?)"),
    session: sqlite.prepare(
      `INSERT INTO dialogue_sessions (id, programme_id, level_id, locality_id, parent_session_id, title, description, co_hosts, kind, languages, starts_at, ends_at,
        time_zone, attribution_mode, note_visibility, roster_visible_to_room, scale, show_numbers, status, join_code, ended_at, finalised_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'chatham_house', 'staff', 0, 'agree_abstain_disagree', 1, ?, NULL, ?, ?, ?)`,
    ),
    item: sqlite.prepare(
      "INSERT INTO agenda_items (id, session_id, position, title, description, planned_ms, panelists, attribution_mode, state, extended_ms, elapsed_before_ms, running_since, started_at, ended_at) VALUES (?, ?, ?, ?, '', ?, '', NULL, ?, 0, ?, NULL, ?, ?)",
    ),
    recommendation: sqlite.prepare(
      "INSERT INTO recommendations (id, session_id, item_id, text, addressee_id, theme_id, horizon, status, round, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
    ),
    revision: sqlite.prepare("INSERT INTO recommendation_revisions (id, recommendation_id, round, text, reason, created_at) VALUES (?, ?, 1, ?, '', ?)"),
    vote: sqlite.prepare(
      "INSERT INTO votes (id, recommendation_id, round, scale, eligible, hidden_tally, hands_headcount, hands, declared_level, result, opened_at, closed_at) VALUES (?, ?, 1, 'agree_abstain_disagree', 0, 0, ?, ?, ?, ?, ?, ?)",
    ),
    summary: sqlite.prepare(
      "INSERT INTO summaries (id, session_id, language, list_panelists, visibility, markdown, version, status, review_deadline, circulated_at, updated_at, created_at) VALUES (?, ?, ?, 0, ?, ?, 1, 'draft', NULL, ?, ?, ?)",
    ),
    publication: sqlite.prepare(
      "INSERT INTO publications (id, session_id, number, language, visibility, title, markdown, change_note, imported_from, published_at) VALUES (?, ?, 1, ?, ?, ?, ?, '', NULL, ?)",
    ),
    link: sqlite.prepare(
      "INSERT INTO recommendation_links (id, source_recommendation_id, target_session_id, target_recommendation_id, relation, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    sessionMember: sqlite.prepare("INSERT INTO session_members (id, session_id, user_id, role, created_at) VALUES (?, ?, ?, 'rapporteur', ?)"),
    audit: sqlite.prepare("INSERT INTO audit_log (id, at, actor_user_id, action, programme_id, session_id, target_id, details) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)"),
  };

  const counts: NationalResult["counts"] = { localities: 0, sessions: 0, localSessions: 0, recommendations: 0, publications: 0, participantsOnly: 0, byLevel: {} };
  const programmeId = randomUUID();
  let nationalSessionId = "";
  let openRegionSessionId: string | null = null;
  let linkCount = 0;
  const consolidate = options.consolidate ?? true;
  const openRegion = consolidate ? (options.openRegion ?? "Gao") : null;

  sqlite.transaction(() => {
    const name = options.name ?? NATIONAL_DEMO_NAME;
    insert.programme.run(
      programmeId,
      name,
      "Un dialogue national à l'échelle du Mali : concertations communales, de cercle, régionales et de la diaspora, qui alimentent la session nationale. Programme généré pour la démonstration ; lieux réels, recommandations inventées.",
      now - 200 * DAY,
    );
    const levelIds = {} as Record<LevelKey, string>;
    DEFAULT_LEVELS.forEach((l, rank) => {
      levelIds[l.key as LevelKey] = randomUUID();
      insert.level.run(levelIds[l.key as LevelKey], programmeId, l.key, l.labelEn, l.labelFr, rank);
    });
    const seen = new Set<string>();
    for (const m of [{ userId: options.organiserUserId, role: "organiser" as const }, ...(options.members ?? [])]) {
      if (seen.has(m.userId)) continue;
      seen.add(m.userId);
      insert.member.run(randomUUID(), programmeId, m.userId, m.role, now - 200 * DAY);
    }
    const themeIds = {} as Record<ThemeKey, string>;
    for (const [key, [en, fr]] of Object.entries(THEMES)) {
      themeIds[key as ThemeKey] = randomUUID();
      insert.theme.run(themeIds[key as ThemeKey], programmeId, en, fr);
    }
    const addresseeIds = {} as Record<AddresseeKey, string>;
    for (const [key, [en, fr]] of Object.entries(ADDRESSEES)) {
      addresseeIds[key as AddresseeKey] = randomUUID();
      insert.addressee.run(addresseeIds[key as AddresseeKey], programmeId, en, fr);
    }
    const locality = (level: LevelKey, name: string, parentId: string | null) => {
      const id = randomUUID();
      insert.locality.run(id, programmeId, parentId, levelIds[level], name);
      counts.localities++;
      return id;
    };

    // The national session: upcoming, where the national recommendations will be consolidated.
    const mali = locality("national", "Mali", null);
    nationalSessionId = randomUUID();
    const nationalStart = Math.floor((now + 30 * DAY) / 3_600_000) * 3_600_000;
    insert.session.run(
      nationalSessionId, programmeId, levelIds.national, mali, null,
      "Dialogue inter-Maliens : session nationale de synthèse",
      "La session nationale reçoit les recommandations des régions et de la diaspora, les consolide et dit ce qu'il advient de chacune.",
      "Comité de pilotage du dialogue", "plenary", JSON.stringify(["fr", "en"]), nationalStart, nationalStart + 3 * DAY, "Africa/Bamako", "scheduled", null, null, now - 150 * DAY,
    );
    counts.sessions++;

    // The localities, top down; one session each.
    const regionCount = Math.min(sizes.regions, REGIONS.length * 10);
    const regions = Array.from({ length: regionCount }, (_, i) => (i < REGIONS.length ? REGIONS[i] : ([`Région ${i + 1}`, []] as [string, string[]])));
    const cerclesPerRegion = apportion(sizes.cercles, regions.map(([, c]) => Math.max(1, c.length)), 1, 1000);
    const sessions: LocalSession[] = [];
    const usedCommunes = new Set<string>();
    let communeIndex = 0;
    const allCercles: { name: string; region: string; localityId: string; sessionIndex: number }[] = [];
    const session = (s: Omit<LocalSession, "id">) => {
      sessions.push({ ...s, id: randomUUID() });
      return sessions.length - 1;
    };
    let openRegionIndex = -1;
    regions.forEach(([region, cercleNames], r) => {
      const regionLocality = locality("region", region, mali);
      if (region === openRegion) openRegionIndex = sessions.length;
      const regionSession = session({
        level: "region", localityId: regionLocality, parentId: nationalSessionId, title: `Concertation régionale de ${region}`, language: "fr", place: region, timeZone: "Africa/Bamako",
        description: `Les délégués des cercles de la région de ${region} mettent en commun les recommandations des concertations locales pour la session nationale.`, context: `région de ${region}`,
      });
      for (let c = 0; c < cerclesPerRegion[r]; c++) {
        const cercle = cercleNames[c] ?? `${region} ${c + 1}`;
        const cercleLocality = locality("cercle", cercle, regionLocality);
        const index = session({
          level: "cercle", localityId: cercleLocality, parentId: sessions[regionSession].id, title: `Concertation du cercle de ${cercle}`, language: "fr", place: cercle, timeZone: "Africa/Bamako",
          description: `Les représentants des communes du cercle de ${cercle} (région de ${region}) examinent les recommandations communales.`, context: `cercle de ${cercle}, région de ${region}`,
        });
        allCercles.push({ name: cercle, region, localityId: cercleLocality, sessionIndex: index });
      }
    });
    const communesPerCercle = apportion(sizes.communes, allCercles.map(() => 1), 1, 10_000);
    allCercles.forEach((cercle, c) => {
      for (let k = 0; k < communesPerCercle[c]; k++) {
        const commune = communeName(rng, usedCommunes, communeIndex++);
        usedCommunes.add(commune);
        const communeLocality = locality("commune", commune, cercle.localityId);
        session({
          level: "commune", localityId: communeLocality, parentId: sessions[cercle.sessionIndex].id, title: `Concertation communale de ${commune}`, language: "fr", place: commune, timeZone: "Africa/Bamako",
          description: `Les habitants de la commune de ${commune} (cercle de ${cercle.name}, région de ${cercle.region}) exposent leurs préoccupations et formulent leurs recommandations.`,
          context: `cercle de ${cercle.name}, région de ${cercle.region}`,
        });
      }
    });
    for (let p = 0; p < sizes.diaspora; p++) {
      const post = POSTS[p % POSTS.length];
      const city = p < POSTS.length ? post.city : `${post.city} ${Math.floor(p / POSTS.length) + 1}`;
      const english = languages === "en-diaspora" || (languages === "mixed" && post.anglophone);
      const postLocality = locality("diaspora", english ? `Malians in ${city} (${post.countryEn})` : `Maliens de ${city} (${post.countryFr})`, mali);
      session(
        english
          ? {
              level: "diaspora", localityId: postLocality, parentId: nationalSessionId, title: `Diaspora consultation: Malians in ${city} (${post.countryEn})`, language: "en", place: city, timeZone: post.timeZone,
              description: `Malians living in the consular district of ${city} (${post.countryEn}) met at the embassy or consulate to put their demands to the national dialogue.`, context: `${city}, ${post.countryEn}`,
            }
          : {
              level: "diaspora", localityId: postLocality, parentId: nationalSessionId, title: `Concertation de la diaspora : Maliens de ${city} (${post.countryFr})`, language: "fr", place: city, timeZone: post.timeZone,
              description: `Les Maliens de la circonscription consulaire de ${city} (${post.countryFr}) se sont réunis à l'ambassade ou au consulat pour porter leurs demandes au dialogue national.`, context: `${city}, ${post.countryFr}`,
            },
      );
    }

    // How many recommendations each session adopted or not: communes ~15, cercles more, regions most.
    const weightOf: Record<LevelKey, number> = { commune: 1, cercle: 1.6, region: 3, diaspora: 1.3, national: 0 };
    const pools = sessions.map((s) => poolOf(s));
    const quotas = apportion(
      sizes.recommendations,
      sessions.map((s) => weightOf[s.level] * (0.7 + rng.next() * 0.6)),
      1,
      pools.map((p) => p.length),
    );

    // Held in the months before: communes first, then cercles and diaspora, then regions.
    const window: Record<LevelKey, [number, number]> = { commune: [150, 110], cercle: [100, 85], diaspora: [110, 80], region: [75, 60], national: [0, 0] };
    /** What each session adopted, by the demand it expresses (for the consolidation below). */
    const adoptedBy: { id: string; demand: string }[][] = sessions.map(() => []);
    sessions.forEach((s, index) => {
      if (index === openRegionIndex) {
        // The open region's session: still to be held, where its rapporteur consolidates.
        const startsAt = Math.floor((now + 10 * DAY) / 3_600_000) * 3_600_000;
        insert.session.run(s.id, programmeId, levelIds[s.level], s.localityId, s.parentId, s.title, s.description, "Gouvernorat et organisations de la société civile", "plenary", JSON.stringify(["fr"]), startsAt, startsAt + 8 * 3_600_000, s.timeZone, "scheduled", null, null, now - 60 * DAY);
        ["Ouverture", "Consolidation des recommandations des cercles et des communes", "Adoption des recommandations régionales"].forEach((title, position) => insert.item.run(randomUUID(), s.id, position, title, [15, 180, 120][position] * 60_000, "pending", 0, null, null));
        if (options.regionalRapporteurUserId) insert.sessionMember.run(randomUUID(), s.id, options.regionalRapporteurUserId, now - 30 * DAY);
        openRegionSessionId = s.id;
        counts.sessions++;
        counts.localSessions++;
        counts.byLevel[s.level] = (counts.byLevel[s.level] ?? 0) + 1;
        return;
      }
      const [from, to] = window[s.level];
      const day = Math.floor((now - rng.int(to, from) * DAY) / DAY) * DAY;
      const startsAt = day + rng.int(7, 10) * 3_600_000;
      const endsAt = startsAt + 4 * 3_600_000;
      const finalisedAt = endsAt + DAY;
      const circulatedAt = finalisedAt + 2 * DAY;
      const publishedAt = circulatedAt + rng.int(5, 12) * DAY;
      const kind = s.level === "region" ? "plenary" : "local_dialogue";
      const langs = s.language === "en" ? ["en", "fr"] : ["fr"];
      const coHosts = s.level === "diaspora" ? (s.language === "en" ? "Embassy of Mali; Malian associations" : "Ambassade du Mali ; associations de Maliens") : "Mairie et organisations de la société civile";
      insert.session.run(s.id, programmeId, levelIds[s.level], s.localityId, s.parentId, s.title, s.description, coHosts, kind, JSON.stringify(langs), startsAt, endsAt, s.timeZone, "published", endsAt, finalisedAt, startsAt - 30 * DAY);
      counts.sessions++;
      counts.localSessions++;
      counts.byLevel[s.level] = (counts.byLevel[s.level] ?? 0) + 1;

      // The agenda as held: every item done.
      const items = s.language === "en" ? ["Opening", "Threats and needs", "Recommendations"] : ["Ouverture", "Préoccupations des populations", "Recommandations"];
      const minutes = [15, 90, 120];
      const itemIds = items.map(() => randomUUID());
      let at = startsAt;
      items.forEach((title, position) => {
        const ms = minutes[position] * 60_000;
        insert.item.run(itemIds[position], s.id, position, title, ms, "done", ms, at, at + ms);
        at += ms;
      });
      const recItem = itemIds[2];
      const votedAt = startsAt + 3 * 3_600_000;

      const lines: string[] = [];
      let adopted = 0;
      for (const demand of pickDemands(rng, pools[index], quotas[index])) {
        const text = phrase(rng, demand, s.language, s.place, AREAS[s.level as keyof typeof AREAS]);
        const o = outcome(rng);
        const status = ADOPTED_LEVELS.includes(o.result.level) ? "adopted" : "not_adopted";
        if (status === "adopted") adopted++;
        const horizon: Horizon = rng.chance(0.15) ? rng.pick(HORIZONS) : demand.horizon;
        const recId = randomUUID();
        const t = votedAt + lines.length * 60_000;
        insert.recommendation.run(recId, s.id, recItem, text, addresseeIds[demand.addressee], themeIds[demand.theme], horizon, status, t - 30 * 60_000, t + 60_000);
        if (status === "adopted") adoptedBy[index].push({ id: recId, demand: demand.key });
        insert.revision.run(randomUUID(), recId, text, t - 30 * 60_000);
        if (o.declared) insert.vote.run(randomUUID(), recId, null, null, o.result.level, JSON.stringify(o.result), t, t);
        else insert.vote.run(randomUUID(), recId, o.headcount, JSON.stringify(o.hands), null, JSON.stringify(o.result), t - 5 * 60_000, t);
        lines.push(`- ${wordRecommendation(o.result, text, { lang: s.language, audience: "public", numbers: true }).text}`);
        counts.recommendations++;
      }

      // The published summary: public, but every Nth kept for the session's participants.
      const participantsOnly = participantsOnlyEvery > 0 && index % participantsOnlyEvery === participantsOnlyEvery - 1;
      const visibility = participantsOnly ? "participants" : "public";
      if (participantsOnly) counts.participantsOnly++;
      const markdown = summaryMarkdown(s, startsAt, lines, adopted);
      insert.summary.run(randomUUID(), s.id, s.language, visibility, markdown, circulatedAt, circulatedAt, finalisedAt);
      insert.publication.run(randomUUID(), s.id, s.language, visibility, s.title, markdown, publishedAt);
      counts.publications++;
    });

    // The consolidation that already happened: each cercle took up its communes' demands, each region
    // its cercles' (the national session and the open region are still to come).
    if (consolidate) {
      const reasons = [
        "Relève de la compétence des autorités communales.",
        "Déjà prise en compte par un programme national en cours.",
        "Hors du champ du dialogue.",
      ];
      const openId = openRegionIndex >= 0 ? sessions[openRegionIndex].id : null;
      sessions.forEach((parent, p) => {
        if (parent.level !== "cercle" && parent.level !== "region") return;
        if (p === openRegionIndex || parent.parentId === openId) return;
        const own = new Map<string, string>();
        for (const r of adoptedBy[p]) own.set(r.demand, r.id);
        const children = sessions.map((s, i) => (s.parentId === parent.id ? i : -1)).filter((i) => i >= 0);
        const asked = new Map<string, number>();
        for (const c of children) for (const r of adoptedBy[c]) asked.set(r.demand, (asked.get(r.demand) ?? 0) + 1);
        const at = now - (parent.level === "cercle" ? 84 : 59) * DAY;
        for (const c of children) {
          for (const r of adoptedBy[c]) {
            const target = own.get(r.demand);
            if (target) {
              const relation = rng.chance(0.08) ? "partly_taken_up" : (asked.get(r.demand) ?? 0) > 1 ? "merged" : rng.chance(0.5) ? "adopted_as_is" : "adapted";
              insert.link.run(randomUUID(), r.id, parent.id, target, relation, "", at);
              linkCount++;
            } else if (rng.chance(0.35)) {
              insert.link.run(randomUUID(), r.id, parent.id, null, "not_retained", rng.pick(reasons), at);
              linkCount++;
            }
          }
        }
      });
    }

    insert.audit.run(randomUUID(), now, options.organiserUserId, "programme.created", programmeId, programmeId, JSON.stringify({ generated: true, sessions: counts.sessions, recommendations: counts.recommendations }));
  })();

  return { programmeId, nationalSessionId, openRegionSessionId, links: linkCount, counts, ms: Math.round(performance.now() - started) };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function formatDate(ms: number, language: "fr" | "en", timeZone: string): string {
  const key = `${language} ${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === "en" ? "en-GB" : "fr-FR", { dateStyle: "long", timeZone });
    dateFormats.set(key, f);
  }
  return f.format(ms);
}

function summaryMarkdown(s: LocalSession, startsAt: number, lines: string[], adopted: number): string {
  const date = formatDate(startsAt, s.language, s.timeZone);
  if (s.language === "en") {
    return [
      `# ${s.title}`,
      "",
      `*${s.context}, ${date}. Held under the Chatham House Rule.*`,
      "",
      `${s.description} ${lines.length} recommendations were put to the room; ${adopted} were adopted.`,
      "",
      "## Recommendations",
      "",
      ...lines,
      "",
      "*Nothing in this summary is attributed to any participant.*",
    ].join("\n");
  }
  return [
    `# ${s.title}`,
    "",
    `*${capitalise(s.context)}, ${date}. Concertation tenue sous la règle de Chatham House.*`,
    "",
    `${s.description} ${lines.length} recommandations ont été soumises à l'assemblée ; ${adopted} ont été adoptées.`,
    "",
    "## Recommandations",
    "",
    ...lines,
    "",
    "*Aucun propos de ce compte rendu n'est attribué à un participant.*",
  ].join("\n");
}
