/**
 * Keeps the worked examples of docs/consensus.md true: every row of its "Worked examples" table is
 * counted by app/models/consensus.ts and must give the level and share the row says.
 */
import fs from "node:fs";
import path from "node:path";
import { tally, type Thresholds } from "../../app/models/consensus";

const DOC = fs.readFileSync(path.resolve(__dirname, "../../docs/consensus.md"), "utf8");

function workedExamples(): string[][] {
  const section = DOC.split(/^## /m).find((s) => s.startsWith("Worked examples"));
  if (!section) throw new Error("docs/consensus.md has no 'Worked examples' section");
  return section
    .split("\n")
    .filter((l) => l.trim().startsWith("|"))
    .map((l) => l.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim()))
    .slice(2); // header and separator
}

const THRESHOLD_NAMES: Record<string, keyof Thresholds> = { quorum: "quorumPercent", consensus: "consensusPercent", broad: "broadSupportPermille" };

describe("docs/consensus.md worked examples", () => {
  const rows = workedExamples();

  it("are there", () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });

  for (const [example, support, neutral, oppose, block, eligible, hands, thresholds, level, share] of rows) {
    it(`"${example}" is ${level}`, () => {
      const thresholdsInput: Partial<Thresholds> = {};
      if (thresholds !== "default") {
        const [name, value] = thresholds.split(" ");
        thresholdsInput[THRESHOLD_NAMES[name]] = Number(value);
      }
      let handsInput;
      if (hands !== "—") {
        const [headcount, counts] = hands.split(":");
        const [agree, abstain, disagree] = counts.split(",").map((n) => Number(n.trim()));
        handsInput = { scale: "agree_abstain_disagree" as const, headcount: Number(headcount), counts: { agree, abstain, disagree } };
      }
      const out = tally({
        positions: { support: Number(support), neutral: Number(neutral), oppose: Number(oppose), block: Number(block) },
        eligible: Number(eligible),
        hands: handsInput,
        thresholds: thresholdsInput,
      });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.value.level).toBe(level);
      expect(`${out.value.sharePercent} %`).toBe(share);
    });
  }
});
