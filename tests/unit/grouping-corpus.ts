/**
 * A hand-labelled set of commune, cercle, region and diaspora recommendations for the grouping of
 * near-identical recommendations (app/models/grouping.ts). Written the way different communes phrase the
 * same demand in Mali's dialogues (security, justice, governance, education, health, water, roads, women
 * and youth, displaced people), with near-misses that must stay apart ("build a school" / "build a health
 * centre", "recruit teachers" / "pay teachers' arrears", "drill boreholes" / "repair boreholes").
 *
 * `cluster` is the label: items with the same label make the same demand and should be grouped; items
 * with different labels should not. A label used once is a demand no other item makes. The labels were
 * written by meaning before the grouping was tuned, and some demands are phrased with different words on
 * purpose (synonyms, paraphrases): they stay in the figures as the misses they are.
 *
 * `HELD_OUT` was kept out of the tuning: the parameters in grouping.ts were chosen by looking at CORPUS
 * only, and HELD_OUT is scored separately (docs/grouping.md), as a check that they were not fitted to it.
 */
export type CorpusItem = { id: string; language: "en" | "fr"; cluster: string; text: string };

type Row = [cluster: string, text: string];

const FR: Row[] = [
  // Education: recruiting teachers, paying their arrears, building and reopening schools.
  ["fr-teachers-recruit", "Recruter davantage d'enseignants qualifiés pour les écoles de la commune."],
  ["fr-teachers-recruit", "Que l'État recrute des enseignants en nombre suffisant pour nos écoles."],
  ["fr-teachers-recruit", "Nous demandons le recrutement de nouveaux enseignants dans les écoles rurales."],
  ["fr-teachers-recruit", "Recrutement d'enseignants qualifiés pour les écoles de nos villages."],
  ["fr-teachers-recruit", "L'État doit recruter plus de maîtres pour les écoles de la commune."],
  ["fr-teachers-arrears", "Payer les arriérés de salaire des enseignants."],
  ["fr-teachers-arrears", "Que le gouvernement paie les arriérés de salaires dus aux enseignants."],
  ["fr-teachers-arrears", "Régler sans délai les arriérés de salaire des enseignants contractuels."],
  ["fr-teachers-arrears", "Paiement des arriérés de salaires des enseignants de la commune."],
  ["fr-school-build", "Construire une école dans chaque village de la commune."],
  ["fr-school-build", "Construction d'écoles dans les villages qui n'en ont pas."],
  ["fr-school-build", "Que l'État construise des écoles dans nos villages."],
  ["fr-school-build", "Nous demandons la construction d'une école dans chaque village."],
  ["fr-health-centre-build", "Construire un centre de santé dans chaque village de la commune."],
  ["fr-health-centre-build", "Construction de centres de santé communautaires dans les villages."],
  ["fr-health-centre-build", "Que l'État construise un centre de santé dans nos villages."],
  ["fr-health-centre-build", "Nous demandons la construction d'un CSCOM dans chaque aire de santé."],
  ["fr-schools-reopen", "Rouvrir les écoles fermées à cause de l'insécurité."],
  ["fr-schools-reopen", "Réouverture des écoles fermées du fait de l'insécurité dans la commune."],
  ["fr-schools-reopen", "Que les écoles fermées pour raison d'insécurité soient rouvertes."],
  ["fr-schools-reopen", "Permettre la réouverture des écoles fermées par l'insécurité et protéger les enseignants."],
  ["fr-teacher-housing", "Construire des logements pour les enseignants affectés dans les villages."],
  ["fr-school-canteens", "Installer des cantines scolaires dans toutes les écoles de la commune."],
  ["fr-teachers-displaced-training", "Former les enseignants à l'accueil des élèves déplacés."],
  ["fr-teachers-protect", "Protéger les enseignants menacés par les groupes armés."],

  // Security.
  ["fr-army-presence", "Renforcer la présence de l'armée dans la commune pour protéger les populations."],
  ["fr-army-presence", "Renforcement de la présence des forces armées dans notre commune."],
  ["fr-army-presence", "Que l'État renforce la présence des forces de défense et de sécurité dans la commune."],
  ["fr-army-presence", "Augmenter la présence des forces armées maliennes pour assurer la protection des populations."],
  ["fr-market-patrols", "Organiser des patrouilles régulières sur les routes menant aux marchés hebdomadaires."],
  ["fr-market-patrols", "Sécuriser les foires et marchés hebdomadaires par des patrouilles régulières."],
  ["fr-market-patrols", "Patrouilles régulières des forces de sécurité les jours de foire et de marché."],
  ["fr-militias-disarm", "Désarmer les milices d'autodéfense."],
  ["fr-militias-disarm", "Procéder au désarmement de toutes les milices et groupes d'autodéfense."],
  ["fr-militias-disarm", "Que l'État désarme les groupes d'autodéfense présents dans la commune."],
  ["fr-militias-disarm", "Désarmement des milices communautaires d'autodéfense."],
  ["fr-ddr", "Accélérer le processus de désarmement, démobilisation et réinsertion des ex-combattants."],
  ["fr-ddr", "Accélérer le DDR et la réinsertion des ex-combattants."],
  ["fr-youth-army", "Recruter des jeunes de la commune dans l'armée."],
  ["fr-mines", "Déminer les routes et sensibiliser les populations aux engins explosifs improvisés."],

  // Justice.
  ["fr-court", "Rendre la justice accessible en installant un tribunal dans le cercle."],
  ["fr-court", "Installer un tribunal de première instance dans le chef-lieu de cercle."],
  ["fr-court", "Que l'État installe un tribunal dans notre cercle pour rapprocher la justice des justiciables."],
  ["fr-impunity", "Enquêter sur les exactions commises contre les civils et punir les auteurs."],
  ["fr-impunity", "Que les auteurs des exactions contre les populations civiles soient poursuivis et jugés."],
  ["fr-impunity", "Mener des enquêtes sur les exactions contre les civils et traduire les auteurs en justice."],
  ["fr-impunity", "Lutter contre l'impunité en poursuivant les auteurs d'exactions contre les civils."],
  ["fr-victims-compensation", "Indemniser les victimes des exactions commises contre les civils."],
  ["fr-traditional-justice", "Reconnaître le rôle des cadis et des autorités traditionnelles dans le règlement des conflits."],
  ["fr-traditional-justice", "Valoriser les autorités traditionnelles et religieuses dans la gestion des conflits."],
  ["fr-traditional-justice", "Impliquer les chefs traditionnels et les cadis dans le règlement des conflits."],

  // Governance.
  ["fr-decentralisation", "Transférer effectivement les ressources financières aux collectivités territoriales."],
  ["fr-decentralisation", "Que l'État transfère les ressources promises aux communes dans le cadre de la décentralisation."],
  ["fr-decentralisation", "Transfert effectif des compétences et des ressources aux collectivités territoriales."],
  ["fr-corruption", "Lutter contre la corruption dans l'administration publique."],
  ["fr-corruption", "Renforcer la lutte contre la corruption dans les services de l'État."],
  ["fr-corruption", "Combattre la corruption et le détournement des deniers publics."],
  ["fr-corruption", "Sanctionner les agents de l'État coupables de corruption."],
  ["fr-admin-return", "Assurer le retour de l'administration et des services sociaux de base dans les communes."],
  ["fr-admin-return", "Retour effectif de l'administration dans les zones abandonnées."],
  ["fr-admin-return", "Que les préfets et sous-préfets regagnent leurs postes."],
  ["fr-community-radio", "Créer une radio communautaire pour informer les populations."],
  ["fr-mobile-network", "Rétablir le réseau de téléphonie mobile coupé dans la commune."],

  // Water.
  ["fr-boreholes-new", "Réaliser des forages dans les villages sans accès à l'eau potable."],
  ["fr-boreholes-new", "Construire des forages pour l'accès à l'eau potable dans tous les villages."],
  ["fr-boreholes-new", "Multiplier les forages d'eau potable dans la commune."],
  ["fr-boreholes-new", "Accès à l'eau potable : réalisation de forages dans les hameaux."],
  ["fr-boreholes-repair", "Réparer les forages et les pompes en panne."],
  ["fr-boreholes-repair", "Réhabiliter les forages en panne dans les villages."],
  ["fr-boreholes-repair", "Remise en état des pompes et des forages en panne."],
  ["fr-irrigation", "Aménager des périmètres irrigués pour les jeunes."],
  ["fr-irrigation", "Aménagement de périmètres irrigués villageois."],

  // Roads.
  ["fr-road-tar", "Bitumer la route reliant la commune au chef-lieu de région."],
  ["fr-road-tar", "Bitumage de la route entre la commune et le chef-lieu de région."],
  ["fr-road-tar", "Que l'État bitume la route qui relie notre commune à la capitale régionale."],
  ["fr-rural-tracks", "Réhabiliter les pistes rurales entre les villages."],
  ["fr-rural-tracks", "Réhabilitation des pistes rurales reliant les villages aux marchés."],
  ["fr-rural-tracks", "Entretenir les pistes rurales pour désenclaver les villages."],
  ["fr-bridge", "Construire un pont sur le fleuve pour désenclaver la commune pendant l'hivernage."],

  // Women and youth.
  ["fr-women-quota", "Appliquer la loi sur le quota de 30 % de femmes dans les instances de décision."],
  ["fr-women-quota", "Respect de la loi 052 sur la représentation des femmes dans les instances électives et nominatives."],
  ["fr-women-quota", "Respecter le quota de 30 % de femmes dans les instances de décision."],
  ["fr-women-quota", "Assurer l'application effective du quota de femmes aux postes nominatifs et électifs."],
  ["fr-women-income", "Financer les activités génératrices de revenus des femmes."],
  ["fr-women-income", "Appuyer financièrement les associations de femmes pour leurs activités génératrices de revenus."],
  ["fr-women-income", "Faciliter l'accès des femmes au crédit pour les activités génératrices de revenus."],
  ["fr-youth-jobs", "Créer des emplois pour les jeunes afin de les détourner des groupes armés."],
  ["fr-youth-jobs", "Créer des opportunités d'emploi pour les jeunes pour éviter leur enrôlement dans les groupes armés."],
  ["fr-youth-jobs", "L'emploi des jeunes est une priorité pour les détourner des groupes armés."],
  ["fr-youth-jobs", "Former et employer les jeunes pour qu'ils ne rejoignent pas les groupes armés."],
  ["fr-vocational-centre", "Construire un centre de formation professionnelle pour les jeunes."],
  ["fr-vocational-centre", "Créer un centre de formation professionnelle pour les jeunes de la commune."],
  ["fr-vocational-centre", "Ouvrir un centre de formation professionnelle et technique pour les jeunes."],

  // Displaced people.
  ["fr-displaced-return", "Créer les conditions d'un retour sûr des déplacés dans leurs villages."],
  ["fr-displaced-return", "Sécuriser les villages d'origine pour permettre le retour volontaire des personnes déplacées."],
  ["fr-displaced-return", "Favoriser le retour des déplacés internes dans leurs villages d'origine en toute sécurité."],
  ["fr-displaced-food", "Apporter une assistance alimentaire aux personnes déplacées internes."],
  ["fr-displaced-food", "Assistance alimentaire d'urgence aux déplacés."],
  ["fr-displaced-food", "Distribuer des vivres aux familles déplacées accueillies dans la commune."],
  ["fr-displaced-papers", "Délivrer des actes de naissance et des cartes d'identité aux déplacés."],
  ["fr-displaced-papers", "Faciliter l'obtention des pièces d'état civil pour les personnes déplacées."],
  ["fr-displaced-papers", "Établir des actes de naissance pour les enfants déplacés."],

  // Health.
  ["fr-health-staff", "Affecter du personnel de santé qualifié dans les centres de santé."],
  ["fr-health-staff", "Affectation de médecins et d'infirmiers dans les CSCOM de la commune."],
  ["fr-health-staff", "Doter les centres de santé en personnel qualifié."],
  ["fr-health-drugs", "Doter les centres de santé en médicaments essentiels."],
  ["fr-health-drugs", "Approvisionner régulièrement les centres de santé en médicaments."],
  ["fr-health-drugs", "Assurer la disponibilité des médicaments essentiels dans les CSCOM."],
  ["fr-ambulance", "Doter le centre de santé de référence d'une ambulance."],
  ["fr-ambulance", "Mettre une ambulance à la disposition du centre de santé de référence."],
  ["fr-maternity", "Construire une maternité au centre de santé de la commune."],
  ["fr-vaccination", "Organiser des campagnes de vaccination dans les villages."],
  ["fr-solar", "Électrifier les écoles et les centres de santé par l'énergie solaire."],

  // Social cohesion, land, livelihoods.
  ["fr-intercommunity", "Organiser des rencontres intercommunautaires pour renforcer la cohésion sociale."],
  ["fr-intercommunity", "Multiplier les cadres de dialogue intercommunautaire pour la cohésion sociale."],
  ["fr-intercommunity", "Renforcer la cohésion sociale par des rencontres régulières entre communautés."],
  ["fr-transhumance", "Délimiter les couloirs de transhumance pour prévenir les conflits entre agriculteurs et éleveurs."],
  ["fr-transhumance", "Matérialiser les couloirs de transhumance afin d'éviter les conflits entre éleveurs et agriculteurs."],
  ["fr-transhumance", "Baliser les couloirs de passage des animaux pour réduire les conflits entre agriculteurs et éleveurs."],
  ["fr-fertiliser", "Réduire le prix des engrais pour les agriculteurs."],
  ["fr-gold-mining", "Lutter contre l'orpaillage clandestin et ses dégâts sur l'environnement."],
  ["fr-street-lights", "Installer des lampadaires solaires dans les rues du chef-lieu de commune."],
];

const EN: Row[] = [
  ["en-diaspora-vote", "Allow Malians abroad to vote in all national elections."],
  ["en-diaspora-vote", "Guarantee the right of the diaspora to vote in national elections from abroad."],
  ["en-diaspora-vote", "Malians living abroad should be able to vote in every national election."],
  ["en-consular", "Reduce the cost and delays of consular services for Malians abroad."],
  ["en-consular", "Make consular services faster and cheaper for the diaspora."],
  ["en-consular", "Lower consular fees and cut the delays of consular services for Malians living abroad."],
  ["en-diaspora-invest", "Create incentives for the diaspora to invest in Mali."],
  ["en-diaspora-invest", "Set up a fund to encourage diaspora investment in Mali."],
  ["en-diaspora-invest", "Encourage investment in Mali by the diaspora through tax incentives."],
  ["en-teachers-recruit", "Recruit more qualified teachers for rural schools."],
  ["en-teachers-recruit", "Hire more qualified teachers for schools in rural areas."],
  ["en-teachers-recruit", "The government should recruit additional teachers for rural schools."],
  ["en-teachers-arrears", "Pay teachers' salary arrears."],
  ["en-teachers-arrears", "The government must pay the salary arrears owed to teachers."],
  ["en-teachers-arrears", "Settle teachers' unpaid salary arrears without delay."],
  ["en-school-build", "Build a school in every village."],
  ["en-school-build", "Build schools in villages that have none."],
  ["en-school-build", "Construct a primary school in each village."],
  ["en-health-build", "Build a health centre in every village."],
  ["en-health-build", "Build health centres in villages that have none."],
  ["en-health-build", "Construct a community health centre in each village."],
  ["en-impunity", "Investigate abuses against civilians and prosecute those responsible."],
  ["en-impunity", "Those responsible for abuses against civilians must be prosecuted."],
  ["en-impunity", "Bring the perpetrators of abuses against civilians to justice."],
  ["en-youth-jobs", "Create jobs for young people so that armed groups cannot recruit them."],
  ["en-youth-jobs", "Provide employment for young people to keep them away from armed groups."],
  ["en-consulate-lagos", "Open a Malian consulate in Lagos."],
  ["en-languages", "Teach Malian languages to the children of the diaspora."],
  ["en-remittances", "Lower the fees charged on money sent home by Malians abroad."],
];

/** Kept out of the tuning: the same kinds of demands, in other phrasings. */
const HELD_OUT_FR: Row[] = [
  ["h-fr-teachers-recruit", "Recruter des enseignants pour les écoles des villages de la commune."],
  ["h-fr-teachers-recruit", "Que l'État procède au recrutement d'enseignants pour nos écoles."],
  ["h-fr-teachers-arrears", "Payer les arriérés de salaire dus aux enseignants contractuels."],
  ["h-fr-teachers-arrears", "Le paiement des arriérés de salaire des enseignants est une urgence."],
  ["h-fr-school-build", "Construire des écoles dans les villages de la commune."],
  ["h-fr-health-build", "Construire des centres de santé dans les villages de la commune."],
  ["h-fr-boreholes-new", "Réaliser de nouveaux forages pour l'eau potable dans les villages."],
  ["h-fr-boreholes-new", "Nous demandons des forages d'eau potable pour nos villages."],
  ["h-fr-boreholes-repair", "Réparer les pompes et les forages en panne dans la commune."],
  ["h-fr-army", "Renforcer la présence des forces armées pour protéger les populations de la commune."],
  ["h-fr-army", "Nous demandons le renforcement de la présence de l'armée dans la commune."],
  ["h-fr-youth-jobs", "Créer des emplois pour les jeunes afin qu'ils ne rejoignent pas les groupes armés."],
  ["h-fr-youth-jobs", "Offrir des emplois aux jeunes pour les détourner des groupes armés."],
  ["h-fr-vocational", "Créer un centre de formation professionnelle pour les jeunes du cercle."],
  ["h-fr-impunity", "Poursuivre et juger les auteurs des exactions contre les civils."],
  ["h-fr-impunity", "Traduire en justice les auteurs d'exactions commises contre les civils."],
  ["h-fr-victims", "Prendre en charge les victimes des exactions et leurs familles."],
  ["h-fr-road-tar", "Bitumer la route qui relie la commune au chef-lieu de région."],
  ["h-fr-tracks", "Réhabiliter les pistes rurales pour désenclaver les villages."],
  ["h-fr-displaced-return", "Sécuriser les villages pour permettre le retour des déplacés."],
  ["h-fr-displaced-return", "Permettre le retour des personnes déplacées dans leurs villages en toute sécurité."],
  ["h-fr-displaced-food", "Assistance alimentaire aux personnes déplacées accueillies dans la commune."],
  ["h-fr-women-quota", "Appliquer le quota de 30 % de femmes dans les instances de décision de la commune."],
  ["h-fr-women-income", "Financer les activités génératrices de revenus des associations de femmes."],
  ["h-fr-health-drugs", "Approvisionner les centres de santé en médicaments essentiels."],
  ["h-fr-health-staff", "Affecter des infirmiers et des sages-femmes qualifiés dans les centres de santé."],
];

const HELD_OUT_EN: Row[] = [
  ["h-en-teachers-recruit", "Recruit more teachers for the schools of rural communes."],
  ["h-en-teachers-arrears", "Pay the salary arrears owed to contract teachers."],
  ["h-en-diaspora-vote", "Let Malians abroad vote in national elections."],
  ["h-en-diaspora-vote", "The diaspora must be able to vote in national elections."],
  ["h-en-school-build", "Build schools in every village."],
  ["h-en-health-build", "Build health centres in every village."],
];

function rows(prefix: string, language: "en" | "fr", list: Row[]): CorpusItem[] {
  return list.map(([cluster, text], i) => ({ id: `${prefix}-${String(i + 1).padStart(3, "0")}`, language, cluster, text }));
}

export const CORPUS: CorpusItem[] = [...rows("fr", "fr", FR), ...rows("en", "en", EN)];
export const HELD_OUT: CorpusItem[] = [...rows("hfr", "fr", HELD_OUT_FR), ...rows("hen", "en", HELD_OUT_EN)];
