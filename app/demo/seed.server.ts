/**
 * Demo mode: a programme modelled on the reference note, with invented people and organisations.
 * Created through the domain (so every rule applies) on first start; never in production (env.server
 * refuses PARLEY_DEMO with NODE_ENV=production).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { dialogueSessions, programmes, recommendations, users } from "../../db/schema";
import type { SignedInActor } from "../models/actor";
import type { Domain } from "../models/domain.server";
import type { SessionRole } from "../models/permissions";
import { holdRoundtable } from "./held-roundtable.server";
import { NATIONAL_DEMO_NAME, seedNationalProgramme, type NationalSizes } from "./national.server";

export const DEMO_PASSWORD = "parley-demo-2026";
const DOMAIN = "demo.parley.test";

type DemoAccount = { email: string; name: string; role: string; programmeRole?: "organiser" | "staff" | "member"; sessionRole?: SessionRole };

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: `organiser@${DOMAIN}`, name: "Awa Traoré", role: "programme organiser", programmeRole: "organiser" },
  { email: `staff@${DOMAIN}`, name: "Moussa Keïta", role: "programme staff", programmeRole: "staff" },
  { email: `member@${DOMAIN}`, name: "Claire Fontaine", role: "programme member", programmeRole: "member" },
  { email: `moderator@${DOMAIN}`, name: "Daniel Okafor", role: "moderator (roundtable)", sessionRole: "moderator" },
  { email: `rapporteur@${DOMAIN}`, name: "Fatoumata Sow", role: "rapporteur (roundtable)", sessionRole: "rapporteur" },
  { email: `panelist@${DOMAIN}`, name: "Ingrid Halvorsen", role: "panelist (roundtable)", sessionRole: "panelist" },
  { email: `participant@${DOMAIN}`, name: "Yacouba Coulibaly", role: "participant (roundtable)", sessionRole: "participant" },
  { email: `observer@${DOMAIN}`, name: "Sophie Martin", role: "observer (roundtable)", sessionRole: "observer" },
  { email: `rapporteur.gao@${DOMAIN}`, name: "Aïchatou Maïga", role: "regional rapporteur (Gao)" },
];

const ROUNDTABLE = "Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali";
const FOLLOW_UP = "Protecting Civilians in Central Mali: From Local Demands to Commitments";

/**
 * The national-scale programme (app/demo/national.server.ts), once, for the demo's organiser, staff
 * and member accounts: null when not asked for.
 */
function seedNational(db: Db, national: boolean | { sizes: Partial<NationalSizes> } | undefined) {
  if (!national) return null;
  const existing = db.select({ id: programmes.id }).from(programmes).where(eq(programmes.name, NATIONAL_DEMO_NAME)).get();
  if (existing) {
    const sessions = db.select({ id: dialogueSessions.id }).from(dialogueSessions).where(eq(dialogueSessions.programmeId, existing.id)).all().length;
    const recs = db.select({ id: recommendations.id }).from(recommendations).innerJoin(dialogueSessions, eq(dialogueSessions.id, recommendations.sessionId)).where(eq(dialogueSessions.programmeId, existing.id)).all().length;
    return { programmeId: existing.id, sessions, recommendations: recs, ms: null };
  }
  const idOf = (email: string) => db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
  const members = DEMO_ACCOUNTS.filter((a) => a.programmeRole && a.programmeRole !== "organiser").map((a) => ({ userId: idOf(a.email), role: a.programmeRole! }));
  const sizes = typeof national === "object" ? national.sizes : undefined;
  const result = seedNationalProgramme(db, { organiserUserId: idOf(DEMO_ACCOUNTS[0].email), members, name: NATIONAL_DEMO_NAME, sizes, regionalRapporteurUserId: idOf(`rapporteur.gao@${DOMAIN}`) });
  return { programmeId: result.programmeId, sessions: result.counts.sessions, recommendations: result.counts.recommendations, ms: result.ms };
}

/** `national`: also the national-scale programme (at its full size, or the sizes given, for tests). */
export async function seedDemo(domain: Domain, db: Db, options: { national?: boolean | { sizes: Partial<NationalSizes> } } = {}) {
  const organiserEmail = DEMO_ACCOUNTS[0].email;
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, organiserEmail)).get();
  if (existing) {
    const session = db.select({ joinCode: dialogueSessions.joinCode }).from(dialogueSessions).where(eq(dialogueSessions.title, FOLLOW_UP)).get();
    return { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD, joinCode: session?.joinCode ?? "-", national: seedNational(db, options.national) };
  }

  const passwordHash = await domain.accounts.hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const { userId } = domain.accounts.findOrCreateAccount(a.email, a.name);
    db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    ids.set(a.email, userId);
  }
  const organiser: SignedInActor = { userId: ids.get(organiserEmail)!, authSessionId: "demo-seed", isGuest: false, isAdmin: false, displayName: "Awa Traoré", email: organiserEmail };

  const { id: programmeId } = domain.programmes.create(organiser, {
    name: "Protection of civilians: national dialogue (demo)",
    description:
      "A national dialogue on the protection of civilians in Mali: commune consultations in the Mopti and Ménaka regions feed a closed-door roundtable of experts. All people and organisations in this demo are invented.",
  });
  for (const a of DEMO_ACCOUNTS) if (a.programmeRole && a.programmeRole !== "organiser") domain.programmes.addMember(organiser, programmeId, { email: a.email, role: a.programmeRole });

  const { levels } = domain.programmes.taxonomy(programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const place = (name: string, levelKey: string, parentId?: string) => domain.programmes.addLocality(organiser, programmeId, { name, levelId: level(levelKey), parentId: parentId ?? "" }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const bandiagaraCercle = place("Bandiagara", "cercle", mopti);
  const bandiagara = place("Bandiagara", "commune", bandiagaraCercle);
  const menakaRegion = place("Ménaka", "region", mali);
  const menakaCercle = place("Ménaka", "cercle", menakaRegion);
  const menaka = place("Ménaka", "commune", menakaCercle);

  for (const [labelEn, labelFr] of [
    ["Security", "Sécurité"],
    ["Justice and accountability", "Justice et redevabilité"],
    ["Governance", "Gouvernance"],
    ["Humanitarian access", "Accès humanitaire"],
    ["Social cohesion", "Cohésion sociale"],
  ]) domain.programmes.addTheme(organiser, programmeId, { labelEn, labelFr });
  for (const [labelEn, labelFr] of [
    ["Government of Mali", "Gouvernement du Mali"],
    ["United Nations mission", "Mission des Nations unies"],
    ["Regional and local authorities", "Autorités régionales et locales"],
    ["Civil society", "Société civile"],
    ["International partners", "Partenaires internationaux"],
  ]) domain.programmes.addAddressee(organiser, programmeId, { labelEn, labelFr });

  const day = 24 * 60 * 60 * 1000;
  const at = (days: number, hourUtc: number) => {
    const d = new Date(Date.now() + days * day);
    d.setUTCHours(hourUtc, 0, 0, 0);
    return d.getTime();
  };
  const roster = [
    { name: "Ingrid Halvorsen", shortForms: "Halvorsen, Ingrid", organisation: "Nordic Institute for Conflict Studies", acronyms: "NICS", title: "Senior researcher", country: "Norway", role: "panelist", category: "academic" },
    { name: "Daniel Okafor", shortForms: "Okafor", organisation: "Institute for Peace Dialogue", acronyms: "IPD", title: "Vice President", country: "", role: "moderator", category: "ngo" },
    { name: "Hamadoun Cissé", shortForms: "Cissé, Hamadoun", organisation: "Sahel Civilian Protection Network", acronyms: "SCPN", title: "Coordinator", country: "Mali", role: "panelist", category: "ngo" },
    { name: "Élodie Marchand", shortForms: "Marchand", organisation: "Permanent Mission of France to the United Nations", acronyms: "", title: "Counsellor", country: "France", role: "panelist", category: "diplomat" },
    { name: "Yacouba Coulibaly", shortForms: "Coulibaly", organisation: "Department of Peace Operations", acronyms: "DPO", title: "Political affairs officer", country: "", role: "participant", category: "un_official" },
  ];
  const agenda = [
    { title: "Opening remarks", plannedMinutes: 10 },
    { title: "Trends and risks", plannedMinutes: 45, panelists: "Ingrid Halvorsen (Nordic Institute for Conflict Studies), Hamadoun Cissé (Sahel Civilian Protection Network)" },
    { title: "Exploring the protection of civilians toolkit", plannedMinutes: 45, panelists: "Élodie Marchand (Permanent Mission of France to the United Nations), Yacouba Coulibaly (Department of Peace Operations)" },
    { title: "Recommendations", plannedMinutes: 30 },
  ];
  const roundtable = (title: string, description: string, days: number) => {
    const { id } = domain.sessions.create(organiser, programmeId, {
      title,
      description,
      coHosts: "Institute for Peace Dialogue; Centre for Atrocity Prevention",
      kind: "roundtable",
      levelId: level("national"),
      localityId: mali,
      languages: ["en", "fr"],
      startsAt: at(days, 14),
      endsAt: at(days, 17),
      timeZone: "America/New_York",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
      rosterVisibleToRoom: false,
    });
    for (const a of DEMO_ACCOUNTS) if (a.sessionRole) domain.sessions.putMember(id, ids.get(a.email)!, a.sessionRole);
    domain.sessions.setStatus(organiser, id, "scheduled");
    for (const entry of roster) domain.roster.add(organiser, id, entry);
    for (const item of agenda) domain.live.addItem(organiser, id, item);
    return id;
  };

  // The reference roundtable, held yesterday: notes, curated key points and adopted recommendations.
  const heldId = roundtable(
    ROUNDTABLE,
    "While narratives around the conflict in Mali often focus on violent extremism and terrorist threats, there are increasing concerns related to the protection of civilians from different types of threats. This closed-door roundtable sought to identify the threats and physical violence faced by civilians, and how local, national and international actors could address the risk of atrocities.",
    -1,
  );
  const writers: SignedInActor[] = [
    { ...organiser, userId: ids.get(`participant@${DOMAIN}`)!, displayName: "Yacouba Coulibaly", email: `participant@${DOMAIN}` },
    { ...organiser, userId: ids.get(`panelist@${DOMAIN}`)!, displayName: "Ingrid Halvorsen", email: `panelist@${DOMAIN}` },
  ];
  for (let i = 1; i <= 4; i++) {
    const userId = domain.accounts.createGuest(null);
    domain.sessions.putMember(heldId, userId, "participant");
    writers.push({ userId, authSessionId: "demo-seed", isGuest: true, isAdmin: false, displayName: null, email: null });
  }
  await holdRoundtable(domain, heldId, domain.programmes.taxonomy(programmeId), organiser, writers);

  // The follow-up roundtable, next week: to try the live room, notes and votes.
  const roundtableId = roundtable(
    FOLLOW_UP,
    "A follow-up to the roundtable on civilians at risk: the communes of Bandiagara and Ménaka report their consultations, and experts turn the recommendations into commitments for the mission, the government and their partners.",
    7,
  );
  const joinCode = domain.sessions.rotateJoinCode(organiser, roundtableId);

  const commune = (title: string, localityId: string, days: number) =>
    domain.sessions.create(organiser, programmeId, {
      title,
      description: "Concertation communale sur la protection des civils : les habitants exposent les menaces qu'ils subissent et formulent leurs recommandations pour la table ronde nationale.",
      coHosts: "Mairie et organisations de la société civile locales",
      kind: "local_dialogue",
      levelId: level("commune"),
      localityId,
      parentSessionId: roundtableId,
      languages: ["fr"],
      startsAt: at(days, 9),
      endsAt: at(days, 13),
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "staff",
      rosterVisibleToRoom: false,
    });
  const bandiagaraSession = commune("Concertation communale de Bandiagara (région de Mopti)", bandiagara, 2);
  const menakaSession = commune("Concertation communale de Ménaka (région de Ménaka)", menaka, 3);
  domain.sessions.setStatus(organiser, bandiagaraSession.id, "scheduled");
  domain.sessions.setStatus(organiser, menakaSession.id, "scheduled");
  domain.sessions.rotateJoinCode(organiser, bandiagaraSession.id);
  domain.sessions.rotateJoinCode(organiser, menakaSession.id);
  for (const { id } of [bandiagaraSession, menakaSession]) {
    for (const item of [
      { title: "Ouverture", plannedMinutes: 10 },
      { title: "Menaces qui pèsent sur les civils", plannedMinutes: 40 },
      { title: "Recommandations pour la table ronde nationale", plannedMinutes: 40 },
    ]) domain.live.addItem(organiser, id, item);
  }

  return { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD, joinCode, national: seedNational(db, options.national) };
}
