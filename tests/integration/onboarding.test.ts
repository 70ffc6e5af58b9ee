/**
 * One-time onboarding and reset links: the GET shows the form without consuming the link, the POST
 * sets the password and signs in, and a used link is gone.
 */
import { connected, disconnected, hasStackTrace, isSignedIn, setCookieFor, startTestServer, type TestServer } from "../support/server";
import type { SignedInActor } from "../../app/models/actor";

const NEW_PASSWORD = "a brand new passphrase";

let server: TestServer;
let organiser: SignedInActor;
let programmeId: string;

beforeAll(async () => {
  server = await startTestServer();
  organiser = server.actorFor(await server.createAccount("organiser@example.org"));
  programmeId = server.domain.programmes.create(organiser, { name: "National dialogue" }).id;
});

afterAll(async () => {
  await server?.stop();
});

function addMember(email: string) {
  const { userId, onboardingToken } = server.domain.programmes.addMember(organiser, programmeId, { email, role: "staff", displayName: "New Staff" });
  expect(onboardingToken).toMatch(/^[a-z2-7]{32}$/);
  return { userId, token: onboardingToken! };
}

describe("onboarding link", () => {
  it("shows the form on GET without consuming the link", async () => {
    const { token } = addMember("rapporteur@example.org");
    const client = server.client();
    for (let i = 0; i < 2; i++) {
      const res = await client.get(`/onboard/${token}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain("rapporteur@example.org");
      expect(body).toContain('name="password"');
      expect(body).toContain('name="confirm"');
    }
    expect(() => server.domain.accounts.inspectAccountToken(token)).not.toThrow();
  });

  it("refuses mismatched passwords with a field error and keeps the link usable", async () => {
    const { token } = addMember("mismatch@example.org");
    const client = server.client();
    const res = await client.post(`/onboard/${token}`, { password: NEW_PASSWORD, confirm: "something else entirely" });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("The two passwords do not match.");
    expect(body).toContain('aria-invalid="true"');
    expect(body).not.toContain(NEW_PASSWORD);
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
    expect((await client.get(`/onboard/${token}`)).status).toBe(200);
  });

  it("refuses a too short password with a field error", async () => {
    const { token } = addMember("short@example.org");
    const res = await server.client().post(`/onboard/${token}`, { password: "short", confirm: "short" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Use at least 10 characters.");
  });

  it("sets the password, signs in, and the link is gone afterwards", async () => {
    const { token } = addMember("newstaff@example.org");
    const client = server.client();
    const res = await client.post(`/onboard/${token}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(setCookieFor(res, "parley_session")).toBeDefined();
    expect(await isSignedIn(client)).toBe(true);

    // The new password works on another device.
    await server.client().signIn("newstaff@example.org", NEW_PASSWORD);

    // Reuse: the page says the link was used (410), and a second POST changes nothing.
    const again = await server.client().get(`/onboard/${token}`);
    expect(again.status).toBe(410);
    const body = await again.text();
    expect(body).toContain("This link has already been used.");
    expect(body).not.toContain('name="password"');
    expect(hasStackTrace(body)).toBe(false);

    const attacker = server.client();
    const replay = await attacker.post(`/onboard/${token}`, { password: "attacker password", confirm: "attacker password" });
    expect(replay.status).toBe(410);
    expect(setCookieFor(replay, "parley_session")).toBeUndefined();
    await replay.arrayBuffer();
    await server.client().signIn("newstaff@example.org", NEW_PASSWORD);
  });

  it("answers an unknown link with 404 and a clear page", async () => {
    const res = await server.client().get(`/onboard/${"a".repeat(32)}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain("This link is not valid.");
    expect(hasStackTrace(body)).toBe(false);
  });

  it("stops an earlier onboarding link from working once a new one is issued", async () => {
    const first = addMember("twice@example.org");
    const second = addMember("twice@example.org");
    expect(second.userId).toBe(first.userId);
    const res = await server.client().get(`/onboard/${first.token}`);
    expect(res.status).toBe(410);
    await res.arrayBuffer();
    expect((await server.client().get(`/onboard/${second.token}`)).status).toBe(200);
  });
});

describe("reset link", () => {
  it("sets a new password and ends every existing session and socket of that person", async () => {
    const userId = await server.createAccount("forgetful@example.org", "the old password");
    server.domain.programmes.addMember(organiser, programmeId, { email: "forgetful@example.org", role: "member" });

    const laptop = server.client();
    await laptop.signIn("forgetful@example.org", "the old password");
    const socket = laptop.socket();
    try {
      await connected(socket);
      const token = server.domain.programmes.issueResetLink(organiser, programmeId, userId);

      const device = server.client();
      const page = await device.get(`/onboard/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("forgetful@example.org");

      const gone = disconnected(socket);
      const res = await device.post(`/onboard/${token}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      expect(res.status).toBe(302);
      expect(await gone).toBe("io server disconnect");

      expect(await isSignedIn(device)).toBe(true);
      expect(await isSignedIn(laptop)).toBe(false);

      const old = await server.client().post("/sign-in", { email: "forgetful@example.org", password: "the old password" });
      expect(setCookieFor(old, "parley_session")).toBeUndefined();
      await old.arrayBuffer();
      await server.client().signIn("forgetful@example.org", NEW_PASSWORD);

      const reuse = await server.client().get(`/onboard/${token}`);
      expect(reuse.status).toBe(410);
      await reuse.arrayBuffer();
    } finally {
      socket.close();
    }
  });

  it("is only issued by an organiser of a programme the person belongs to", async () => {
    const outsiderId = await server.createAccount("outsider@example.org");
    expect(() => server.domain.programmes.issueResetLink(organiser, programmeId, outsiderId)).toThrow(/not_found/);
  });
});
