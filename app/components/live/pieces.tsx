/**
 * Pieces of the live room shared by what every person sees (app/routes/sessions.$sessionId.live.tsx)
 * and the staff's controls (./staff.tsx, loaded after hydration): commands, buttons, countdowns.
 */
import { useCallback, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useCommandRunner } from "~/components/commands";
import { countdownParts, useCountdown } from "~/realtime/room";

export const MINUTE_MS = 60_000;

// ---- Commands: one at a time, every failure said out loud ----

export function useCommands() {
  const { t } = useTranslation(["live", "errors"]);
  const errorText = useCallback((code: string) => t(`errors.${code}`, { defaultValue: t(`errors:${code}`, { defaultValue: t("errors.internal") }) }), [t]);
  return useCommandRunner(errorText);
}

export type Commands = ReturnType<typeof useCommands>;

/** A button for a socket command: stays focusable while busy (aria-disabled), never submits a form. */
export function CommandButton(props: { id?: string; label: ReactNode; ariaLabel?: string; onClick: () => void; busy: boolean; variant?: "primary" | "secondary" | "danger"; className?: string }) {
  const variant = props.variant ?? "secondary";
  return (
    <button
      id={props.id}
      type="button"
      className={`btn-${variant} ${props.className ?? ""}`}
      aria-label={props.ariaLabel}
      aria-disabled={props.busy || undefined}
      onClick={() => {
        if (!props.busy) props.onClick();
      }}
    >
      {props.label}
    </button>
  );
}

/** A countdown: remaining time, or the time over in a warning colour. */
export function Countdown(props: { remainingMs: number; running: boolean; receivedAt: number | null; label: string; size: "large" | "medium" | "small" }) {
  const { t } = useTranslation("live");
  const ms = useCountdown(props.remainingMs, props.running, props.receivedAt);
  const { overrun, time } = countdownParts(ms);
  const sizes = { large: "text-6xl sm:text-7xl", medium: "text-4xl", small: "text-base" };
  const colour = overrun ? "text-danger" : "text-ink";
  return (
    <div role="timer" aria-label={props.label} className={`flex flex-wrap items-baseline gap-x-3 font-bold tabular-nums ${colour}`}>
      <span className={sizes[props.size]}>{overrun ? `+${time}` : time}</span>
      {overrun ? <span className={props.size === "small" ? "text-base" : "text-xl"}>{t("current.overTimeWords")}</span> : null}
    </div>
  );
}
