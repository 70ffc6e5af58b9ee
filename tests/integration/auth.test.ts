/**
 * Sign-in, sign-out and the session cookie over real HTTP, and the sockets that sign-out must close.
 */
import { connected, disconnected, hasStackTrace, isSignedIn, refused, setCookieFor, startTestServer, type TestServer } from "../support/server";

const PASSWORD = "correct horse battery";
const BAD_CREDENTIALS_EN = "That email and password do not match an account.";
const BAD_CREDENTIALS_FR = "Cette adresse et ce mot de passe ne correspondent à aucun compte.";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.createAccount("ada@example.org", PASSWORD, "Ada");
  await server.createAccount("grace@example.org", PASSWORD, "Grace");
  await server.createAccount("locked@example.org", PASSWORD);
  await server.createAccount("other@example.org", PASSWORD);
});

afterAll(async () => {
  await server?.stop();
});

describe("sign-in", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie, not Secure outside production", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "ada@example.org", password: PASSWORD, returnTo: "/" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const cookie = setCookieFor(res, "parley_session");
    expect(cookie).toBeDefined();
    const attrs = cookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs).not.toContain("secure");
    expect(await isSignedIn(client)).toBe(true);
  });

  it("keeps the return path but refuses to redirect off-site", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "ada@example.org", password: PASSWORD, returnTo: "//evil.example/x" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
  });

  it("answers a wrong password with 401 and the error in the page", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "grace@example.org", password: "not the password" });
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain(BAD_CREDENTIALS_EN);
    // What was typed comes back, the password never does.
    expect(body).toContain('value="grace@example.org"');
    expect(body).not.toContain("not the password");
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
    expect(hasStackTrace(body)).toBe(false);
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "nobody@example.org", password: "whatever it is" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain(BAD_CREDENTIALS_EN);
  });

  it("shows the error in French when the language cookie says fr", async () => {
    const client = server.client();
    client.cookies.set("parley_lang", "fr");
    const res = await client.post("/sign-in", { email: "grace@example.org", password: "mauvais mot de passe" });
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain(BAD_CREDENTIALS_FR);
    expect(body).toContain('lang="fr"');
    expect(body).not.toContain(BAD_CREDENTIALS_EN);
  });

  it("shows the error in French when the browser asks for French", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "grace@example.org", password: "mauvais mot de passe" }, { origin: server.url, "accept-language": "fr-FR,fr;q=0.9" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain(BAD_CREDENTIALS_FR);
  });

  it("explains missing and malformed fields in the person's language", async () => {
    const english = await server.client().post("/sign-in", { email: "not-an-email", password: "" });
    expect(english.status).toBe(400);
    const en = await english.text();
    expect(en).toContain("Enter a valid email address.");
    expect(en).toContain("This field is required.");

    const client = server.client();
    client.cookies.set("parley_lang", "fr");
    const french = await client.post("/sign-in", { email: "not-an-email", password: "" });
    expect(french.status).toBe(400);
    const fr = await french.text();
    expect(fr).toContain("Saisissez une adresse électronique valide.");
    expect(fr).toContain("Ce champ est obligatoire.");
  });

  it("refuses the 11th wrong password for one account with 429, even with the right password, but not other accounts", async () => {
    const client = server.client();
    for (let i = 1; i <= 10; i++) {
      const res = await client.post("/sign-in", { email: "locked@example.org", password: `wrong guess ${i}` });
      await res.arrayBuffer();
      // Refused (the status itself is checked above), not yet rate limited.
      expect(res.status, `attempt ${i}`).not.toBe(429);
      expect(setCookieFor(res, "parley_session"), `attempt ${i}`).toBeUndefined();
    }
    const eleventh = await client.post("/sign-in", { email: "locked@example.org", password: "wrong guess 11" });
    expect(eleventh.status).toBe(429);
    expect(await eleventh.text()).toContain("Too many attempts");
    // Locked for the account (from any device), whatever the password.
    const right = await server.client().post("/sign-in", { email: "LOCKED@example.org", password: PASSWORD });
    expect(right.status).toBe(429);
    await right.arrayBuffer();
    // Another account from the same address is not locked out.
    const other = await server.client().post("/sign-in", { email: "other@example.org", password: PASSWORD });
    expect(other.status).toBe(302);
  });

  it("limits failures per address across accounts when the address limit is reached", async () => {
    const small = await startTestServer({}, { rateLimits: { signInFailuresPerAddress: { points: 3, duration: 600 } } });
    try {
      const client = small.client();
      for (let i = 1; i <= 3; i++) {
        const res = await client.post("/sign-in", { email: `probe${i}@example.org`, password: "guess" });
        await res.arrayBuffer();
        expect(res.status).not.toBe(429);
        expect(setCookieFor(res, "parley_session")).toBeUndefined();
      }
      const fourth = await client.post("/sign-in", { email: "probe4@example.org", password: "guess" });
      expect(fourth.status).toBe(429);
      await fourth.arrayBuffer();
    } finally {
      await small.stop();
    }
  });
});

describe("sign-out", () => {
  it("signs out one device and leaves the other signed in", async () => {
    const phone = server.client();
    const laptop = server.client();
    await phone.signIn("ada@example.org", PASSWORD);
    await laptop.signIn("ada@example.org", PASSWORD);

    const res = await phone.post("/sign-out", { intent: "device" });
    expect(res.status).toBe(302);
    const cleared = setCookieFor(res, "parley_session");
    expect(cleared).toMatch(/Max-Age=0/i);

    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(true);
  });

  it("ends the old token on the server, not only in the browser", async () => {
    const client = server.client();
    await client.signIn("ada@example.org", PASSWORD);
    const token = client.cookies.get("parley_session")!;
    await (await client.post("/sign-out", { intent: "device" })).arrayBuffer();
    const replay = server.client();
    replay.cookies.set("parley_session", token);
    expect(await isSignedIn(replay)).toBe(false);
  });

  it("signs out everywhere: the other device loses its session and its open socket", async () => {
    const phone = server.client();
    const laptop = server.client();
    await phone.signIn("grace@example.org", PASSWORD);
    await laptop.signIn("grace@example.org", PASSWORD);

    const socket = laptop.socket();
    try {
      await connected(socket);
      const gone = disconnected(socket);
      const res = await phone.post("/sign-out", { intent: "everywhere" });
      expect(res.status).toBe(302);
      expect(await gone).toBe("io server disconnect");

      expect(await isSignedIn(laptop)).toBe(false);
      expect(await isSignedIn(phone)).toBe(false);
      const again = laptop.socket();
      try {
        expect((await refused(again)).message).toBe("unauthenticated");
      } finally {
        again.close();
      }
    } finally {
      socket.close();
    }
  });

  it("wipes the device: Clear-Site-Data, cleared cookies, and every identity on the device ended", async () => {
    const client = server.client();
    await client.signIn("ada@example.org", PASSWORD);
    const token = client.cookies.get("parley_session")!;

    const res = await client.post("/sign-out", { intent: "wipe" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/?wiped=1");
    const clearSiteData = res.headers.get("clear-site-data") ?? "";
    expect(clearSiteData).toContain('"cookies"');
    expect(clearSiteData).toContain('"storage"');
    expect(clearSiteData).toContain('"cache"');
    expect(setCookieFor(res, "parley_session")).toMatch(/Max-Age=0/i);
    expect(setCookieFor(res, "parley_device")).toMatch(/Max-Age=0/i);
    expect(client.cookies.has("parley_session")).toBe(false);

    const replay = server.client();
    replay.cookies.set("parley_session", token);
    expect(await isSignedIn(replay)).toBe(false);
  });
});
