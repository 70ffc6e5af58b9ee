/**
 * Socket commands from a panel: one at a time, every failure said out loud (errors assertively,
 * successes to screen readers). Shared by the live room, the notes feed and the recommendations panel.
 */
import { useCallback, useRef, useState } from "react";
import type { Ack } from "~/realtime/events";

export type Feedback = { kind: "error" | "done"; text: string; seq: number } | null;
export type RunOptions = { done?: string; focus?: string[] };

/** How long (in frames, about half a second) each focus candidate is waited for. */
const FOCUS_FRAMES = 30;

/**
 * Moves focus, after a command, to the control that replaced the one pressed: the first of `ids`,
 * waited for a little (it may appear only with the next update), else the next one, and so on.
 */
export function focusWhenReady(ids: string[], frames = FOCUS_FRAMES) {
  if (ids.length === 0) return;
  const el = document.getElementById(ids[0]);
  if (el) return el.focus();
  requestAnimationFrame(() => (frames > 0 ? focusWhenReady(ids, frames - 1) : focusWhenReady(ids.slice(1))));
}

/** `errorText` turns an acknowledgement's error code into a sentence in the page's language. */
export function useCommandRunner(errorText: (code: string) => string) {
  const [busy, setBusy] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const busyRef = useRef<string | null>(null);
  const seq = useRef(0);
  /** Runs a command unless another is under way; returns its acknowledgement (null when refused). */
  const run = useCallback(
    async <T,>(key: string, command: () => Promise<Ack<T>>, options: RunOptions = {}): Promise<Ack<T> | null> => {
      if (busyRef.current) return null;
      busyRef.current = key;
      setBusy(key);
      try {
        const res = await command();
        seq.current += 1;
        if (!res.ok) setFeedback({ kind: "error", text: errorText(res.error), seq: seq.current });
        else {
          setFeedback(options.done ? { kind: "done", text: options.done, seq: seq.current } : null);
          if (options.focus) focusWhenReady(options.focus);
        }
        return res;
      } finally {
        busyRef.current = null;
        setBusy(null);
      }
    },
    [errorText],
  );
  const dismiss = useCallback(() => setFeedback(null), []);
  return { busy, run, feedback, dismiss };
}

/** The result of the last command: inline in a panel, or fixed at the bottom of a phone's screen. */
export function CommandFeedback({ feedback, onDismiss, dismissLabel, floating = false }: { feedback: Feedback; onDismiss: () => void; dismissLabel: string; floating?: boolean }) {
  const alert = (
    <div role="alert" aria-atomic="true" className={floating ? "pointer-events-auto w-full max-w-xl" : undefined}>
      {feedback?.kind === "error" ? (
        <div key={feedback.seq} className={`alert flex items-center justify-between gap-3${floating ? " text-base shadow-lg" : ""}`}>
          <span>{feedback.text}</span>
          <button type="button" className="btn-secondary btn-small shrink-0" onClick={onDismiss}>
            {dismissLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
  const status = (
    <div role="status" aria-atomic="true" className="sr-only">
      {feedback?.kind === "done" ? <span key={feedback.seq}>{feedback.text}</span> : null}
    </div>
  );
  return floating ? (
    <div className="pointer-events-none fixed inset-x-0 bottom-0 z-20 flex justify-center p-3">
      {alert}
      {status}
    </div>
  ) : (
    <>
      {alert}
      {status}
    </>
  );
}
