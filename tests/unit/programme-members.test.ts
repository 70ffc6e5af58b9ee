import { domainError, makeHarness, signedInAccount, type Harness } from "./helpers";

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

async function programme() {
  const { actor: organiser } = await signedInAccount(h.domain, "organiser@example.org");
  const { id } = h.domain.programmes.create(organiser, { name: "National dialogue" });
  return { organiser, id };
}

describe("programme members", () => {
  it("refuses to demote the last organiser, and allows it once there is another", async () => {
    const { organiser, id } = await programme();
    const e = await domainError(() => h.domain.programmes.addMember(organiser, id, { email: "organiser@example.org", role: "staff" }));
    expect([e.code, e.messageKey]).toEqual(["conflict", "last_organiser"]);
    expect(h.domain.access.programmeRole(organiser.userId, id)).toBe("organiser");
    h.domain.programmes.addMember(organiser, id, { email: "second@example.org", role: "organiser" });
    h.domain.programmes.addMember(organiser, id, { email: "organiser@example.org", role: "staff" });
    expect(h.domain.access.programmeRole(organiser.userId, id)).toBe("staff");
  });

  it("a change of programme role tells the real-time layer, so sockets reconnect under the new standing", async () => {
    const { organiser, id } = await programme();
    const { userId } = h.domain.programmes.addMember(organiser, id, { email: "staff@example.org", role: "staff" });
    const seen: unknown[] = [];
    h.domain.events.on("programme.memberChanged", (e) => seen.push(e));
    h.domain.programmes.addMember(organiser, id, { email: "staff@example.org", role: "member" });
    h.domain.programmes.removeMember(organiser, id, userId);
    expect(seen).toEqual([
      { programmeId: id, userId },
      { programmeId: id, userId },
    ]);
  });

  it("refuses a reset link for someone who organises another programme or administers the instance", async () => {
    const { organiser, id } = await programme();
    const { actor: other } = await signedInAccount(h.domain, "other@example.org");
    h.domain.programmes.create(other, { name: "Another programme" });
    h.domain.programmes.addMember(organiser, id, { email: "other@example.org", role: "member" });
    const e = await domainError(() => h.domain.programmes.issueResetLink(organiser, id, other.userId));
    expect([e.code, e.messageKey]).toEqual(["forbidden", "reset_not_allowed"]);
    const { userId: plain } = h.domain.programmes.addMember(organiser, id, { email: "plain@example.org", role: "staff" });
    expect(h.domain.programmes.issueResetLink(organiser, id, plain)).toMatch(/^[a-z2-7]{32}$/);
  });

  it("refuses a theme or addressee whose label already exists, ignoring case and accents", async () => {
    const { organiser, id } = await programme();
    h.domain.programmes.addTheme(organiser, id, { labelEn: "Security", labelFr: "Sécurité" });
    const e1 = await domainError(() => h.domain.programmes.addTheme(organiser, id, { labelEn: "security", labelFr: "Autre" }));
    expect(e1.fields).toEqual({ labelEn: ["label_taken"] });
    const e2 = await domainError(() => h.domain.programmes.addTheme(organiser, id, { labelEn: "Safety", labelFr: "securite" }));
    expect(e2.fields).toEqual({ labelFr: ["label_taken"] });
    h.domain.programmes.addAddressee(organiser, id, { labelEn: "Security", labelFr: "Sécurité" });
    expect(h.domain.programmes.taxonomy(id).addressees).toHaveLength(1);
  });
});
