/**
 * Journey: an organiser works in French. They sign in, pick Français in the header, make a mistake in
 * the session form (no title) and get the error in French with everything else they typed kept, then
 * fix it; the session page speaks French and shows dates the French way.
 */
import type { Browser } from "playwright-core";
import { DESKTOP, launchBrowser, openPage, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { hydrated, scanner, unique } from "./helpers";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the organiser journey in French", () => {
  it("creates a session in French, with a French field error that keeps the other values", async () => {
    const id = unique();
    const email = `organisatrice-${id}@example.org`;
    await server.createAccount(email, "correct horse battery", `Aminata ${id}`);
    const programmeName = `Dialogue national inclusif ${id}`;
    const title = `Concertation régionale de Ségou ${id}`;
    const description = "Sécurité, cohésion sociale et accès aux services de base.";

    // The browser speaks English: the organiser picks French themselves.
    const { page, context, problems } = await openPage(browser, { viewport: DESKTOP, locale: "en-GB", name: "french-journey" });
    const scan = scanner(page);
    await signIn(page, server.url, email, "correct horse battery");
    await page.getByRole("heading", { name: "Your programmes" }).waitFor();
    await hydrated(page);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole("button", { name: "Français" }).click()]);
    await page.getByRole("heading", { name: "Vos programmes" }).waitFor();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByRole("button", { name: "Français" }).getAttribute("aria-pressed")).toBe("true");
    await hydrated(page);
    await scan("accueil");

    // A programme, in French.
    await Promise.all([page.waitForURL(/\/programmes\/new$/), page.getByRole("link", { name: "Nouveau programme" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Nouveau programme" }).waitFor();
    await hydrated(page);
    await page.getByLabel("Nom").fill(programmeName);
    await Promise.all([page.waitForURL(/\/programmes\/[^/]+$/), page.getByRole("button", { name: "Créer le programme" }).click()]);
    await page.getByRole("heading", { level: 1, name: programmeName }).waitFor();
    await hydrated(page);
    await scan("programme");

    // The session form, first without a title.
    await Promise.all([page.waitForURL(/\/sessions\/new$/), page.getByRole("link", { name: "Nouvelle séance" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Nouvelle séance" }).waitFor();
    await hydrated(page);
    await scan("nouvelle séance");
    await page.getByLabel("Description", { exact: true }).fill(description);
    await page.getByRole("checkbox", { name: "Anglais" }).check();
    await page.getByLabel("Niveau", { exact: true }).selectOption({ label: "Région" });
    await page.getByLabel("Fuseau horaire").selectOption("Europe/Paris");
    await page.getByLabel("Début", { exact: true }).fill("2026-12-04T14:00");
    await page.getByLabel("Fin", { exact: true }).fill("2026-12-04T17:30");
    await page.getByRole("radio", { name: "Propos publics (attribution autorisée)" }).check();
    await page.getByRole("button", { name: "Créer la séance" }).click();

    // The error, in French, on the title; nothing else lost; still on the form.
    const titleField = page.getByLabel("Titre", { exact: true });
    await page.getByText("Ce champ est obligatoire.").waitFor();
    await page.getByRole("alert").filter({ hasText: "Certains champs demandent votre attention." }).waitFor();
    expect(await titleField.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await titleField.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    expect(await page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent()).toBe("Ce champ est obligatoire.");
    expect(new URL(page.url()).pathname).toMatch(/\/sessions\/new$/);
    expect(await page.getByLabel("Description", { exact: true }).inputValue()).toBe(description);
    expect(await page.getByRole("checkbox", { name: "Anglais" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Français" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Niveau", { exact: true }).locator("option:checked").textContent()).toBe("Région");
    expect(await page.getByLabel("Fuseau horaire").inputValue()).toBe("Europe/Paris");
    expect(await page.getByLabel("Début", { exact: true }).inputValue()).toBe("2026-12-04T14:00");
    expect(await page.getByLabel("Fin", { exact: true }).inputValue()).toBe("2026-12-04T17:30");
    expect(await page.getByRole("radio", { name: "Propos publics (attribution autorisée)" }).isChecked()).toBe(true);
    await scan("nouvelle séance avec erreur");

    // Fixed, and submitted.
    await titleField.fill(title);
    await Promise.all([page.waitForURL(/\/sessions\/[^/]+$/), page.getByRole("button", { name: "Créer la séance" }).click()]);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await hydrated(page);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");

    // The session page in French.
    await page.getByRole("heading", { level: 2, name: "Informations" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Ce que l'on peut faire de ce qui est dit ici" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Statut" }).waitFor();
    await page.getByText("Brouillon", { exact: true }).waitFor();
    await page.getByText("Table ronde à huis clos", { exact: true }).waitFor();
    await page.getByText(/^Les propos tenus dans cette séance sont publics/).waitFor();
    await page.getByRole("link", { name: "Participants et invitations" }).waitFor();
    await page.getByRole("button", { name: "Marquer comme programmée" }).waitFor();
    const details = page.getByRole("region", { name: "Informations" });
    await details.getByText("Région", { exact: true }).waitFor();
    await details.getByText("Français, Anglais", { exact: true }).waitFor();
    expect(await details.getByText(description).count()).toBe(0);
    await page.getByRole("region", { name: "À propos de cette séance" }).getByText(description).waitFor();

    // Dates the French way, in the session's zone, with the viewer's own time (Bamako, an hour behind).
    const schedule = await details.getByRole("definition").filter({ hasText: "Début" }).textContent();
    expect(schedule).toContain("Début\u00A0: ven. 4 décembre 2026 à 14:00 (Europe/Paris)");
    expect(schedule).toContain("chez vous : ven. 4 décembre 2026 à 13:00");
    expect(schedule).toContain("Fin\u00A0: ven. 4 décembre 2026 à 17:30 (Europe/Paris)");
    expect(schedule).not.toMatch(/December|Friday|Fri\b/);
    await scan("séance");

    // Still French after a reload.
    await page.reload();
    await hydrated(page);
    await page.getByRole("heading", { level: 2, name: "Informations" }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
