/**
 * Linking (SPEC section 6): the pure rules (outcome, coverage arithmetic, refusals) and the domain on
 * a real database: a commune -> region -> national chain, links and their refusals, the workspace's
 * incoming list and filters, traces both ways and what each viewer may see of them.
 */
import fc from "fast-check";
import type { SignedInActor } from "../../app/models/actor";
import { ancestorsOf, coverageBy, coverageTotal, emptyCounts, linkRefusal, OUTCOMES, outcomeOf, percentsOf, type Outcome } from "../../app/models/linking";
import { domainError, makeHarness, signedInAccount, validSessionInput, type Harness } from "./helpers";

describe("linking rules", () => {
  it("takes the strongest relation as the outcome, and nothing as unaddressed", () => {
    expect(outcomeOf([])).toBe("unaddressed");
    expect(outcomeOf(["not_retained"])).toBe("not_retained");
    expect(outcomeOf(["not_retained", "partly_taken_up"])).toBe("partly_taken_up");
    expect(outcomeOf(["adapted", "merged", "not_retained"])).toBe("merged");
    expect(outcomeOf(["merged", "adopted_as_is"])).toBe("adopted_as_is");
  });

  it("counts coverage per group, with percentages that add up to 100", () => {
    const items: { outcome: Outcome; region: string }[] = [
      ...Array.from({ length: 3 }, () => ({ outcome: "merged" as const, region: "Mopti" })),
      { outcome: "not_retained", region: "Mopti" },
      ...Array.from({ length: 2 }, () => ({ outcome: "unaddressed" as const, region: "Mopti" })),
      { outcome: "adopted_as_is", region: "Ségou" },
    ];
    const rows = coverageBy(items, (_, i) => items[i].region);
    const mopti = rows.find((r) => r.key === "Mopti")!;
    expect(mopti.total).toBe(6);
    expect(mopti.takenUp).toBe(3);
    expect(mopti.counts).toEqual({ ...emptyCounts(), merged: 3, not_retained: 1, unaddressed: 2 });
    expect(mopti.percents).toEqual({ ...emptyCounts(), merged: 50, not_retained: 17, unaddressed: 33 });
    expect(rows.find((r) => r.key === "Ségou")!.percents.adopted_as_is).toBe(100);
    expect(coverageTotal(items).total).toBe(7);
    expect(coverageTotal([]).total).toBe(0);
    expect(percentsOf(emptyCounts())).toEqual(emptyCounts());
  });

  it("always gives percentages that add up to 100 and never stray a point from the exact share", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(500), { minLength: OUTCOMES.length, maxLength: OUTCOMES.length }), (ns) => {
        const counts = emptyCounts();
        OUTCOMES.forEach((o, i) => (counts[o] = ns[i]));
        const total = ns.reduce((a, b) => a + b, 0);
        const p = percentsOf(counts);
        const sum = OUTCOMES.reduce((n, o) => n + p[o], 0);
        expect(sum).toBe(total ? 100 : 0);
        for (const o of OUTCOMES) if (total) expect(Math.abs(p[o] - (counts[o] * 100) / total)).toBeLessThan(1);
      }),
    );
  });

  it("refuses links to itself, to another programme, within a session, downwards and sideways", () => {
    const parent: Record<string, string | null> = { national: null, region: "national", commune: "region", other: "region" };
    const chain = (id: string) => ancestorsOf(id, (x) => parent[x]);
    const at = (sessionId: string, recommendationId = `${sessionId}-r`, programmeId = "p") => ({ sessionId, recommendationId, programmeId });
    expect(linkRefusal(at("commune"), at("region"), chain)).toBeNull();
    expect(linkRefusal(at("commune"), at("national"), chain)).toBeNull();
    expect(linkRefusal(at("commune"), { ...at("national"), recommendationId: null }, chain)).toBeNull();
    expect(linkRefusal(at("commune"), at("commune"), chain)).toBe("link_to_itself");
    expect(linkRefusal(at("commune"), at("national", "x", "q"), chain)).toBe("link_other_programme");
    expect(linkRefusal(at("commune", "a"), at("commune", "b"), chain)).toBe("link_same_session");
    expect(linkRefusal(at("region"), at("commune"), chain)).toBe("link_points_down");
    expect(linkRefusal(at("other"), at("commune"), chain)).toBe("link_not_above");
  });

  it("stops walking a chain at a cycle", () => {
    const parent: Record<string, string> = { a: "b", b: "c", c: "a" };
    expect(ancestorsOf("a", (x) => parent[x])).toEqual(["b", "c"]);
  });
});

/** A small programme: Mali > Mopti > Bandiagara, two communes -> the Mopti region session -> national. */
async function chain(h: Harness, email = "organiser@example.org") {
  const { domain } = h;
  const { actor: organiser } = await signedInAccount(domain, email);
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue inter-maliens" });
  const { levels } = domain.programmes.get(organiser, programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const place = (name: string, key: string, parentId = "") => domain.programmes.addLocality(organiser, programmeId, { name, levelId: level(key), parentId }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const segou = place("Ségou", "region", mali);
  const bandiagara = place("Bandiagara", "commune", mopti);
  const sangha = place("Sangha", "commune", mopti);
  const markala = place("Markala", "commune", segou);
  const session = (title: string, key: string, localityId: string, parentSessionId = "", languages = ["fr"]) =>
    domain.sessions.create(organiser, programmeId, validSessionInput(level(key), { title, localityId, parentSessionId, languages, kind: "local_dialogue" })).id;
  const national = session("Phase nationale", "national", mali);
  const region = session("Phase régionale de Mopti", "region", mopti, national);
  const regionSegou = session("Phase régionale de Ségou", "region", segou, national);
  const commune1 = session("Concertation de Bandiagara", "commune", bandiagara, region);
  const commune2 = session("Concertation de Sangha", "commune", sangha, region);
  const commune3 = session("Concertation de Markala", "commune", markala, regionSegou);
  const adopted = (sessionId: string, text: string, status: "adopted" | "not_adopted" = "adopted") => {
    const { id } = domain.recommendations.create(organiser, sessionId, { text });
    domain.recommendations.declare(organiser, sessionId, id, { level: "consensus" });
    domain.recommendations.decide(organiser, sessionId, id, { status });
    return id;
  };
  const recs = {
    water1: adopted(commune1, "Que l'État construise des forages dans chaque village de la commune."),
    school1: adopted(commune1, "Que l'État recrute des enseignants pour les écoles fermées."),
    water2: adopted(commune2, "Que l'État fore des puits dans chaque village."),
    roads2: adopted(commune2, "Que la route de Sangha soit réhabilitée."),
    refused2: adopted(commune2, "Que la commune soit rattachée à une autre région.", "not_adopted"),
    water3: adopted(commune3, "Que l'État construise des forages dans les villages de Markala."),
    regional: adopted(region, "Que l'État équipe chaque village de la région d'un point d'eau."),
  };
  return { organiser, programmeId, national, region, regionSegou, commune1, commune2, commune3, recs, places: { mali, mopti, bandiagara }, level };
}

describe("linking in the domain", () => {
  let h: Harness;
  beforeEach(() => (h = makeHarness()));
  afterEach(() => h.close());

  it("lists a region's incoming recommendations (adopted ones of its communes) and filters them", async () => {
    const c = await chain(h);
    const all = h.domain.linking.incoming(c.organiser, c.region, {});
    expect(all.total).toBe(4);
    expect(all.items.map((i) => i.text)).not.toContain("Que la commune soit rattachée à une autre région.");
    expect(all.items.every((i) => i.outcome === "unaddressed" && i.consensus === "consensus")).toBe(true);
    expect(all.items[0].place).toEqual(["Mali", "Mopti", "Bandiagara"]);
    expect(h.domain.linking.incoming(c.organiser, c.region, { q: "forages" }).matching).toBe(1);
    expect(h.domain.linking.incoming(c.organiser, c.region, { q: "FORÉ" }).matching).toBe(1);
    expect(h.domain.linking.incoming(c.organiser, c.region, { localityId: c.places.bandiagara }).matching).toBe(2);
    // The national session sees everything below it, the region's own recommendation included.
    expect(h.domain.linking.incoming(c.organiser, c.national, {}).total).toBe(6);
    expect(h.domain.linking.incoming(c.organiser, c.national, { levelId: c.level("region") }).matching).toBe(1);
    expect((await domainError(() => h.domain.linking.incoming(c.organiser, c.region, { status: "everything" }))).fields).toEqual({ status: ["choice_invalid"] });
  });

  it("makes one draft of a merge sent twice (a form resent on a slow network), and a new one for other words or sources", async () => {
    const c = await chain(h);
    const input = { sourceIds: [c.recs.water1, c.recs.water2], text: "Que l'État dote chaque village d'un forage." };
    const drafts = () => h.domain.recommendations.list(c.organiser, c.region, "staff").recommendations.length;
    const before = drafts();
    const first = h.domain.linking.merge(c.organiser, c.region, input);
    const again = h.domain.linking.merge(c.organiser, c.region, { ...input, sourceIds: [...input.sourceIds].reverse() });
    expect(first.again).toBe(false);
    expect(again).toEqual({ id: first.id, linked: 0, again: true });
    expect(drafts()).toBe(before + 1);
    // Other words, or another selection, is another merge.
    expect(h.domain.linking.merge(c.organiser, c.region, { ...input, text: "Des forages dans chaque village." }).id).not.toBe(first.id);
    expect(h.domain.linking.merge(c.organiser, c.region, { ...input, sourceIds: [c.recs.water1] }).id).not.toBe(first.id);
    expect(drafts()).toBe(before + 3);
  });

  it("merges commune recommendations into a new regional one, then the region's is adopted nationally", async () => {
    const c = await chain(h);
    const { id: merged } = h.domain.linking.merge(c.organiser, c.region, { sourceIds: [c.recs.water1, c.recs.water2], text: "Que l'État dote chaque village d'un forage." });
    const here = h.domain.linking.incoming(c.organiser, c.region, { status: "here" });
    expect(here.items.map((i) => i.id).sort()).toEqual([c.recs.water1, c.recs.water2].sort());
    expect(here.items.every((i) => i.outcome === "merged")).toBe(true);
    expect(h.domain.linking.incoming(c.organiser, c.region, { status: "unaddressed" }).matching).toBe(2);
    // The new recommendation is a draft of the region's session, put to the room like any other.
    const draft = h.domain.recommendations.list(c.organiser, c.region, "staff").recommendations.find((r) => r.id === merged)!;
    expect(draft.status).toBe("draft");

    h.domain.linking.notRetained(c.organiser, c.region, { sourceIds: [c.recs.roads2], reason: "Relève du budget communal." });
    h.domain.linking.link(c.organiser, c.national, { sourceIds: [c.recs.regional], targetRecommendationId: await nationalRec(h, c), relation: "adopted_as_is" });
    // From the national session, a commune recommendation merged at the region shows as linked below.
    const below = h.domain.linking.incoming(c.organiser, c.national, { status: "below" });
    expect(below.items.map((i) => i.id).sort()).toEqual([c.recs.water1, c.recs.water2, c.recs.roads2].sort());
    expect(h.domain.linking.incoming(c.organiser, c.national, { status: "not_retained" }).items.map((i) => i.id)).toEqual([c.recs.roads2]);

    // Coverage over the programme: 6 local demands (the not-adopted one is not a demand).
    const { items } = h.domain.linking.coverageItems(c.organiser, c.programmeId);
    const byRegion = coverageBy(items, (_, i) => items[i].regionName ?? "?");
    const mopti = byRegion.find((r) => r.key === "Mopti")!;
    expect(mopti.counts).toEqual({ ...emptyCounts(), merged: 2, not_retained: 1, unaddressed: 1, adopted_as_is: 1 });
    expect(byRegion.find((r) => r.key === "Ségou")!.counts.unaddressed).toBe(1);
    expect(coverageTotal(items).takenUp).toBe(3);
  });

  it("refuses links downwards, sideways, to itself, across programmes and of not-adopted recommendations, changing nothing", async () => {
    const c = await chain(h);
    const { id: regionDraft } = h.domain.linking.merge(c.organiser, c.region, { sourceIds: [c.recs.water1], text: "Des forages." });
    const count = () => h.database.sqlite.prepare("SELECT count(*) AS n FROM recommendation_links").get() as { n: number };
    const before = count().n;
    // The reason a person is given: the error's own, or the first field's for bad input.
    const refusal = async (fn: () => unknown) => {
      const e = await domainError(fn);
      return e.messageKey === "invalid_input" ? Object.values(e.fields ?? {})[0]?.[0] : e.messageKey;
    };
    // A region recommendation linked "up" to a commune session: down the hierarchy.
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.commune1, { sourceIds: [c.recs.regional], targetRecommendationId: c.recs.school1, relation: "merged" }))).toBe("link_points_down");
    // A commune of Ségou into the Mopti region: not above it.
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.region, { sourceIds: [c.recs.water3], targetRecommendationId: regionDraft, relation: "merged" }))).toBe("link_not_above");
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.region, { sourceIds: [c.recs.regional], targetRecommendationId: c.recs.regional, relation: "merged" }))).toBe("link_to_itself");
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.region, { sourceIds: [c.recs.water1], targetRecommendationId: c.recs.water2, relation: "merged" }))).toBe("link_points_down");
    expect(await refusal(() => h.domain.linking.notRetained(c.organiser, c.region, { sourceIds: [c.recs.refused2], reason: "x" }))).toBe("link_source_not_adopted");
    expect(await refusal(() => h.domain.linking.notRetained(c.organiser, c.region, { sourceIds: [c.recs.water2], reason: "  " }))).toBe("reason_required");
    expect(await refusal(() => h.domain.linking.merge(c.organiser, c.region, { sourceIds: [], text: "x" }))).toBe("selection_required");
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.region, { sourceIds: [c.recs.water2], targetRecommendationId: regionDraft, relation: "not_retained" }))).toBe("choice_invalid");
    // Another programme's recommendation as the target.
    const other = await chain(h, "organiser@another.example.org");
    expect(await refusal(() => h.domain.linking.link(c.organiser, c.region, { sourceIds: [c.recs.water2], targetRecommendationId: other.recs.regional, relation: "merged" }))).toBe("link_other_programme");
    // A session of another programme as the target session: the organiser of the first has no standing there.
    expect((await domainError(() => h.domain.linking.incoming(c.organiser, other.region))).code).toBe("not_found");
    expect(count().n).toBe(before);
  });

  it("groups near-identical incoming recommendations in the background, then pages through the groups", async () => {
    const c = await chain(h);
    const open = { status: "unaddressed" };
    const first = h.domain.linking.groups(c.organiser, c.national, open);
    expect(first).toMatchObject({ state: "working", total: 6 });
    await vi.waitFor(() => expect(h.domain.linking.groups(c.organiser, c.national, open).state).toBe("ready"));
    const ready = h.domain.linking.groups(c.organiser, c.national, open);
    if (ready.state !== "ready") throw new Error("not ready");
    // The two demands for boreholes, from a commune of Mopti and one of Ségou.
    expect(ready.groups).toHaveLength(1);
    expect(ready.groups[0].items.map((i) => i.id).sort()).toEqual([c.recs.water1, c.recs.water3].sort());
    // Once some are taken up, the data changed: the grouping starts again on what is left.
    h.domain.linking.notRetained(c.organiser, c.national, { sourceIds: [c.recs.water3], reason: "Hors du champ." });
    expect(h.domain.linking.groups(c.organiser, c.national, open).state).toBe("working");
    await vi.waitFor(() => expect(h.domain.linking.groups(c.organiser, c.national, open).state).toBe("ready"));
    expect(h.domain.linking.groups(c.organiser, c.national, open)).toMatchObject({ state: "ready", count: 0, groups: [] });
  });

  it("lets organisers, rapporteurs and programme staff consolidate, and no one else", async () => {
    const c = await chain(h);
    const person = async (email: string) => (await signedInAccount(h.domain, email)).actor;
    const rapporteur = await person("rapporteur@example.org");
    h.domain.sessions.putMember(c.region, rapporteur.userId, "rapporteur");
    const moderator = await person("moderator@example.org");
    h.domain.sessions.putMember(c.region, moderator.userId, "moderator");
    const participant = await person("participant@example.org");
    h.domain.sessions.putMember(c.region, participant.userId, "participant");
    expect(h.domain.linking.incoming(rapporteur, c.region).total).toBe(4);
    for (const who of [moderator, participant] as SignedInActor[]) expect((await domainError(() => h.domain.linking.incoming(who, c.region))).code).toBe("forbidden");
    expect((await domainError(() => h.domain.linking.incoming(null, c.region))).code).toBe("unauthenticated");
    expect(h.domain.linking.merge(rapporteur, c.region, { sourceIds: [c.recs.water1], text: "Des forages." }).linked).toBe(1);
  });

  it("traces a national recommendation down to the communes, and a commune's up, as each viewer may see", async () => {
    const c = await chain(h);
    const { id: regionRec } = h.domain.linking.merge(c.organiser, c.region, { sourceIds: [c.recs.water1, c.recs.water2], text: "Que l'État dote chaque village d'un forage." });
    const national = await nationalRec(h, c);
    // The region's recommendation is a draft: adopt it so it can be taken up nationally.
    h.domain.recommendations.declare(c.organiser, c.region, regionRec, { level: "consensus" });
    h.domain.recommendations.decide(c.organiser, c.region, regionRec, { status: "adopted" });
    h.domain.linking.link(c.organiser, c.national, { sourceIds: [regionRec], targetRecommendationId: national, relation: "adapted", reason: "Étendu aux écoles." });

    const down = h.domain.linking.trace(c.organiser, national, "down");
    expect(down.links).toHaveLength(1);
    expect(down.links[0].relation).toBe("adapted");
    expect(down.links[0].node!.links.map((l) => l.node!.id).sort()).toEqual([c.recs.water1, c.recs.water2].sort());
    const up = h.domain.linking.trace(c.organiser, c.recs.water2, "up");
    expect(up.links[0].node!.id).toBe(regionRec);
    expect(up.links[0].node!.links[0].node!.id).toBe(national);

    // Signed out, nothing is published yet: asked to sign in.
    expect((await domainError(() => h.domain.linking.trace(null, c.recs.water2, "up"))).code).toBe("unauthenticated");
    // A participant of the commune sees their commune's recommendation, and nothing above it yet.
    const { actor: participant } = await signedInAccount(h.domain, "participant@example.org");
    h.domain.sessions.putMember(c.commune2, participant.userId, "participant");
    const theirs = h.domain.linking.trace(participant, c.recs.water2, "up");
    expect(theirs.links).toHaveLength(0);
    expect(theirs.hidden).toBe(1);
    expect((await domainError(() => h.domain.linking.trace(participant, national, "down"))).code).toBe("not_found");
  });
});

/** A recommendation of the national session to link to. */
async function nationalRec(h: Harness, c: Awaited<ReturnType<typeof chain>>) {
  return h.domain.recommendations.create(c.organiser, c.national, { text: "Que l'État garantisse l'accès à l'eau potable dans chaque village." }).id;
}
