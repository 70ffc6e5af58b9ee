import { useTranslation } from "react-i18next";
import type { ConnectionState } from "~/realtime/client";

const DOT: Record<ConnectionState, string> = {
  connecting: "bg-slate-400",
  connected: "bg-emerald-600",
  reconnecting: "bg-amber-500",
  offline: "bg-red-600",
  unavailable: "bg-slate-400",
};

/** The state of the live connection; before hydration (or without JavaScript) it says nothing. */
export function ConnectionStatus({ state }: { state: ConnectionState | null }) {
  const { t } = useTranslation("live");
  return (
    <p role="status" aria-live="polite" className="flex min-h-[1.25rem] items-center gap-2 text-sm text-ink-soft">
      {state ? (
        <>
          <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-full ${DOT[state]}`} />
          <span>
            <span className="sr-only">{t("connection.label")} </span>
            {t(`connection.${state}`)}
          </span>
        </>
      ) : null}
    </p>
  );
}
