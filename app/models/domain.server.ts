/**
 * The domain: one instance per process, built by the composition root (server.ts) and handed to
 * Remix through getLoadContext and to the socket handlers directly.
 */
import type { Db } from "../../db/database.server";
import { createAccess } from "./access.server";
import { createAccounts } from "./accounts.server";
import { createAudit } from "./audit.server";
import { DomainEventBus } from "./events";
import { createExports } from "./exports.server";
import { createField } from "./field.server";
import { createImports } from "./imports.server";
import { createInvitations } from "./invitations.server";
import { createLinking } from "./linking.server";
import { createLive } from "./live.server";
import { createNotes } from "./notes.server";
import { createProgrammes } from "./programmes.server";
import { createRecommendations } from "./recommendations.server";
import { createRetention } from "./retention.server";
import { createRoster } from "./roster.server";
import { createSecrets } from "./secrets.server";
import { createSessions } from "./sessions.server";
import { createSummaries } from "./summaries.server";
import { createTraceability } from "./traceability.server";
import { memoryLimiter, type LimiterFactory, type QueueStore } from "./stores.server";

export type DomainOptions = {
  allowSignup: boolean;
  invitationTtlDays: number;
  now?: () => number;
  /** How long an ended session accepts late notes before it finalises by itself. */
  graceMs?: number;
  /** The database file, to check that the WAL really was truncated at finalisation. */
  databaseFile?: string | null;
  /** This instance's name in the provenance of its exports (PARLEY_INSTANCE_NAME); "Parley" by default. */
  instanceName?: string;
  /** Where the speaker queue is kept: in memory unless several processes share it (server.ts). */
  queues?: QueueStore;
  /** How per-person rate limits are counted: in memory unless several processes share them. */
  limiter?: LimiterFactory;
};

export function createDomain(db: Db, options: DomainOptions) {
  const now = options.now ?? Date.now;
  const events = new DomainEventBus();
  const audit = createAudit(db, now);
  const access = createAccess(db);
  const accounts = createAccounts({ db, now, audit, events, allowSignup: options.allowSignup });
  const programmes = createProgrammes({ db, now, access, audit, accounts, events });
  const secrets = createSecrets(db);
  const notes = createNotes({ db, now, access, audit, events, secrets, databaseFile: options.databaseFile, limiter: options.limiter ?? memoryLimiter });
  const recommendations = createRecommendations({ db, now, access, audit, events, secrets });
  const sessions = createSessions({ db, now, access, audit, accounts, events, notes, recommendations, graceMs: options.graceMs });
  const roster = createRoster({ db, now, access, audit });
  const invitations = createInvitations({ db, now, access, audit, sessions, ttlDays: options.invitationTtlDays });
  const live = createLive({ db, now, access, audit, events, queues: options.queues });
  const exports = createExports({ db, now, access, audit, instanceName: options.instanceName });
  const imports = createImports({ db, now, access, audit });
  const summaries = createSummaries({ db, now, access, audit, events, notes });
  const linking = createLinking({ db, now, access, audit, recommendations });
  const retention = createRetention({ db, now, audit, events, notes });
  const traceability = createTraceability({ db, access, linking });
  const field = createField({ db, now, access, audit, imports, exports, instanceName: options.instanceName });
  return { events, audit, access, accounts, programmes, sessions, roster, invitations, live, notes, recommendations, exports, imports, summaries, linking, retention, traceability, field };
}
export type Domain = ReturnType<typeof createDomain>;
