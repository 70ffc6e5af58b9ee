/**
 * A small national dialogue for the traceability and coverage tests (not a test file): Mali > Mopti
 * (Sangha, Bandiagara) and Ségou (Markala); three communes -> two regions -> the national phase, with
 * links made through the domain as the consolidation workspace makes them, and summaries published
 * as the summaries workflow publishes them.
 *
 * What became of the seven local demands (every adopted recommendation of a session that feeds
 * another):
 *   Sangha     water  -> merged at Mopti (into `regional`)       roads -> not retained at Mopti
 *   Bandiagara water  -> merged at Mopti (into `regional`)       school -> partly taken up nationally
 *   Markala    water  -> unaddressed                             formula -> unaddressed (a CSV injection attempt)
 *   Mopti      regional -> adapted nationally (into `national`)
 * Publications: Sangha, Mopti and the national phase public; Bandiagara for its participants only;
 * Markala and Ségou not published.
 */
import type { TestServer } from "../support/server";

export const PASSWORD = "correct horse battery";
export const TEXTS = {
  waterSangha: "Que l'État construise un forage dans chaque village de Sangha.",
  roadsSangha: "Que la route de Sangha à Bandiagara soit réhabilitée.",
  waterBandiagara: "Que l'État fore des puits dans chaque village de Bandiagara.",
  schoolBandiagara: "Que les écoles fermées de Bandiagara rouvrent avec des enseignants recrutés sur place.",
  waterMarkala: "Que l'État construise des forages dans les villages de Markala.",
  formulaMarkala: '=HYPERLINK("http://attacker.example/","Cliquez ici")',
  regional: "Que l'État dote chaque village de la région de Mopti d'un forage.",
  national: "Que l'État garantisse l'accès à l'eau potable dans chaque village du pays.",
};

export async function buildNationalDialogue(server: TestServer, tag = Math.random().toString(36).slice(2, 8)) {
  const { domain } = server;
  const emails = {
    organiser: `organiser-${tag}@trace.test`,
    staff: `staff-${tag}@trace.test`,
    member: `member-${tag}@trace.test`,
    participant: `participant-${tag}@trace.test`,
  };
  const organiserId = await server.createAccount(emails.organiser, PASSWORD, "Organisatrice");
  const organiser = server.actorFor(organiserId);
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue inter-maliens" });
  const { levels } = domain.programmes.get(organiser, programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const place = (name: string, key: string, parentId = "") => domain.programmes.addLocality(organiser, programmeId, { name, levelId: level(key), parentId }).id;
  const water = domain.programmes.addTheme(organiser, programmeId, { labelEn: "Water", labelFr: "Eau" }).id;
  const roads = domain.programmes.addTheme(organiser, programmeId, { labelEn: "Roads", labelFr: "Routes" }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const segou = place("Ségou", "region", mali);
  const sanghaPlace = place("Sangha", "commune", mopti);
  const bandiagaraPlace = place("Bandiagara", "commune", mopti);
  const markalaPlace = place("Markala", "commune", segou);

  const session = (title: string, key: string, localityId: string, parentSessionId = "") =>
    domain.sessions.create(organiser, programmeId, {
      title,
      description: "",
      coHosts: "",
      kind: "local_dialogue",
      levelId: level(key),
      localityId,
      parentSessionId,
      languages: ["fr"],
      startsAt: Date.UTC(2026, 9, 10, 9, 0),
      endsAt: Date.UTC(2026, 9, 10, 12, 0),
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
      rosterVisibleToRoom: false,
    }).id;
  const national = session("Phase nationale du dialogue", "national", mali);
  const regionMopti = session("Phase régionale de Mopti", "region", mopti, national);
  const regionSegou = session("Phase régionale de Ségou", "region", segou, national);
  const sangha = session("Concertation communale de Sangha", "commune", sanghaPlace, regionMopti);
  const bandiagara = session("Concertation communale de Bandiagara", "commune", bandiagaraPlace, regionMopti);
  const markala = session("Concertation communale de Markala", "commune", markalaPlace, regionSegou);

  const adopt = (sessionId: string, id: string, level = "consensus") => {
    domain.recommendations.declare(organiser, sessionId, id, { level });
    domain.recommendations.decide(organiser, sessionId, id, { status: "adopted" });
    return id;
  };
  const adopted = (sessionId: string, text: string, themeId = "", level = "consensus") => adopt(sessionId, domain.recommendations.create(organiser, sessionId, { text, themeId }).id, level);
  const recs = {
    waterSangha: adopted(sangha, TEXTS.waterSangha, water),
    roadsSangha: adopted(sangha, TEXTS.roadsSangha, roads, "broad_support"),
    waterBandiagara: adopted(bandiagara, TEXTS.waterBandiagara, water),
    schoolBandiagara: adopted(bandiagara, TEXTS.schoolBandiagara),
    waterMarkala: adopted(markala, TEXTS.waterMarkala, water),
    formulaMarkala: adopted(markala, TEXTS.formulaMarkala),
    regional: "",
    national: "",
  };
  // The Mopti region merges the two water demands into a new recommendation, adopted by the room.
  recs.regional = adopt(regionMopti, domain.linking.merge(organiser, regionMopti, { sourceIds: [recs.waterSangha, recs.waterBandiagara], text: TEXTS.regional, themeId: water }).id);
  domain.linking.notRetained(organiser, regionMopti, { sourceIds: [recs.roadsSangha], reason: "Relève du budget communal." });
  // The national phase adapts the regional one, and partly takes up a commune's demand directly.
  recs.national = adopted(national, TEXTS.national, water);
  domain.linking.link(organiser, national, { sourceIds: [recs.regional], targetRecommendationId: recs.national, relation: "adapted", reason: "Étendue à tout le pays." });
  domain.linking.link(organiser, national, { sourceIds: [recs.schoolBandiagara], targetRecommendationId: recs.national, relation: "partly_taken_up", reason: "Seul l'accès aux services de base est retenu." });

  // People.
  const staffId = await server.createAccount(emails.staff, PASSWORD, "Rapporteur national");
  domain.programmes.addMember(organiser, programmeId, { email: emails.staff, role: "staff" });
  const memberId = await server.createAccount(emails.member, PASSWORD, "Membre");
  domain.programmes.addMember(organiser, programmeId, { email: emails.member, role: "member" });
  const participantId = await server.createAccount(emails.participant, PASSWORD, "Participante de Bandiagara");
  domain.sessions.putMember(bandiagara, participantId, "participant");

  // Publish: Sangha, Mopti and the national phase publicly; Bandiagara for its participants only.
  const publish = async (sessionId: string, title: string, visibility: "public" | "participants") => {
    domain.live.addItem(organiser, sessionId, { title: "Doléances", plannedMinutes: 30 });
    domain.sessions.setStatus(organiser, sessionId, "scheduled");
    domain.live.openRoom(organiser, sessionId);
    await domain.live.endRoom(organiser, sessionId);
    domain.summaries.generate(organiser, sessionId, { language: "fr" });
    domain.summaries.save(organiser, sessionId, { markdown: `# ${title}\n\nLes participants ont adopté leurs recommandations.\n`, version: 1 });
    domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });
    for (const f of domain.summaries.workspace(organiser, sessionId).findings) domain.summaries.override(organiser, sessionId, { key: f.key, reason: "Vérifié : ne nomme personne." });
    domain.summaries.settings(organiser, sessionId, { visibility });
    domain.summaries.approve(organiser, sessionId, { version: domain.summaries.workspace(organiser, sessionId).summary!.version });
    await domain.summaries.publish(organiser, sessionId, {});
  };
  await publish(sangha, "Concertation communale de Sangha", "public");
  await publish(regionMopti, "Phase régionale de Mopti", "public");
  await publish(national, "Phase nationale du dialogue", "public");
  await publish(bandiagara, "Concertation communale de Bandiagara", "participants");

  return {
    programmeId,
    organiserId,
    staffId,
    memberId,
    participantId,
    emails,
    sessions: { national, regionMopti, regionSegou, sangha, bandiagara, markala },
    places: { mali, mopti, segou },
    themes: { water, roads },
    levels: { commune: level("commune"), region: level("region"), national: level("national") },
    recs,
  };
}
