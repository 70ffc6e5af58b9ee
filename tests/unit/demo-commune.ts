/**
 * The demo's Bandiagara commune consultation (app/demo/seed.server.ts) held in French through the
 * domain, so that a French draft can be read and checked: a small room (small-count protection in the
 * format paragraph and in the recommendations' wording), notes highlighted, merged, hidden and held
 * by the guard, one recommendation voted on devices, one declared, one not adopted, one undecided.
 * Every person and organisation is invented.
 */
import { eq } from "drizzle-orm";
import { dialogueSessions } from "../../db/schema";
import type { SignedInActor } from "../../app/models/actor";
import { newClientId, type NoteKind } from "../../app/models/notes";
import { signedInAccount, type Harness } from "./helpers";

export const COMMUNE_TITLE = "Concertation communale de Bandiagara (région de Mopti)";

const ROSTER = [
  { name: "Amadou Guindo", organisation: "Association des femmes de Bandiagara", role: "panelist", category: "community" },
  { name: "Mariam Kassogué", organisation: "Association des femmes de Bandiagara", role: "panelist", category: "community" },
  { name: "Issa Dolo", organisation: "Conseil communal", role: "participant", category: "government" },
  { name: "Aïssata Tembely", organisation: "", role: "participant", category: "community" },
  { name: "Hama Ongoïba", organisation: "", role: "participant", category: "community" },
  { name: "Ousmane Sagara", organisation: "Radio rurale", role: "observer", category: "media" },
  { name: "Salif Koné", organisation: "Conseil communal", role: "moderator", category: "government" },
];

export type CommuneRun = { sessionId: string; rosterNames: string[]; texts: { hidden: string; held: string; notKeyPoint: string; undecided: string } };

export async function holdCommune(h: Harness): Promise<CommuneRun> {
  const { domain, database } = h;
  const session = database.db.select().from(dialogueSessions).where(eq(dialogueSessions.title, COMMUNE_TITLE)).get()!;
  const sessionId = session.id;
  const organiser = (await signedInAccount(h.domain, "organiser@demo.parley.test")).actor;
  for (const entry of ROSTER) domain.roster.add(organiser, sessionId, { ...entry, shortForms: "", acronyms: "", title: "", country: "" });
  const person = async (email: string, role: "moderator" | "rapporteur" | "participant" | "panelist") => {
    const { actor } = await signedInAccount(domain, email);
    domain.sessions.putMember(sessionId, actor.userId, role);
    return actor;
  };
  const moderator = await person("moderateur.bandiagara@example.org", "moderator");
  const rapporteur = await person("rapporteuse.bandiagara@example.org", "rapporteur");
  const voices: SignedInActor[] = [];
  for (let i = 1; i <= 7; i++) voices.push(await person(`habitant${i}@example.org`, i <= 2 ? "panelist" : "participant"));

  const { themes, addressees } = domain.programmes.taxonomy(session.programmeId);
  const theme = (fr: string) => themes.find((t) => t.labelFr === fr)!.id;
  const addressee = (fr: string) => addressees.find((a) => a.labelFr === fr)!.id;
  const items = domain.live.listItems(organiser, sessionId).items;
  const item = (title: string) => items.find((i) => i.title === title)!.id;

  domain.live.openRoom(moderator, sessionId);
  let turn = 0;
  const note = async (itemId: string, kind: NoteKind, text: string, themeIds: string[] = []) => {
    h.clock.advance(2 * 60_000);
    const by = voices[turn++ % voices.length];
    return (await domain.notes.submit(by, sessionId, { clientId: newClientId(), itemId, kind, text, themeIds })).note.id;
  };
  const curate = (noteId: string, action: "hide" | "highlight") => domain.notes.curate(rapporteur, sessionId, noteId, { action });

  const opening = item("Ouverture");
  await domain.live.command(moderator, sessionId, opening, { command: "start" });
  const hidden = "Le micro du fond de la salle ne fonctionne pas.";
  curate(await note(opening, "point", hidden), "hide");

  const threats = item("Menaces qui pèsent sur les civils");
  await domain.live.command(moderator, sessionId, threats, { command: "start" });
  const securite = theme("Sécurité");
  const cohesion = theme("Cohésion sociale");
  const keyPoints = [
    await note(threats, "point", "Les routes vers les foires hebdomadaires ne sont plus sûres : les engins explosifs et les enlèvements empêchent les commerçants de circuler.", [securite]),
    await note(threats, "concern", "Les jeunes sont recrutés par les groupes armés faute d'emploi et de perspectives.", [securite]),
    await note(threats, "point", "Les conflits entre agriculteurs et éleveurs autour des points d'eau se sont aggravés depuis deux ans.", [cohesion]),
  ];
  const sameAgain = await note(threats, "point", "Les agriculteurs et les éleveurs s'affrontent de plus en plus souvent autour des points d'eau.", [cohesion]);
  domain.notes.merge(rapporteur, sessionId, { targetId: keyPoints[2], noteIds: [sameAgain] });
  keyPoints.push(await note(threats, "question", "Qui protège les villages quand l'armée se retire ?", [securite]));
  keyPoints.push(await note(threats, "point", "Les chefs de village et les imams jouent un rôle de médiation que l'État devrait reconnaître.", [cohesion]));
  for (const id of keyPoints) curate(id, "highlight");
  const notKeyPoint = "Il a beaucoup plu cette année, ce qui a retardé les semis.";
  await note(threats, "point", notKeyPoint);
  const held = "Comme l'a dit Issa Dolo, le conseil communal n'a plus de moyens.";
  await note(threats, "point", held, [cohesion]);

  const recItem = item("Recommandations pour la table ronde nationale");
  await domain.live.command(moderator, sessionId, recItem, { command: "start" });
  await note(recItem, "proposal", "Les comités locaux d'alerte précoce devraient être relancés dans chaque village.", [securite]);
  const rec = (text: string, addresseeFr: string, themeFr: string, horizon: "immediate" | "medium" | "long") => {
    h.clock.advance(5 * 60_000);
    return domain.recommendations.create(rapporteur, sessionId, { text, addresseeId: addressee(addresseeFr), themeId: theme(themeFr), horizon, itemId: recItem }).id;
  };
  const vote = async (id: string, options: string[]) => {
    domain.recommendations.setPresenceSource(() => ({ participant: 5, panelist: 2 }));
    await domain.recommendations.openVote(moderator, sessionId, id);
    options.forEach((option, i) => domain.recommendations.takePosition(voices[i], sessionId, id, { option }));
    domain.recommendations.closeVote(moderator, sessionId, id);
  };
  const decide = (id: string, status: "adopted" | "not_adopted") => domain.recommendations.decide(moderator, sessionId, id, { status });

  const escorts = rec("Les forces de défense et de sécurité doivent escorter les convois vers les foires hebdomadaires.", "Gouvernement du Mali", "Sécurité", "immediate");
  await vote(escorts, ["agree", "agree", "agree", "agree", "agree", "agree", "disagree"]);
  decide(escorts, "adopted");

  const alert = rec("Les comités locaux d'alerte précoce devraient être relancés dans chaque village.", "Autorités régionales et locales", "Sécurité", "immediate");
  domain.recommendations.declare(moderator, sessionId, alert, { level: "consensus" });
  decide(alert, "adopted");

  const mediation = rec("L'État doit reconnaître le rôle de médiation des chefs de village et des imams.", "Gouvernement du Mali", "Cohésion sociale", "medium");
  await vote(mediation, ["agree", "agree", "agree", "agree", "agree", "abstain", "agree"]);
  decide(mediation, "adopted");

  const militias = rec("Les milices d'autodéfense devraient être désarmées sans délai.", "Gouvernement du Mali", "Sécurité", "immediate");
  await vote(militias, ["agree", "disagree", "agree", "disagree", "disagree", "abstain", "agree"]);
  decide(militias, "not_adopted");

  const undecided = "Un poste de santé devrait être ouvert dans chaque hameau.";
  await vote(rec(undecided, "Autorités régionales et locales", "Gouvernance", "long"), ["agree", "agree", "agree", "agree", "agree"]);

  await domain.live.endRoom(moderator, sessionId);
  domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });

  const roster = domain.roster.list(organiser, sessionId);
  return { sessionId, rosterNames: roster.map((r) => r.name), texts: { hidden, held, notKeyPoint, undecided } };
}
