/** The summary guard's exemption for the session's own public texts (app/models/summary-guard.ts). */
import { checkForStaff, buildRosterIndex } from "../../app/models/guard";
import { publicTextsOf, withinPublicText } from "../../app/models/summary-guard";

const session = { title: "Civilians at Risk: Threats and Drivers of Mass Atrocity in Mali", coHosts: "Institute for Peace Dialogue; Centre for Atrocity Prevention" };
const texts = publicTextsOf(session, ["Opening remarks", "Trends and risks"]);
const index = buildRosterIndex([{ name: "Ingrid Halvorsen", shortForms: ["Halvorsen"], organisation: "Nordic Institute for Conflict Studies", acronyms: ["NICS"], title: "Senior researcher", country: "Norway", role: "panelist", category: "academic" }]);

describe("findings inside the session's public texts", () => {
  it("drops the title, the co-hosts joined by 'and the', and item titles; keeps a speaker", () => {
    const md = `# ${session.title}\n\nThe Institute for Peace Dialogue and the Centre for Atrocity Prevention convened a roundtable.\n\n## Opening remarks\n\nParticipants noted the risks.\n\nHalvorsen said the wells must be guarded.\n`;
    const findings = checkForStaff(md, index);
    const kept = findings.filter((f) => !withinPublicText(md, f, texts)).map((f) => f.text);
    expect(kept).toEqual(["Halvorsen"]);
    expect(findings.length).toBeGreaterThan(1);
  });
  it("does not exempt a name that merely shares a word with a public text", () => {
    const md = "Daniel Prevention said the plan was good.";
    const f = { start: 0, end: "Daniel Prevention".length };
    expect(withinPublicText(md, f, texts)).toBe(false);
  });
  it("splits co-hosts on semicolons, lines and commas, ignores very short ones", () => {
    expect(publicTextsOf({ title: "T", coHosts: "A; Institute X\nCentre Y, Mali" }, [])).toEqual(["Institute X", "Centre Y", "Mali"]);
  });
});
