/**
 * A labelled corpus for the attribution guard (app/models/guard.ts). Invented people on the demo roster;
 * sentences in the style of a published roundtable note (the IPI Mali note). `flag` lists substrings that
 * must be covered by a finding. `rosterOnly`: only a roster match can see it (participants may miss it). `knownMiss`: kept in the
 * figures honestly, but the engine is known to get it wrong (see the comment on each).
 */
import type { GuardRosterEntry } from "../../app/models/guard";

export type CorpusItem = { text: string; lang: "en" | "fr"; identifying: boolean; flag?: string[]; rosterOnly?: boolean; knownMiss?: boolean };

export const DEMO_ROSTER: GuardRosterEntry[] = [
  {
    name: "Ingrid Halvorsen",
    shortForms: ["Halvorsen", "Ingrid"],
    organisation: "Nordic Institute for Conflict Studies",
    acronyms: ["NICS"],
    title: "Senior researcher",
    country: "Norway",
    role: "panelist",
    category: "academic",
  },
  { name: "Daniel Okafor", shortForms: ["Okafor"], organisation: "Institute for Peace Dialogue", acronyms: ["IPD"], title: "Vice President", country: "", role: "moderator", category: "ngo" },
  { name: "Hamadoun Cissé", shortForms: ["Cissé"], organisation: "Sahel Civilian Protection Network", acronyms: ["SCPN"], title: "Coordinator", country: "Mali", role: "participant", category: "community" },
  {
    name: "Élodie Marchand",
    shortForms: ["Marchand", "Élodie"],
    organisation: "Permanent Mission of France to the United Nations",
    acronyms: [],
    title: "Counsellor",
    country: "France",
    role: "participant",
    category: "diplomat",
  },
  { name: "Yacouba Coulibaly", shortForms: ["Coulibaly"], organisation: "Department of Peace Operations", acronyms: ["DPO"], title: "Political affairs officer", country: "", role: "participant", category: "un_official" },
];

const en = (text: string, flag?: string[], rosterOnly?: boolean): CorpusItem => ({ text, lang: "en", identifying: !!flag, flag, rosterOnly });
const fr = (text: string, flag?: string[], rosterOnly?: boolean): CorpusItem => ({ text, lang: "fr", identifying: !!flag, flag, rosterOnly });

export const CORPUS: CorpusItem[] = [
  // --- English, harmless: subject matter, collective subjects, countries as subjects
  en("Experts identified the weakness of the central government, resource competition and predatory state practices."),
  en("Participants highlighted the complexity of narratives in the country and the problematic use of labels."),
  en("Some suggested that framing the conflict as one of violent extremism may be doing more harm than good."),
  en("Others noted that rigid categories like inter-communal violence can do a disservice to analysis."),
  en("There was consensus that MINUSMA's POC strategy must be further refined and adapted."),
  en("The situation in Mali has deteriorated since the 2015 Agreement for Peace and Reconciliation."),
  en("Mali's north and centre remain the most affected regions, especially around Mopti and Gao."),
  en("France announced a drawdown of its forces, and Niger and Burkina Faso faced similar pressures."),
  en("Researchers identified tensions between Dogon and Fulani people in central Mali as particularly worrisome."),
  en("The UN and the European Union could further support peacebuilding programs that build on local resilience."),
  en("Mines and improvised explosive devices (IEDs) remain the main threat to civilians."),
  en("One participant stressed that NGOs need safe access to rural communes."),
  en("Panelists mentioned the possibility to further explore the UN's added value in preventing violent extremism."),
  en("Experts were unequivocal that only a Malian-led dialogue could drive critical reforms."),
  en("A representative of a member state suggested clearer benchmarks for the transition."),
  en("The Security Council should consider the protection of civilians when renewing the mandate."),
  en("As was noted, the lack of trust towards the state among certain communities is a key obstacle."),
  en("Several speakers said that the Malian government should pursue reform more inclusively."),
  en("Water points in Mopti: protecting them before the dry season"),
  // Every summary's disclaimer names the rule.
  en("The discussion was held under the Chatham House Rule: participants are free to use the information received."),
  fr("Les échanges se sont déroulés sous la règle de Chatham House : les participants sont libres d'utiliser les informations."),
  // --- English, identifying
  en("Ingrid Halvorsen said that the peace process ignored justice.", ["Ingrid Halvorsen"]),
  en("Halvorsen said the data on displacement was incomplete.", ["Halvorsen"]),
  en("As Daniel Okafor noted, the mediation track has stalled.", ["As Daniel Okafor noted"]),
  en("According to Hamadoun Cisse, militias recruit in the camps.", ["Hamadoun Cisse"]),
  en("ELODIE MARCHAND argued for a stronger mandate.", ["ELODIE MARCHAND"]),
  en("The representative of France insisted on the electoral calendar.", ["representative of France"]),
  en("The Malian delegation called for more flexibility in the mandate.", ["Malian delegation"]),
  en("France's mission circulated a draft before the meeting.", ["France's mission"]),
  en("A senior official from the Norwegian mission disagreed with the timeline.", ["Norwegian mission"]),
  en("Ambassador Lindqvist warned against a hasty withdrawal.", ["Ambassador Lindqvist"]),
  en("Dr Smith presented new figures on civilian casualties.", ["Dr Smith"]),
  en("Mr Coulibaly explained the constraints of the mission budget.", ["Mr Coulibaly"]),
  en("The researcher from NICS shared field data from Mopti.", ["NICS"]),
  en("Someone from the DPO said the budget would be cut.", ["DPO"]),
  en("Peter Lindqvist of the Swedish Refugee Council disagreed.", ["Peter Lindqvist"]),
  en("As Aminata Traore put it, the state is absent in the centre.", ["Aminata Traore"]),
  en("According to Sofia Berg, local mediators are underused.", ["Sofia Berg"]),
  en("Okafor noted that the agenda was too ambitious.", ["Okafor"]),
  en("The Vice President of the Institute for Peace Dialogue opened the discussion.", ["Institute for Peace Dialogue"]),
  en("A participant from the Sahel Civilian Protection Network described abuses in Ménaka.", ["Sahel Civilian Protection Network"]),
  en("The ambassador said the mandate renewal would be difficult.", ["ambassador"]),
  en("Yacouba Coulibaly (DPO) presented the strategic review.", ["Yacouba Coulibaly"]),
  // --- French, harmless
  fr("Les participants ont souligné la faiblesse de l'État central et la concurrence pour les ressources."),
  fr("Les experts ont identifié plusieurs facteurs de violence contre les civils au Mali."),
  fr("Certains ont estimé que le cadrage du conflit comme extrémisme violent est contre-productif."),
  fr("D'autres ont noté que les catégories rigides desservent l'analyse."),
  fr("La France a annoncé le retrait de ses forces du nord du pays."),
  fr("La situation au Mali s'est détériorée depuis l'accord de paix de 2015."),
  fr("Il y a eu consensus sur la nécessité d'adapter la stratégie de la MINUSMA."),
  fr("Les ONG demandent un accès sécurisé aux communes rurales."),
  fr("Les engins explosifs improvisés restent la principale menace pour les civils."),
  fr("Un participant a rappelé que le dialogue doit rester inclusif."),
  fr("Les chercheurs ont décrit les tensions entre Dogon et Peuls dans le centre du Mali."),
  fr("L'ONU et l'Union européenne pourraient soutenir davantage les programmes locaux."),
  fr("Comme cela a été souligné, la confiance envers l'État reste faible."),
  fr("Un représentant d'un État membre a proposé des jalons plus clairs pour la transition."),
  fr("Le marchand de bétail du village a perdu son troupeau, selon plusieurs intervenants."),
  fr("Le gouvernement malien devrait mener les réformes de manière plus inclusive."),
  fr("Selon les participants, le Niger et le Burkina Faso font face à des pressions similaires."),
  // --- French, identifying
  fr("Selon Hamadoun Cissé, les milices recrutent dans les camps.", ["Selon Hamadoun Cissé"]),
  fr("Comme l'a dit Ingrid Halvorsen, le processus ignore la justice.", ["Ingrid Halvorsen"]),
  fr("Élodie Marchand a déclaré que le calendrier électoral était intenable.", ["Élodie Marchand"]),
  fr("Le représentant de la France a insisté sur le calendrier.", ["représentant de la France"]),
  fr("La représentante du Mali a demandé plus de souplesse.", ["représentante du Mali"]),
  fr("La délégation malienne a demandé plus de souplesse dans le mandat.", ["délégation malienne"]),
  fr("La mission de la France a fait circuler un projet avant la réunion.", ["mission de la France"]),
  fr("L'ambassadeur de Norvège a mis en garde contre un retrait précipité.", ["ambassadeur de Norvège"]),
  fr("M. Traoré a présenté de nouveaux chiffres sur les victimes civiles.", ["M. Traoré"]),
  fr("Mme Diallo a souligné le rôle des femmes médiatrices.", ["Mme Diallo"]),
  fr("Le professeur Keita estime que l'État est absent du centre.", ["professeur Keita"]),
  fr("Selon M. Coulibaly, le budget sera réduit.", ["M. Coulibaly"]),
  fr("Cisse a déclaré que les déplacés manquent de tout.", ["Cisse"]),
  fr("Marchand a rappelé les engagements de Paris.", ["Marchand"]),
  fr("Un chercheur du NICS a partagé des données de terrain.", ["NICS"]),
  fr("Aïssata Touré a décrit des abus dans la région de Ménaka.", ["Aïssata Touré"]),
  fr("Comme l'a souligné Mme Berg, les médiateurs locaux sont sous-utilisés.", ["Mme Berg"]),
  fr("La délégation américaine a proposé un texte de compromis.", ["délégation américaine"]),
  fr("Le coordinateur du Réseau sahélien de protection des civils a pris la parole.", ["Réseau"]),
  fr("L'ambassadrice a jugé le renouvellement du mandat difficile.", ["ambassadrice"]),
  fr("Une responsable du Département des opérations de paix a présenté la revue.", ["Département des opérations de paix"]),
  fr("Daniel Okafor, de l'IPD, a ouvert la discussion.", ["Daniel Okafor", "IPD"]),
  // --- Known errors, kept in the figures
  // a nationality on a colleague, with no role noun: missed by both checks
  fr("Notre collègue norvégienne a insisté sur la justice.", ["collègue norvégienne"]),
  // a roster title with no name, preposition or speech verb: missed by both checks
  en("The Vice President opened the discussion.", ["Vice President"]),
  en("As our Nigerien counterpart put it, the border is porous.", ["Nigerien counterpart"]),
  fr("Notre homologue malien a souligné le manque de moyens.", ["homologue malien"]),
  en("The Deputy Director said funding would fall.", ["Deputy Director"]),
  en("The President said in 2023 that the elections would be delayed."),
  fr("Le Président de la transition a annoncé un référendum."),
  en("Our partners in Norway fund the programme."),
  en("Water points are too far from the villages."),
  fr("Il faut, comme le propose Okafor, financer les radios communautaires.", ["comme le propose Okafor"]),
  fr("Comme le souligne le rapport, les routes sont dangereuses."),
  en("Farmers said the rains came late."),
  en("Amadou says water points are far.", ["Amadou"]),
  fr("Nos collègues du terrain manquent de moyens."),
  // an organisation name without an organisation keyword reads as a person-like name: false alarm
  { ...en("Human Rights Watch documented abuses in central Mali."), knownMiss: true },
];
