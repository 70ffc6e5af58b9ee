/** The consensus namespace (fr) : échelles et options, correspondances, badges de niveau. Les phrases des comptes rendus sont dans app/models/consensus-wording.ts. */
export default {
  settings: {
    heading: "Avis sur les recommandations",
    scale: "Échelle",
    scaleHint: "Ce parmi quoi les participants choisissent quand leur avis est demandé. Elle ne peut pas changer pendant qu'un avis est ouvert.",
    showNumbers: "Afficher les chiffres à côté de la formulation",
    showNumbersHint: "Par exemple « 31 participants sur 34, aucune opposition ». Quand moins de 10 personnes sont comptées, les participants et le public ne voient jamais de chiffres ; l'équipe de modération les voit toujours.",
    save: "Enregistrer",
  },
  title: "Positions et consensus",
  mappings: {
    support: "Pour",
    neutral: "Neutre",
    oppose: "Contre",
    block: "Blocage",
  },
  levels: {
    unanimous: { label: "Unanimité", hint: "Toutes les personnes qui se sont prononcées sont pour." },
    consensus: { label: "Consensus", hint: "Au moins 80\u00A0% de soutien (par défaut), sans opposition ni blocage." },
    broad_support: { label: "Large soutien", hint: "Au moins deux tiers de soutien (par défaut), sans blocage." },
    majority: { label: "Majorité", hint: "Plus de la moitié de soutien." },
    divided: { label: "Avis partagés", hint: "Entre un tiers et la moitié de soutien." },
    opposed: { label: "Rejet", hint: "Moins d'un tiers de soutien." },
    no_quorum: { label: "Quorum non atteint", hint: "Trop peu de personnes présentes se sont prononcées pour que le résultat compte." },
  },
  declared: {
    label: "Sans vote",
    consensus: "Adopté par consensus, sans vote",
    hint: "Constaté par la modération comme le sentiment de la salle\u00A0; personne n'a été compté.",
  },
  hands: "À main levée",
  scales: {
    kaner: {
      name: "Échelle d'accord (Kaner)",
      hint: "Huit degrés, de l'adhésion totale au veto.",
      options: {
        endorse: { label: "Adhésion totale", hint: "Je soutiens pleinement." },
        agree_minor_point: { label: "D'accord, avec une réserve mineure", hint: "Je soutiens, avec un petit point de désaccord." },
        support_reservations: { label: "Soutien avec réserves", hint: "Je peux m'en accommoder." },
        abstain: { label: "Abstention", hint: "Je n'ai pas d'avis, ou je m'en remets aux autres." },
        more_discussion: { label: "Il faut en discuter davantage", hint: "Je ne comprends pas encore assez, ou le débat n'est pas allé au bout." },
        dislike_but_support: { label: "Je n'aime pas, mais je soutiens", hint: "Ce n'est pas mon choix, mais je ne m'y opposerai pas." },
        serious_disagreement: { label: "Désaccord sérieux", hint: "Je ne soutiens pas." },
        veto: { label: "Veto", hint: "Je bloque\u00A0: cela ne doit pas passer en l'état." },
      },
    },
    fist_of_five: {
      name: "Vote à cinq doigts",
      hint: "De cinq doigts levés au poing fermé.",
      options: {
        five: { label: "Cinq\u00A0: tout à fait pour", hint: "Je soutiens pleinement et je suis prêt à porter la proposition." },
        four: { label: "Quatre\u00A0: pour", hint: "Je soutiens." },
        three: { label: "Trois\u00A0: acceptable", hint: "Je peux suivre." },
        two: { label: "Deux\u00A0: réserves mineures", hint: "J'ai des réserves que je voudrais voir discutées." },
        one: { label: "Un\u00A0: réserves majeures", hint: "Je ne soutiens pas en l'état." },
        fist: { label: "Poing fermé\u00A0: non", hint: "Je bloque." },
      },
    },
    consent: {
      name: "Consentement",
      hint: "Adopté quand personne n'a d'objection sérieuse et argumentée\u00A0: assez bon pour l'instant, assez sûr pour être essayé.",
      options: {
        consent: { label: "Je consens", hint: "Assez bon pour l'instant, assez sûr pour être essayé." },
        objection: { label: "Objection", hint: "J'ai une objection sérieuse et argumentée." },
      },
    },
    agree_abstain_disagree: {
      name: "Pour, abstention, contre",
      hint: "Un vote simple.",
      options: {
        agree: { label: "Pour", hint: "Je soutiens." },
        abstain: { label: "Abstention", hint: "Je ne prends pas parti." },
        disagree: { label: "Contre", hint: "Je ne soutiens pas." },
      },
    },
    agree_abstain_disagree_block: {
      name: "Pour, abstention, contre, blocage",
      hint: "Un vote simple, où l'on peut aussi bloquer.",
      options: {
        agree: { label: "Pour", hint: "Je soutiens." },
        abstain: { label: "Abstention", hint: "Je ne prends pas parti." },
        disagree: { label: "Contre", hint: "Je ne soutiens pas." },
        block: { label: "Blocage", hint: "Cela ne doit pas passer en l'état." },
      },
    },
  },
};
