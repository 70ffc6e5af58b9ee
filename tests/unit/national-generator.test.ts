/**
 * The national programme generator (app/demo/national.server.ts) on a small size: the hierarchy
 * (commune -> cercle -> region -> national, diaspora -> national), the counts, every recommendation
 * decided with a level that the domain itself reads back, publications public except a few kept for
 * participants, determinism for a seed, and nothing left behind on bad options.
 */
import { asc, eq } from "drizzle-orm";
import { NATIONAL_DEMO_NAME, seedNationalProgramme, SMALL_NATIONAL_SIZES, type NationalResult } from "../../app/demo/national.server";
import { DEMO_ACCOUNTS, seedDemo } from "../../app/demo/seed.server";
import type { SignedInActor } from "../../app/models/actor";
import { LEVELS } from "../../app/models/consensus";
import { dialogueSessions, levels, localities, programmes, publications, recommendations, votes } from "../../db/schema";
import { makeHarness, signedInAccount, type Harness } from "./helpers";

const SIZES = SMALL_NATIONAL_SIZES;

async function generate(seed = 5, extra: Partial<Parameters<typeof seedNationalProgramme>[1]> = {}) {
  const h = makeHarness();
  const { actor: organiser } = await signedInAccount(h.domain, "organiser@example.org", "Organiser");
  const { actor: staff } = await signedInAccount(h.domain, "staff@example.org", "Staff");
  const { actor: outsider } = await signedInAccount(h.domain, "outsider@example.org", "Outsider");
  const result = seedNationalProgramme(h.database.db, { organiserUserId: organiser.userId, members: [{ userId: staff.userId, role: "staff" }], sizes: SIZES, seed, now: Date.UTC(2026, 5, 1), participantsOnlyEvery: 5, ...extra });
  return { h, organiser, staff, outsider, result };
}

/** What the generator wrote that does not depend on random ids or the clock. */
function content(h: Harness, programmeId: string) {
  const db = h.database.db;
  const sessionRows = db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, programmeId)).orderBy(asc(dialogueSessions.title)).all();
  const titleOf = new Map(sessionRows.map((s) => [s.id, s.title]));
  return sessionRows.map((s) => ({
    title: s.title,
    parent: s.parentSessionId ? titleOf.get(s.parentSessionId) : null,
    languages: s.languages,
    recommendations: db
      .select({ text: recommendations.text, status: recommendations.status, horizon: recommendations.horizon, level: votes.declaredLevel, hands: votes.hands })
      .from(recommendations)
      .innerJoin(votes, eq(votes.recommendationId, recommendations.id))
      .where(eq(recommendations.sessionId, s.id))
      .all()
      .sort((a, b) => a.text.localeCompare(b.text)),
    publications: db.select({ visibility: publications.visibility, markdown: publications.markdown }).from(publications).where(eq(publications.sessionId, s.id)).all(),
  }));
}

describe("a small national programme", () => {
  let h: Harness;
  let organiser: SignedInActor;
  let staff: SignedInActor;
  let outsider: SignedInActor;
  let result: NationalResult;
  beforeAll(async () => {
    ({ h, organiser, staff, outsider, result } = await generate());
  });
  afterAll(() => h.close());

  it("has one locality and one session per commune, cercle, region and diaspora post, and one national session", () => {
    const expected = 1 + SIZES.regions + SIZES.cercles + SIZES.communes + SIZES.diaspora;
    expect(result.counts).toMatchObject({ localities: expected, sessions: expected, localSessions: expected - 1, recommendations: SIZES.recommendations, publications: expected - 1 });
    expect(result.counts.byLevel).toEqual({ region: SIZES.regions, cercle: SIZES.cercles, commune: SIZES.communes, diaspora: SIZES.diaspora });
    const db = h.database.db;
    expect(db.select().from(recommendations).all().length).toBe(SIZES.recommendations);
    // The programme reads like any other through the domain.
    const programme = h.domain.programmes.get(organiser, result.programmeId);
    expect(programme.levels.map((l) => l.key)).toEqual(["commune", "cercle", "region", "diaspora", "national"]);
    expect(programme.localities.length).toBe(expected);
    expect(programme.themes.length).toBeGreaterThanOrEqual(9);
    expect(programme.addressees.length).toBeGreaterThanOrEqual(5);
    expect(h.domain.programmes.get(staff, result.programmeId).role).toBe("staff");
    expect(db.select().from(programmes).all().length).toBe(1);
  });

  it("chains each session to the one it feeds, locality by locality, up to the national session", () => {
    const db = h.database.db;
    const levelKey = new Map(db.select().from(levels).all().map((l) => [l.id, l.key]));
    const place = new Map(db.select().from(localities).all().map((l) => [l.id, l]));
    const sessions = db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, result.programmeId)).all();
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const national = byId.get(result.nationalSessionId)!;
    expect(levelKey.get(national.levelId)).toBe("national");
    expect(national.parentSessionId).toBeNull();
    expect(national.status).toBe("scheduled");
    const above: Record<string, string> = { commune: "cercle", cercle: "region", region: "national", diaspora: "national" };
    for (const s of sessions.filter((x) => x.id !== national.id)) {
      const key = levelKey.get(s.levelId)!;
      const parent = byId.get(s.parentSessionId!)!;
      expect(levelKey.get(parent.levelId), s.title).toBe(above[key]);
      // The parent session sits in the locality above this one.
      expect(place.get(s.localityId!)!.parentId, s.title).toBe(parent.localityId);
      expect(s.status).toBe("published");
      expect(s.finalisedAt).toBeGreaterThan(s.endedAt!);
      expect(s.endedAt).toBeLessThan(national.startsAt!);
    }
    // Every commune reaches the national session in three steps.
    for (const s of sessions.filter((x) => levelKey.get(x.levelId) === "commune")) {
      expect(byId.get(byId.get(byId.get(s.parentSessionId!)!.parentSessionId!)!.parentSessionId!)!.id).toBe(national.id);
    }
  });

  it("decides every recommendation with a level, and the domain reads the results back", () => {
    const db = h.database.db;
    const rows = db.select({ rec: recommendations, vote: votes }).from(recommendations).innerJoin(votes, eq(votes.recommendationId, recommendations.id)).all();
    expect(rows.length).toBe(SIZES.recommendations);
    const adoptedLevels = ["unanimous", "consensus", "broad_support", "majority"];
    for (const { rec, vote } of rows) {
      expect(["adopted", "not_adopted"]).toContain(rec.status);
      expect(vote.round).toBe(rec.round);
      expect(vote.closedAt).not.toBeNull();
      const level = (vote.result as { level: string }).level;
      expect(LEVELS).toContain(level);
      expect(rec.status === "adopted").toBe(adoptedLevels.includes(level));
      if (vote.declaredLevel) expect(vote.declaredLevel).toBe(level);
      else expect(vote.handsHeadcount).toBeGreaterThan(0);
      expect(rec.themeId && rec.addresseeId && rec.horizon).toBeTruthy();
    }
    const levelsSeen = new Set(rows.map((r) => (r.vote.result as { level: string }).level));
    expect(levelsSeen.has("consensus")).toBe(true);
    expect(levelsSeen.size).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => r.rec.status === "not_adopted")).toBe(true);

    // Through the domain, as staff see them in each session: the level and its wording.
    const sessions = db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, result.programmeId)).all();
    let seen = 0;
    for (const s of sessions.filter((x) => x.id !== result.nationalSessionId)) {
      for (const view of h.domain.recommendations.list(organiser, s.id, "staff").recommendations) {
        expect(view.vote?.result?.level).toBeTruthy();
        expect(view.vote?.result?.wording.fr.length).toBeGreaterThan(10);
        seen++;
      }
    }
    expect(seen).toBe(SIZES.recommendations);
  });

  it("writes mostly French, with English sessions for anglophone diaspora posts", () => {
    const sessions = h.database.db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, result.programmeId)).all();
    const english = sessions.filter((s) => s.languages[0] === "en");
    // The second post in the list (Washington) is anglophone.
    expect(english.map((s) => s.title)).toEqual(["Diaspora consultation: Malians in Washington (the United States)"]);
    const texts = h.database.db.select({ text: recommendations.text, sessionId: recommendations.sessionId }).from(recommendations).all();
    expect(texts.filter((t) => t.sessionId === english[0].id).every((t) => /^[A-Z][a-z]/.test(t.text) && !/[éèà]/.test(t.text))).toBe(true);
    // Sessions of the same level ask for some of the same things, worded alike: the point of consolidation.
    const repeated = new Set<string>();
    const seenTexts = new Set<string>();
    for (const t of texts) (seenTexts.has(t.text) ? repeated : seenTexts).add(t.text);
    expect(repeated.size).toBeGreaterThan(0);
  });

  it("publishes each local session's summary publicly, except every fifth one, for its participants only", () => {
    const sessions = h.database.db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, result.programmeId)).all();
    const local = sessions.filter((s) => s.id !== result.nationalSessionId);
    const pubs = h.database.db.select().from(publications).all();
    const restricted = pubs.filter((p) => p.visibility === "participants");
    expect(restricted.length).toBe(Math.floor(local.length / 5));
    expect(result.counts.participantsOnly).toBe(restricted.length);
    expect(pubs.filter((p) => p.visibility === "public").length).toBe(local.length - restricted.length);

    const publicOne = pubs.find((p) => p.visibility === "public")!;
    const read = h.domain.summaries.published(null, publicOne.sessionId);
    expect(read.publication.markdown).toMatch(/^# Concertation|^# Diaspora/);
    expect(read.publication.markdown).toContain("Chatham House");
    // Signed out: asked to sign in; someone with no role: not found; programme staff: readable.
    const hidden = restricted[0];
    expect(() => h.domain.summaries.published(null, hidden.sessionId)).toThrow(expect.objectContaining({ code: "unauthenticated" }));
    expect(() => h.domain.summaries.published(outsider, hidden.sessionId)).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(h.domain.summaries.published(staff, hidden.sessionId).publication.visibility).toBe("participants");
    // The public list shows only the public ones.
    expect(h.domain.summaries.list(null, { programmeId: result.programmeId, limit: 1000 }).length).toBe(local.length - restricted.length);
  });
});

describe("determinism and options", () => {
  it("gives the same programme for the same seed (ids aside) and another for another seed", async () => {
    const a = await generate(9);
    const b = await generate(9);
    const c = await generate(10);
    try {
      const contentA = content(a.h, a.result.programmeId);
      expect(content(b.h, b.result.programmeId)).toEqual(contentA);
      expect(content(c.h, c.result.programmeId)).not.toEqual(contentA);
      expect(a.result.programmeId).not.toBe(b.result.programmeId);
    } finally {
      for (const x of [a, b, c]) x.h.close();
    }
  });

  it("holds every session in French when asked", async () => {
    const { h, result } = await generate(5, { languages: "fr" });
    try {
      const sessions = h.database.db.select().from(dialogueSessions).where(eq(dialogueSessions.programmeId, result.programmeId)).all();
      expect(sessions.filter((s) => s.id !== result.nationalSessionId).every((s) => s.languages[0] === "fr")).toBe(true);
    } finally {
      h.close();
    }
  });

  it("refuses sizes that cannot make a hierarchy, and leaves nothing behind", async () => {
    const h = makeHarness();
    try {
      const { actor } = await signedInAccount(h.domain, "organiser@example.org");
      expect(() => seedNationalProgramme(h.database.db, { organiserUserId: actor.userId, sizes: { ...SIZES, communes: 0 } })).toThrow(RangeError);
      expect(() => seedNationalProgramme(h.database.db, { organiserUserId: actor.userId, sizes: { ...SIZES, cercles: 1, regions: 2 } })).toThrow(RangeError);
      // An organiser that does not exist fails on its foreign key, inside the transaction.
      expect(() => seedNationalProgramme(h.database.db, { organiserUserId: "00000000-0000-4000-8000-000000000000", sizes: SIZES })).toThrow();
      expect(h.database.db.select().from(programmes).all()).toEqual([]);
      expect(h.database.db.select().from(dialogueSessions).all()).toEqual([]);
    } finally {
      h.close();
    }
  });
});

describe("in the demo", () => {
  it("is seeded as a second programme when asked, once, for the demo's organiser, staff and member", async () => {
    const h = makeHarness();
    try {
      const first = await seedDemo(h.domain, h.database.db, { national: { sizes: SIZES } });
      expect(first.national).toMatchObject({ recommendations: SIZES.recommendations });
      const again = await seedDemo(h.domain, h.database.db, { national: { sizes: SIZES } });
      expect(again.national).toMatchObject({ programmeId: first.national!.programmeId, recommendations: SIZES.recommendations, ms: null });
      const names = h.database.db.select({ name: programmes.name }).from(programmes).all().map((p) => p.name);
      expect(names.filter((n) => n === NATIONAL_DEMO_NAME).length).toBe(1);
      expect(names.length).toBe(2);
      for (const account of DEMO_ACCOUNTS.filter((a) => a.programmeRole)) {
        const userId = h.domain.accounts.findOrCreateAccount(account.email, null).userId;
        const actor = { userId, authSessionId: "t", isGuest: false, isAdmin: false, displayName: null, email: account.email };
        expect(h.domain.programmes.get(actor, first.national!.programmeId).role).toBe(account.programmeRole);
      }
      // Not asked for: not seeded.
      const plain = makeHarness();
      try {
        expect((await seedDemo(plain.domain, plain.database.db)).national).toBeNull();
        expect(plain.database.db.select().from(programmes).all().length).toBe(1);
      } finally {
        plain.close();
      }
    } finally {
      h.close();
    }
  }, 30_000);
});

describe("the consolidation that already happened", () => {
  it("links cercles and regions to what their sessions below adopted, and leaves the open region for its rapporteur", async () => {
    const { h, organiser, result } = await generate(7, { openRegion: "Koulikoro" });
    try {
      const sqlite = h.database.sqlite;
      expect(result.links).toBeGreaterThan(0);
      expect(result.openRegionSessionId).not.toBeNull();
      const open = sqlite.prepare("SELECT status FROM dialogue_sessions WHERE id = ?").get(result.openRegionSessionId) as { status: string };
      expect(open.status).toBe("scheduled");
      expect((sqlite.prepare("SELECT count(*) AS n FROM recommendations WHERE session_id = ?").get(result.openRegionSessionId) as { n: number }).n).toBe(0);
      // Nothing below the open region is linked yet: its whole incoming list is unaddressed.
      const incoming = h.domain.linking.incoming(organiser, result.openRegionSessionId!, { status: "all" });
      expect(incoming.total).toBeGreaterThan(0);
      expect(incoming.items.every((i) => i.outcome === "unaddressed")).toBe(true);
      // Every stored link obeys the rules: from below, to the session's own recommendation or not retained with a reason.
      const links = sqlite
        .prepare(
          `SELECT l.relation, l.reason, l.target_recommendation_id AS target, t.session_id AS targetRecSession, l.target_session_id AS targetSession, s.parent_session_id AS sourceParent
             FROM recommendation_links l JOIN recommendations r ON r.id = l.source_recommendation_id JOIN dialogue_sessions s ON s.id = r.session_id
             LEFT JOIN recommendations t ON t.id = l.target_recommendation_id`,
        )
        .all() as { relation: string; reason: string; target: string | null; targetRecSession: string | null; targetSession: string; sourceParent: string }[];
      expect(links.length).toBe(result.links);
      for (const l of links) {
        expect(l.sourceParent).toBe(l.targetSession);
        if (l.relation === "not_retained") expect(l.reason.length).toBeGreaterThan(0);
        else expect(l.targetRecSession).toBe(l.targetSession);
      }
      expect(new Set(links.map((l) => l.relation))).toEqual(new Set(["adopted_as_is", "merged", "adapted", "partly_taken_up", "not_retained"]));
      // Coverage has something in every column at this size.
      const { items } = h.domain.linking.coverageItems(organiser, result.programmeId);
      expect(new Set(items.map((i) => i.outcome)).size).toBeGreaterThanOrEqual(5);
    } finally {
      h.close();
    }
  });

  it("makes the given account rapporteur of the open region's session", async () => {
    const h = makeHarness();
    try {
      const { actor: organiser } = await signedInAccount(h.domain, "organiser@example.org");
      const { actor: rapporteur } = await signedInAccount(h.domain, "rapporteur@example.org");
      const result = seedNationalProgramme(h.database.db, { organiserUserId: organiser.userId, sizes: SIZES, seed: 3, openRegion: "Kayes", regionalRapporteurUserId: rapporteur.userId });
      expect(h.domain.linking.incoming(rapporteur, result.openRegionSessionId!).total).toBeGreaterThan(0);
    } finally {
      h.close();
    }
  });
});
