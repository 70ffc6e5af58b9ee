/**
 * The demo programme (app/demo/seed.server.ts): the reference roundtable comes already held, with
 * curated key points and three recommendations adopted at different levels of agreement, each with
 * honest numbers and wording a rapporteur can paste; the follow-up roundtable is ready to run live.
 * Seeded through the domain, so every rule applied.
 */
import { DEMO_ACCOUNTS, seedDemo } from "../../app/demo/seed.server";
import { makeHarness, type Harness } from "./helpers";
import { dialogueSessions } from "../../db/schema";

let h: Harness;
beforeAll(async () => {
  h = makeHarness();
  await seedDemo(h.domain, h.database.db);
});
afterAll(() => h.close());

describe("the demo roundtable, held", () => {
  it("is ended, with highlighted notes per discussion item and adopted recommendations at three levels", async () => {
    const sessions = h.database.db.select().from(dialogueSessions).all();
    const held = sessions.find((s) => s.status === "ended")!;
    expect(held.title).toBe("Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali");
    expect(sessions.filter((s) => s.status === "scheduled").length).toBe(3);

    const organiserId = h.domain.accounts.findOrCreateAccount(DEMO_ACCOUNTS[0].email, null).userId;
    const organiser = { userId: organiserId, authSessionId: "t", isGuest: false, isAdmin: false, displayName: null, email: DEMO_ACCOUNTS[0].email };
    const recs = h.domain.recommendations.list(organiser, held.id, "staff").recommendations;
    const adopted = recs.filter((r) => r.status === "adopted");
    expect(adopted.map((r) => r.vote?.result?.level)).toEqual(["consensus", "broad_support", "consensus"]);
    expect(adopted.map((r) => r.vote?.result?.declared)).toEqual([false, false, true]);
    expect(recs.filter((r) => r.status === "not_adopted").map((r) => r.vote?.result?.level)).toEqual(["divided"]);

    // Honest numbers a rapporteur can paste, in both languages; the declared level has none.
    expect(adopted[0].vote!.result!.wording.en).toBe(
      "There was consensus that the mission should refine its strategy for the protection of civilians in central Mali, combining a protective presence with community engagement and dialogue designed for the safety of those who take part (31 of 34 participants, none opposed, by show of hands).",
    );
    expect(adopted[1].vote!.result!.wording.en).toContain("(24 of 34 participants in support, 5 opposed, by show of hands)");
    expect(adopted[1].vote!.result!.wording.fr).toContain("(24 participants favorables sur 34, 5 contre, à main levée)");
    expect(adopted[2].vote!.result!.wording.en).toMatch(/^The recommendation that the Government of Mali should lead .* was adopted by consensus without a vote\.$/);
    // The room sees the same numbers (34 people were counted, more than the small-count threshold).
    const participant = h.domain.accounts.findOrCreateAccount("participant@demo.parley.test", null).userId;
    const room = h.domain.recommendations.list({ ...organiser, userId: participant }, held.id, "room").recommendations;
    expect(room.find((r) => r.id === adopted[0].id)!.vote!.result!.wording.en).toContain("31 of 34 participants");
    // The second recommendation keeps the proposal note it was drafted from.
    expect(adopted[1].sourceNoteIds.length).toBe(1);

    const { feed } = h.domain.notes.feed(organiser, held.id, "staff");
    expect(feed.filter((n) => n.highlighted).length).toBeGreaterThanOrEqual(12);
    expect(feed.every((n) => n.status === "visible")).toBe(true);
  });
});
