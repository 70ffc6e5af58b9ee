/**
 * The attribution guard while typing (debounced): the generic check runs on the device; people who
 * may see the roster (staff, or a room shown its roster) ask the server instead, which adds roster
 * findings. The participant's check never sends anything anywhere.
 */
import { useEffect, useRef, useState } from "react";
import { checkForParticipant, rewrite, type Finding } from "../models/guard";
import type { Room } from "../realtime/room";

export const GUARD_DEBOUNCE_MS = 300;

export type GuardResult = { text: string; findings: Finding[] };

export function useGuard(text: string, options: { remote: boolean; room: Room | null; itemId?: string | null; enabled?: boolean }): {
  findings: Finding[];
  /** The text with the neutral rewordings applied (the findings of exactly this text). */
  neutral: () => string;
} {
  const [result, setResult] = useState<GuardResult>({ text: "", findings: [] });
  const roomRef = useRef(options.room);
  roomRef.current = options.room;
  const enabled = options.enabled ?? true;
  const { remote, itemId } = options;

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
          setResult({ text, findings: res.ok ? res.data.findings : checkForParticipant(text) });
        });
      } else {
        setResult({ text, findings: checkForParticipant(text) });
      }
    }, GUARD_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, remote, itemId, enabled]);

  // The last answer stays on screen while typing goes on (no flicker); its spans are used only for
  // exactly the text they were computed on.
  return {
    findings: text.trim() ? result.findings : [],
    neutral: () => rewrite(text, result.text === text ? result.findings : checkForParticipant(text)),
  };
}
