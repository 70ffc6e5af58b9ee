/**
 * The traceability and coverage views in the domain (app/models/traceability.server.ts), on a real
 * in-memory database: the unaddressed list is paged (and a page beyond the end is the last one), bad
 * filters are reported one by one without dropping the good ones, a session's outcomes are what the
 * viewer may know, and a trace address that cannot name a recommendation is not found.
 */
import { UNADDRESSED_PAGE_SIZE } from "../../app/models/traceability.server";
import { domainError, makeHarness, signedInAccount, validSessionInput, type Harness } from "./helpers";

let h: Harness;
beforeEach(() => (h = makeHarness()));
afterEach(() => h.close());

async function programme(communeDemands: number) {
  const { domain } = h;
  const { actor: organiser } = await signedInAccount(domain, "organiser@example.org");
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue" });
  const { levels } = domain.programmes.get(organiser, programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const mali = domain.programmes.addLocality(organiser, programmeId, { name: "Mali", levelId: level("national"), parentId: "" }).id;
  const mopti = domain.programmes.addLocality(organiser, programmeId, { name: "Mopti", levelId: level("region"), parentId: mali }).id;
  const sangha = domain.programmes.addLocality(organiser, programmeId, { name: "Sangha", levelId: level("commune"), parentId: mopti }).id;
  const national = domain.sessions.create(organiser, programmeId, validSessionInput(level("national"), { title: "National", localityId: mali })).id;
  const commune = domain.sessions.create(organiser, programmeId, validSessionInput(level("commune"), { title: "Sangha", localityId: sangha, parentSessionId: national })).id;
  const adopted = (sessionId: string, text: string) => {
    const { id } = domain.recommendations.create(organiser, sessionId, { text });
    domain.recommendations.declare(organiser, sessionId, id, { level: "consensus" });
    domain.recommendations.decide(organiser, sessionId, id, { status: "adopted" });
    return id;
  };
  const demands = Array.from({ length: communeDemands }, (_, i) => adopted(commune, `Demande ${String(i + 1).padStart(2, "0")}`));
  const top = adopted(national, "Recommandation nationale");
  return { organiser, programmeId, national, commune, demands, top, places: { mopti }, level };
}

describe("coverage in the domain", () => {
  it("pages the unaddressed demands, clamps a page beyond the end and reports a bad page", async () => {
    const p = await programme(UNADDRESSED_PAGE_SIZE + 5);
    h.domain.linking.link(p.organiser, p.national, { sourceIds: [p.demands[0]], targetRecommendationId: p.top, relation: "adopted_as_is" });
    const first = h.domain.traceability.coverage(p.organiser, p.programmeId, {});
    expect(first.total.total).toBe(UNADDRESSED_PAGE_SIZE + 5);
    expect(first.total.counts.adopted_as_is).toBe(1);
    expect(first.unaddressed).toMatchObject({ count: UNADDRESSED_PAGE_SIZE + 4, page: 1, pages: 2 });
    expect(first.unaddressed.items).toHaveLength(UNADDRESSED_PAGE_SIZE);
    expect(first.unaddressed.items[0].text).toBe("Demande 02");
    const second = h.domain.traceability.coverage(p.organiser, p.programmeId, { page: "2" });
    expect(second.unaddressed.items.map((i) => i.text)).toEqual(["Demande 27", "Demande 28", "Demande 29", "Demande 30"]);
    expect(h.domain.traceability.coverage(p.organiser, p.programmeId, { page: "99" }).unaddressed.page).toBe(2);
    const bad = h.domain.traceability.coverage(p.organiser, p.programmeId, { page: "-1" });
    expect(bad.filterErrors).toEqual({ page: ["out_of_range"] });
    expect(bad.unaddressed.page).toBe(1);
  });

  it("reports each bad filter on its own and keeps the good ones", async () => {
    const p = await programme(2);
    const view = h.domain.traceability.coverage(p.organiser, p.programmeId, { levelId: "commune", regionId: p.places.mopti, themeId: p.level("region") });
    expect(view.filterErrors).toEqual({ levelId: ["choice_invalid"], themeId: ["choice_invalid"] });
    expect(view.filters).toEqual({ regionId: p.places.mopti });
    expect(view.total.total).toBe(2);
    expect(h.domain.traceability.coverageExport(p.organiser, p.programmeId, { levelId: p.level("national") }).demands).toEqual([]);
    // Only the programme's people: signed out is asked to sign in, others do not see it exists.
    expect((await domainError(() => h.domain.traceability.coverage(null, p.programmeId))).code).toBe("unauthenticated");
    const { actor: stranger } = await signedInAccount(h.domain, "stranger@example.org");
    expect((await domainError(() => h.domain.traceability.coverage(stranger, p.programmeId))).code).toBe("not_found");
  });
});

describe("coverage by region", () => {
  it("counts the diaspora's embassies and consulates as one group, which the region filter takes", async () => {
    const p = await programme(2);
    const { domain } = h;
    const mali = domain.programmes.get(p.organiser, p.programmeId).localities.find((l) => l.name === "Mali")!.id;
    for (const city of ["Abidjan", "Paris"]) {
      const post = domain.programmes.addLocality(p.organiser, p.programmeId, { name: `Maliens de ${city}`, levelId: p.level("diaspora"), parentId: mali }).id;
      const session = domain.sessions.create(p.organiser, p.programmeId, validSessionInput(p.level("diaspora"), { title: city, localityId: post, parentSessionId: p.national })).id;
      const { id } = domain.recommendations.create(p.organiser, session, { text: `Demande de ${city}` });
      domain.recommendations.declare(p.organiser, session, id, { level: "consensus" });
      domain.recommendations.decide(p.organiser, session, id, { status: "adopted" });
    }
    const view = h.domain.traceability.coverage(p.organiser, p.programmeId);
    expect(view.regions.map((r) => [r.name, r.labelFr])).toEqual([
      ["Diaspora", "Diaspora"],
      ["Mopti", null],
    ]);
    expect(view.byRegion.map((r) => [r.key, r.total])).toEqual([
      [p.level("diaspora"), 2],
      [p.places.mopti, 2],
    ]);
    const diaspora = h.domain.traceability.coverage(p.organiser, p.programmeId, { regionId: p.level("diaspora") });
    expect(diaspora.filterErrors).toEqual({});
    expect(diaspora.total.total).toBe(2);
  });
});

describe("a session's outcomes and trace pages", () => {
  it("gives each adopted recommendation its outcome as the viewer may know it", async () => {
    const p = await programme(3);
    h.domain.linking.link(p.organiser, p.national, { sourceIds: [p.demands[0]], targetRecommendationId: p.top, relation: "merged" });
    h.domain.linking.notRetained(p.organiser, p.national, { sourceIds: [p.demands[1]], reason: "Hors sujet." });
    const staff = h.domain.traceability.sessionOutcomes(p.organiser, p.commune)!;
    expect(staff.feeds).toBe(true);
    const byId = <T extends { id: string }>(items: T[]) => p.demands.map((id) => items.find((i) => i.id === id)!);
    expect(byId(staff.items).map((i) => i.outcome)).toEqual(["merged", "not_retained", "unaddressed"]);
    // A participant of the commune cannot see the national session: the links are only counted.
    const { actor: participant } = await signedInAccount(h.domain, "participant@example.org");
    h.domain.sessions.putMember(p.commune, participant.userId, "participant");
    const theirs = h.domain.traceability.sessionOutcomes(participant, p.commune)!;
    expect(byId(theirs.items).map((i) => [i.outcome, i.hiddenUp])).toEqual([
      [null, 1],
      [null, 1],
      ["unaddressed", 0],
    ]);
    // At the top, nothing is above: no outcome, but what it draws on.
    const top = h.domain.traceability.sessionOutcomes(p.organiser, p.national)!;
    expect(top.feeds).toBe(false);
    expect(top.items[0]).toMatchObject({ outcome: null, drawsOn: 1, hiddenDown: 0 });
    expect(h.domain.traceability.sessionOutcomes(null, p.commune)).toBeNull();
  });

  it("answers not found for an address that cannot name a recommendation, and gives the labels a page needs", async () => {
    const p = await programme(1);
    for (const bad of ["x", "", "../etc", 42]) expect((await domainError(() => h.domain.traceability.tracePage(p.organiser, bad))).code).toBe("not_found");
    const page = h.domain.traceability.tracePage(p.organiser, p.demands[0]);
    expect(page.feeds).toBe(true);
    expect(page.levels.map((l) => l.key)).toContain("commune");
    expect(page.up.links).toEqual([]);
    expect(page.published).toEqual([]);
  });
});
