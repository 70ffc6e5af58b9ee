/**
 * Turns `npm run bench` JSON into the Markdown table docs/performance.md uses:
 *   npm run -s bench > result.json && node --import tsx scripts/bench/table.ts result.json
 */
import fs from "node:fs";

type S = Record<string, number | null>;
type Server = {
  error?: string;
  connected: number;
  sent: number;
  acknowledged: number;
  stored: number | null;
  duplicated: number;
  ackMs: S;
  deliveryMs: S;
  toLastRecipientMs: S;
  deliveries: { expected: number; received: number; missing: number };
  drainSeconds: number;
  otherProcessesPercentOfOneCore: number | null;
  generator: { percentOfOneCore: number; eventLoopDelayP99Ms: number };
  server: { percentOfOneCore: number; cpuUsPerDeliveredNote: number | null; peakRssMB: number };
};
type Result = { parameters: Record<string, number>; servers: Record<string, Server>; ratios: Record<string, Record<string, number | null> | null> };

const result = JSON.parse(fs.readFileSync(process.argv[2] ?? 0, "utf8")) as Result;
const p = result.parameters;
const trio = (s: S) => `${s.p50} / ${s.p95} / ${s.p99}`;
const lines = [
  `${p.participants} participants, ${p.submitters} submitters, ${p.ratePerSecond} notes/s for ${p.seconds} s (${p.notes} notes)`,
  "",
  "| server | acked / sent | stored | dup | ack ms p50/p95/p99 | delivery ms p50/p95/p99 | to last recipient ms p50/p95/p99 | deliveries missing | behind at end s | server CPU % of a core | CPU µs per delivered note | peak RSS MB | generator % (loop p99 ms) | others % |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
];
for (const [name, s] of Object.entries(result.servers)) {
  if (s.error) {
    lines.push(`| ${name} | error: ${s.error} |`);
    continue;
  }
  lines.push(
    `| ${name} | ${s.acknowledged} / ${s.sent} | ${s.stored ?? "?"} | ${s.duplicated} | ${trio(s.ackMs)} | ${trio(s.deliveryMs)} | ${trio(s.toLastRecipientMs)} | ${s.deliveries.missing} of ${s.deliveries.expected} | ${s.drainSeconds} | ${s.server.percentOfOneCore} | ${s.server.cpuUsPerDeliveredNote ?? "?"} | ${s.server.peakRssMB} | ${s.generator.percentOfOneCore} (${s.generator.eventLoopDelayP99Ms}) | ${s.otherProcessesPercentOfOneCore ?? "?"} |`,
  );
}
const r = (x: Record<string, number | null> | null) => (x ? `delivery p99 ×${x.deliveryP99}, to last recipient p99 ×${x.toLastRecipientP99}, ack p99 ×${x.ackP99}, CPU per delivered note ×${x.cpuPerDeliveredNote}` : "n/a");
lines.push("", `Ratios app/naive: ${r(result.ratios.appToNaive)}; app/batched: ${r(result.ratios.appToBatched)}.`);
console.log(lines.join("\n"));
