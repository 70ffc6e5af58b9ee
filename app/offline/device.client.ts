/**
 * What this device keeps for Parley outside the server's pages (SPEC section 3, bad networks; section 7,
 * seized phones): the service worker with its offline shell, the note outbox in IndexedDB, and the
 * capture pointers in localStorage. Browser only.
 */

/** The outbox database (app/notes/outbox-schema.ts; repeated here so that wiping needs nothing else). */
export const OUTBOX_DB_NAME = "parley-outbox";
/** localStorage key prefix of the capture pointers: `parley:capture:<sessionId>` = {"userId","itemId"}. */
export const CAPTURE_POINTER_PREFIX = "parley:capture:";

let wiping = false;

/**
 * Registers public/sw.js where the browser allows it. Service workers need a secure context (https or
 * localhost): a field laptop served over plain http has none, and the app simply works without the
 * offline shell there.
 */
export function registerServiceWorker(): void {
  if (wiping || typeof navigator === "undefined" || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    /* no offline shell on this device: pages still work online */
  });
}

/**
 * Tells the offline shell who writes on this device and on which agenda item a note written now
 * belongs (app/notes/README.md). Nothing else: no titles, no text.
 */
export function writeCapturePointer(sessionId: string, userId: string, itemId: string | null): void {
  try {
    window.localStorage.setItem(CAPTURE_POINTER_PREFIX + sessionId, JSON.stringify({ userId, itemId }));
  } catch {
    // Storage refused (private mode, quota): the shell then writes nothing, which is safe.
  }
}

/**
 * Forgets the capture pointers of anyone but the person signed in now (null: nobody), so that the
 * offline shell never writes a note under, or shows the notes of, someone who has signed out of a
 * shared phone. Their pending notes stay in the outbox, keyed to them, until they sign in again.
 */
export function forgetOtherCapturePointers(userId: string | null): void {
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    return;
  }
  const stale: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(CAPTURE_POINTER_PREFIX)) continue;
    let owner: unknown = null;
    try {
      owner = (JSON.parse(storage.getItem(key) ?? "null") as { userId?: unknown } | null)?.userId;
    } catch {
      /* unreadable: forget it */
    }
    if (!userId || owner !== userId) stale.push(key);
  }
  for (const key of stale) storage.removeItem(key);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") return resolve();
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error("delete_failed"));
    // Another tab still holds it open: the deletion completes once that tab closes it (the outbox
    // module closes on versionchange), so this resolves then.
    request.onblocked = () => undefined;
  });
}

/**
 * "Sign out and wipe this device" where the browser does not honour Clear-Site-Data (plain http on a
 * field laptop): deletes the outbox, the caches, the service worker and web storage. Resolves with
 * what could not be wiped (empty when everything went).
 */
export async function wipeDevice(): Promise<string[]> {
  wiping = true;
  const failed: string[] = [];
  const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
    try {
      await fn();
    } catch {
      failed.push(name);
    }
  };
  await step("storage", () => {
    window.localStorage.clear();
    window.sessionStorage.clear();
  });
  await step("serviceWorker", async () => {
    if (!("serviceWorker" in navigator)) return;
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((r) => r.unregister()));
  });
  await step("caches", async () => {
    if (typeof caches === "undefined") return;
    const keys = await caches.keys();
    await Promise.all(keys.map((k) => caches.delete(k)));
  });
  await step("outbox", () => deleteDatabase(OUTBOX_DB_NAME));
  return failed;
}
