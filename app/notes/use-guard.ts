/**
 * The attribution guard while typing (debounced): the generic check runs on the device; people who
 * may see the roster (staff, or a room shown its roster) ask the server instead, which adds roster
 * findings. The participant's check never sends anything anywhere.
 *
 * The guard's code (its word lists are the largest part of the notes code) is loaded after
 * hydration, when a composer first mounts, not before the page can run. Until it has arrived the
 * device finds nothing (the server still checks every note on submit, and holds what it flags).
 */
import { useEffect, useRef, useState } from "react";
import type { Finding } from "../models/guard";
import { rewrite } from "../models/guard-rewrite";
import type { Room } from "../realtime/room";
import { onceLoaded } from "../utils/deferred";

export const GUARD_DEBOUNCE_MS = 300;

export type GuardResult = { text: string; findings: Finding[] };

const guardCode = onceLoaded(() => import("../models/guard"));

/** The device's generic check, or nothing while its code is still on its way. */
function localCheck(text: string): Finding[] {
  return guardCode.loaded()?.checkForParticipant(text) ?? [];
}

export function useGuard(text: string, options: { remote: boolean; room: Room | null; itemId?: string | null; enabled?: boolean }): {
  findings: Finding[];
  /** The text with the neutral rewordings applied (the findings of exactly this text). */
  neutral: () => string;
} {
  const [result, setResult] = useState<GuardResult>({ text: "", findings: [] });
  const [codeReady, setCodeReady] = useState(() => guardCode.loaded() !== null);
  const roomRef = useRef(options.room);
  roomRef.current = options.room;
  const enabled = options.enabled ?? true;
  const { remote, itemId } = options;

  useEffect(() => {
    if (!enabled || codeReady) return;
    let live = true;
    void guardCode.load().then(() => live && setCodeReady(true));
    return () => {
      live = false;
    };
  }, [enabled, codeReady]);

  useEffect(() => {
    if (!enabled || !text.trim()) {
      setResult({ text, findings: [] });
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      const room = roomRef.current;
      if (remote && room && room.connection === "connected") {
        void room.checkNote(text, itemId ?? undefined).then((res) => {
          if (cancelled) return;
          setResult({ text, findings: res.ok ? res.data.findings : localCheck(text) });
        });
      } else {
        setResult({ text, findings: localCheck(text) });
      }
    }, GUARD_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, remote, itemId, enabled, codeReady]);

  // The last answer stays on screen while typing goes on (no flicker); its spans are used only for
  // exactly the text they were computed on.
  return {
    findings: text.trim() ? result.findings : [],
    neutral: () => rewrite(text, result.text === text ? result.findings : localCheck(text)),
  };
}
