/**
 * Hooks for the device side of bad networks (device.client.ts does the work, in the browser only).
 */
import { useEffect, useState } from "react";
import { onceLoaded } from "../utils/deferred";

// The device code runs only in effects, after hydration: it is loaded then, not before the page runs
// (and tried again when the network is back, if it drops in between).
const device = onceLoaded(() => import("./device.client")).load;

/**
 * In the root: installs the offline shell's service worker for a signed-in person, and forgets the
 * capture pointers of anyone else (a signed-out visitor forgets them all).
 */
export function useOfflineDevice(userId: string | null) {
  useEffect(() => {
    void device().then((d) => {
      d.forgetOtherCapturePointers(userId);
      if (userId) d.registerServiceWorker();
    });
  }, [userId]);
}

/** On the live and capture pages: keeps the offline shell's pointer to the writer and the current item. */
export function useCapturePointer(sessionId: string, userId: string, itemId: string | null, enabled: boolean) {
  useEffect(() => {
    if (enabled && userId) void device().then((d) => d.writeCapturePointer(sessionId, userId, itemId));
  }, [sessionId, userId, itemId, enabled]);
}

export type WipeState = "idle" | "wiping" | "done" | "partial";

/** Runs the client-side wipe once when `wipe` is true (after "sign out and wipe this device"). */
export function useDeviceWipe(wipe: boolean): WipeState {
  const [state, setState] = useState<WipeState>("idle");
  useEffect(() => {
    if (!wipe) return;
    let cancelled = false;
    setState("wiping");
    void device().then((d) => d.wipeDevice()).then((failed) => {
      if (!cancelled) setState(failed.length ? "partial" : "done");
    });
    return () => {
      cancelled = true;
    };
  }, [wipe]);
  return state;
}
