/** The consensus namespace (en): scales and their options, mappings, level badges. Summary sentences are in app/models/consensus-wording.ts. */
export default {
  settings: {
    heading: "Positions on recommendations",
    scale: "Scale",
    scaleHint: "What participants choose from when positions are asked for. It cannot change while positions are open.",
    showNumbers: "Show numbers beside the wording",
    showNumbersHint: "For example “31 of 34 participants, none opposed”. With fewer than 10 people counted, participants and the public never see numbers; the moderation team always does.",
    save: "Save",
  },
  title: "Positions and consensus",
  mappings: {
    support: "Support",
    neutral: "Neutral",
    oppose: "Oppose",
    block: "Block",
  },
  levels: {
    unanimous: { label: "Unanimous", hint: "Everyone who took a position supports it." },
    consensus: { label: "Consensus", hint: "At least 80 % in support (by default), with nobody opposed and no block." },
    broad_support: { label: "Broad support", hint: "At least two thirds in support (by default), and no block." },
    majority: { label: "Majority", hint: "More than half in support." },
    divided: { label: "Divided", hint: "Between a third and a half in support." },
    opposed: { label: "Opposed", hint: "Less than a third in support." },
    no_quorum: { label: "No quorum", hint: "Too few of the people present took a position for the result to count." },
  },
  declared: {
    label: "Without a vote",
    consensus: "Adopted by consensus without a vote",
    hint: "Recorded by the moderator as the sense of the room; nobody was counted.",
  },
  hands: "By show of hands",
  scales: {
    kaner: {
      name: "Gradients of agreement (Kaner)",
      hint: "Eight points, from whole-hearted endorsement to veto.",
      options: {
        endorse: { label: "Whole-hearted endorsement", hint: "I fully support it." },
        agree_minor_point: { label: "Agreement with a minor point of contention", hint: "I support it, with one small disagreement." },
        support_reservations: { label: "Support with reservations", hint: "I can live with it." },
        abstain: { label: "Abstain", hint: "I have no opinion, or I leave it to the others." },
        more_discussion: { label: "More discussion needed", hint: "I do not understand it well enough yet, or we have not discussed it enough." },
        dislike_but_support: { label: "Don't like it but will support it", hint: "I do not like it, but I will not stand in its way." },
        serious_disagreement: { label: "Serious disagreement", hint: "I do not support it." },
        veto: { label: "Veto", hint: "I block it: it must not go ahead as it is." },
      },
    },
    fist_of_five: {
      name: "Fist of five",
      hint: "Hold up five fingers to a fist.",
      options: {
        five: { label: "Five: love it", hint: "I fully support it and will help carry it." },
        four: { label: "Four: support", hint: "I support it." },
        three: { label: "Three: it's OK", hint: "I can go along with it." },
        two: { label: "Two: minor concerns", hint: "I have concerns I would like discussed." },
        one: { label: "One: major concerns", hint: "I do not support it as it is." },
        fist: { label: "Fist: no", hint: "I block it." },
      },
    },
    consent: {
      name: "Consent",
      hint: "Adopted when nobody has a reasoned, serious objection: good enough for now, safe enough to try.",
      options: {
        consent: { label: "Consent", hint: "Good enough for now, safe enough to try." },
        objection: { label: "Objection", hint: "I have a reasoned, serious objection." },
      },
    },
    agree_abstain_disagree: {
      name: "Agree, abstain, disagree",
      hint: "A simple poll.",
      options: {
        agree: { label: "Agree", hint: "I support it." },
        abstain: { label: "Abstain", hint: "I take no side." },
        disagree: { label: "Disagree", hint: "I do not support it." },
      },
    },
    agree_abstain_disagree_block: {
      name: "Agree, abstain, disagree, block",
      hint: "A simple poll, where one can also block.",
      options: {
        agree: { label: "Agree", hint: "I support it." },
        abstain: { label: "Abstain", hint: "I take no side." },
        disagree: { label: "Disagree", hint: "I do not support it." },
        block: { label: "Block", hint: "It must not go ahead as it is." },
      },
    },
  },
};
