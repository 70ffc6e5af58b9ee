/**
 * The consolidation bench (part of `npm run bench`; alone with `npm run bench -- consolidation`):
 * generates the national programme (app/demo/national.server.ts) in a temporary database and
 * measures the generator, then the grouping of every local recommendation (app/models/grouping.ts),
 * in one go and in the yielding variant a server would use (with the event loop's worst delay
 * meanwhile). Prints JSON when run alone.
 *
 *   npm run -s bench -- consolidation [--seed 2024] [--small]
 *
 * To measure more against the same generated programme (the workspace's first page, say), add a
 * step to CONSOLIDATION_STEPS: each gets the database, the domain, the programme and an organiser,
 * and its result appears under `steps` in the JSON.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { eq, ne, and } from "drizzle-orm";
import { NATIONAL_SIZES, seedNationalProgramme, SMALL_NATIONAL_SIZES, type NationalSizes } from "../../app/demo/national.server";
import type { SignedInActor } from "../../app/models/actor";
import { createDomain, type Domain } from "../../app/models/domain.server";
import { groupRecommendations, groupRecommendationsAsync, type GroupingItem, type GroupingResult } from "../../app/models/grouping";
import { openDatabase, type Db } from "../../db/database.server";
import { dialogueSessions, recommendations } from "../../db/schema";

export type ConsolidationContext = { db: Db; domain: Domain; programmeId: string; nationalSessionId: string; organiser: SignedInActor; log: (message: string) => void };
/** A measurement against the generated programme; what it returns is printed as is. */
export type ConsolidationStep = (context: ConsolidationContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** Extend here (e.g. `workspaceFirstPage`): run in order after the grouping, each in its own try. */
export const CONSOLIDATION_STEPS: Record<string, ConsolidationStep> = {};

const round = (ms: number) => Math.round(ms * 10) / 10;

function measure<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, ms: round(ms), cpuMs: round((used.user + used.system) / 1000) };
}

function summarise(result: GroupingResult) {
  const sizes = result.groups.map((g) => g.ids.length);
  return {
    groups: result.groups.length,
    itemsInGroups: sizes.reduce((s, n) => s + n, 0),
    largestGroup: sizes[0] ?? 0,
    comparisons: result.comparisons,
    emptyItems: result.empty,
  };
}

/** The local recommendations a national rapporteur consolidates, in each session's language. */
export function localRecommendations(db: Db, programmeId: string, nationalSessionId: string): GroupingItem[] {
  return db
    .select({ id: recommendations.id, text: recommendations.text, languages: dialogueSessions.languages })
    .from(recommendations)
    .innerJoin(dialogueSessions, eq(dialogueSessions.id, recommendations.sessionId))
    .where(and(eq(dialogueSessions.programmeId, programmeId), ne(dialogueSessions.id, nationalSessionId)))
    .all()
    .map((r) => ({ id: r.id, text: r.text, language: r.languages[0] === "en" ? "en" : "fr" }));
}

export async function runConsolidationBench(options: { sizes?: Partial<NationalSizes>; seed?: number; log?: (message: string) => void } = {}) {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-consolidation-"));
  const database = openDatabase(path.join(dir, "bench.sqlite"));
  try {
    const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7 });
    const { userId } = domain.accounts.findOrCreateAccount("organiser@bench.parley.test", "Organiser");
    const organiser: SignedInActor = { userId, authSessionId: "bench", isGuest: false, isAdmin: false, displayName: "Organiser", email: "organiser@bench.parley.test" };

    log("consolidation: generating the national programme");
    const sizes = { ...NATIONAL_SIZES, ...options.sizes };
    const generated = measure(() => seedNationalProgramme(database.db, { organiserUserId: userId, sizes, seed: options.seed }));
    const { programmeId, nationalSessionId, counts } = generated.value;
    log(`consolidation: ${counts.sessions} sessions, ${counts.recommendations} recommendations in ${generated.ms} ms`);

    const items = measure(() => localRecommendations(database.db, programmeId, nationalSessionId));
    log(`consolidation: grouping ${items.value.length} recommendations`);
    const grouped = measure(() => groupRecommendations(items.value));

    // The yielding variant, as a server runs it: how late a 10 ms timer fires meanwhile.
    let worstLagMs = 0;
    let expected = performance.now() + 10;
    const timer = setInterval(() => {
      const now = performance.now();
      worstLagMs = Math.max(worstLagMs, now - expected);
      expected = now + 10;
    }, 10);
    let yields = 0;
    const asyncStart = performance.now();
    const asyncResult = await groupRecommendationsAsync(items.value, {
      yieldEvery: 500,
      yieldToEventLoop: () => {
        yields++;
        return new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
    const asyncMs = round(performance.now() - asyncStart);
    clearInterval(timer);

    const steps: Record<string, unknown> = {};
    for (const [name, step] of Object.entries(CONSOLIDATION_STEPS)) {
      try {
        steps[name] = await step({ db: database.db, domain, programmeId, nationalSessionId, organiser, log });
      } catch (e) {
        steps[name] = { error: e instanceof Error ? e.message : String(e) };
      }
    }

    const groupSummary = summarise(grouped.value);
    log(`consolidation: ${groupSummary.groups} groups (${groupSummary.itemsInGroups} items) in ${grouped.ms} ms; yielding variant ${asyncMs} ms, worst event-loop delay ${round(worstLagMs)} ms`);
    const n = items.value.length;
    return {
      sizes,
      seed: options.seed ?? null,
      generator: { ms: generated.ms, cpuMs: generated.cpuMs, counts, reportedMs: generated.value.ms },
      items: n,
      loadItemsMs: items.ms,
      grouping: { ms: grouped.ms, cpuMs: grouped.cpuMs, ...groupSummary, allPairs: (n * (n - 1)) / 2 },
      groupingYielding: { ms: asyncMs, yieldEvery: 500, yields, worstEventLoopDelayMs: round(worstLagMs), sameGroups: JSON.stringify(asyncResult) === JSON.stringify(grouped.value) },
      steps,
    };
  } finally {
    database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench -- consolidation [--seed N] [--small]`: this section alone, as JSON on stdout. */
export async function runConsolidationCli(args: string[]) {
  const { values } = parseArgs({ args, options: { seed: { type: "string" }, small: { type: "boolean", default: false } }, strict: true });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error("--seed must be a whole number");
  const cpus = os.cpus();
  const consolidation = await runConsolidationBench({ seed, sizes: values.small ? SMALL_NATIONAL_SIZES : undefined });
  const machine = { cpus: cpus.length, model: cpus[0]?.model ?? null, node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  process.stdout.write(`${JSON.stringify({ machine, consolidation }, null, 2)}\n`);
}
