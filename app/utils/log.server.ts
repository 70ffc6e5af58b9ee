/**
 * A minimal logger. Log lines never carry note text, names or who wrote what: callers pass codes and
 * ids only, and errors are reduced to their message and stack.
 */
type Level = "silent" | "error" | "info" | "debug";
const ORDER: Record<Level, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export function createLogger(level: Level) {
  const enabled = (l: Level) => ORDER[l] <= ORDER[level];
  const fmt = (e: unknown) => (e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : typeof e === "string" ? e : JSON.stringify(e));
  return {
    error(message: string, err?: unknown) {
      if (enabled("error")) console.error(`[parley] ${message}${err === undefined ? "" : `: ${fmt(err)}`}`);
    },
    info(message: string) {
      if (enabled("info")) console.log(`[parley] ${message}`);
    },
    debug(message: string) {
      if (enabled("debug")) console.log(`[parley:debug] ${message}`);
    },
  };
}
export type Logger = ReturnType<typeof createLogger>;
