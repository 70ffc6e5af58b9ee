/**
 * Demo mode: the reference roundtable as if it had been held yesterday, run through the domain like a
 * real room (room opened, items started, notes written by participants and curated, recommendations
 * drafted, put to the room and adopted), so that its recommendations, consensus wording and summary
 * can be tried without staging a meeting first. Invented people; notes paraphrase the kind of points
 * the reference note reports.
 */
import type { SignedInActor } from "../models/actor";
import type { Domain } from "../models/domain.server";
import { newClientId } from "../models/notes";

type Taxonomy = ReturnType<Domain["programmes"]["taxonomy"]>;

type HeldNote = { text: string; kind?: "point" | "question" | "proposal"; themes?: string[]; highlight?: boolean };

/** Notes per agenda item, in order. Highlighted ones are the key points a rapporteur keeps. */
const NOTES: HeldNote[][] = [
  [
    { text: "The discussion should look beyond violent extremism to every threat civilians face, including from those who claim to protect them.", highlight: true, themes: ["Security"] },
    { text: "Timely: the mission's mandate is up for renewal this month." },
  ],
  [
    { text: "Drivers of violence against civilians: a weak central state, competition over land and water, predatory practices by some officials, and the rise of self-defence groups.", highlight: true, themes: ["Governance", "Security"] },
    { text: "Justice has had too little attention in the peace process; impunity feeds cycles of revenge.", highlight: true, themes: ["Justice and accountability"] },
    { text: "Most threats from armed groups are indirect (mines and improvised explosive devices) or targeted at people accused of working with national or international forces.", highlight: true, themes: ["Security"] },
    { text: "Counter-terrorism operations also put civilians at risk, through collateral damage and abuses against people suspected of collusion.", highlight: true, themes: ["Security", "Justice and accountability"] },
    { text: "Labels such as 'terrorists' or 'inter-communal violence' can do harm: communities often speak of revenge or the settling of scores instead.", highlight: true, themes: ["Social cohesion"] },
    { text: "Victims' own accounts should be at the centre of the analysis.", highlight: true, themes: ["Justice and accountability"] },
    { text: "Is the situation in the Ménaka region getting the same attention as the centre?", kind: "question" },
  ],
  [
    { text: "The mission's protection strategy needs to adapt to the changing security situation in the centre, with non-military tools such as community engagement and dialogue.", highlight: true, themes: ["Security", "Social cohesion"] },
    { text: "Engagement has risks: people seen talking to UN staff have been targeted afterwards, so community work must be designed with their safety in mind.", highlight: true, themes: ["Security"] },
    { text: "Better public information is needed so that people can tell the mission apart from counter-terrorism forces.", highlight: true, themes: ["Security"] },
    { text: "Security alone will not do: grievances over governance and justice must be addressed, and the quality of state services matters as much as their presence.", highlight: true, themes: ["Governance"] },
    { text: "Traditional authorities and religious leaders can be sources of resilience between and within communities.", highlight: true, themes: ["Social cohesion"] },
    { text: "Only a Malian-led dialogue can drive the reforms the country needs; partners can help link local and national processes.", highlight: true, themes: ["Governance"] },
    { text: "Counter-terrorism forces should stop working with self-defence militias that have poor human rights records.", kind: "proposal", themes: ["Security"] },
  ],
  [
    { text: "Recommendations should name who must act, and by when.", highlight: false },
  ],
];

type HeldRecommendation = {
  text: string;
  addressee: string;
  theme: string;
  horizon: "immediate" | "medium" | "long";
  /** A show of hands (headcount and counts per option), or a level declared without a vote. */
  outcome: { hands: { headcount: number; counts: Record<string, number> } } | { declared: "consensus" | "broad_support" };
  status: "adopted" | "not_adopted";
  /** Drafted from the proposal notes written during the session (kept as its sources). */
  fromProposals?: boolean;
};

const RECOMMENDATIONS: HeldRecommendation[] = [
  {
    text: "The mission should refine its strategy for the protection of civilians in central Mali, combining a protective presence with community engagement and dialogue designed for the safety of those who take part.",
    addressee: "United Nations mission",
    theme: "Security",
    horizon: "immediate",
    outcome: { hands: { headcount: 34, counts: { agree: 31, abstain: 3, disagree: 0 } } },
    status: "adopted",
  },
  {
    text: "Counter-terrorism forces and their partners should end all cooperation with ethnically aligned self-defence militias and make the protection of civilians part of their military doctrine.",
    addressee: "International partners",
    theme: "Justice and accountability",
    horizon: "immediate",
    outcome: { hands: { headcount: 34, counts: { agree: 24, abstain: 5, disagree: 5 } } },
    status: "adopted",
    fromProposals: true,
  },
  {
    text: "The Government of Mali should lead an inclusive national dialogue that listens to and takes up the demands of local communities, so that reforms are owned by Malians.",
    addressee: "Government of Mali",
    theme: "Governance",
    horizon: "medium",
    outcome: { declared: "consensus" },
    status: "adopted",
  },
  {
    text: "Development partners should channel funding for peacebuilding through traditional authorities and religious leaders in the centre of the country.",
    addressee: "International partners",
    theme: "Social cohesion",
    horizon: "long",
    outcome: { hands: { headcount: 34, counts: { agree: 14, abstain: 8, disagree: 12 } } },
    status: "not_adopted",
  },
];

/**
 * Runs the held roundtable: `staff` is an organiser (runs the room and the votes), `writers` write the
 * notes in turn. Leaves the session ended, so it can be finalised and summarised from the interface.
 */
export async function holdRoundtable(domain: Domain, sessionId: string, taxonomy: Taxonomy, staff: SignedInActor, writers: SignedInActor[]) {
  const themeId = (label: string) => taxonomy.themes.find((t) => t.labelEn === label)!.id;
  const addresseeId = (label: string) => taxonomy.addressees.find((a) => a.labelEn === label)!.id;
  const items = domain.live.listItems(staff, sessionId).items;

  domain.live.openRoom(staff, sessionId);
  let turn = 0;
  const highlights: string[] = [];
  const proposals: string[] = [];
  for (const [index, item] of items.entries()) {
    await domain.live.command(staff, sessionId, item.id, { command: "start" });
    for (const note of NOTES[index] ?? []) {
      const writer = writers[turn++ % writers.length];
      const receipt = await domain.notes.submit(writer, sessionId, {
        clientId: newClientId(),
        itemId: item.id,
        kind: note.kind ?? "point",
        themeIds: (note.themes ?? []).map(themeId),
        text: note.text,
      });
      if (note.highlight) highlights.push(receipt.note.id);
      if (note.kind === "proposal") proposals.push(receipt.note.id);
    }
    if (index === items.length - 1) {
      for (const rec of RECOMMENDATIONS) {
        const { id } = domain.recommendations.create(staff, sessionId, {
          text: rec.text,
          addresseeId: addresseeId(rec.addressee),
          themeId: themeId(rec.theme),
          horizon: rec.horizon,
          itemId: item.id,
          sourceNoteIds: rec.fromProposals ? proposals : [],
        });
        if ("hands" in rec.outcome) {
          await domain.recommendations.openVote(staff, sessionId, id);
          domain.recommendations.recordHands(staff, sessionId, id, rec.outcome.hands);
          domain.recommendations.closeVote(staff, sessionId, id);
        } else {
          domain.recommendations.declare(staff, sessionId, id, { level: rec.outcome.declared });
        }
        domain.recommendations.decide(staff, sessionId, id, { status: rec.status });
      }
    }
  }
  for (const id of highlights) domain.notes.curate(staff, sessionId, id, { action: "highlight" });
  await domain.live.endRoom(staff, sessionId);
}
