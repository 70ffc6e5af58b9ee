/**
 * The note outbox on the device (SPEC section 3, bad networks): the IndexedDB schema shared by the
 * live room, the capture screen and the offline page. Changing anything here needs a new version and
 * an upgrade path: records written by an older page must still be readable and sendable.
 *
 * A record is keyed by its client id (random, made on the device) and indexed by the person who wrote
 * it: on a shared phone a pending note is only ever sent with its own writer's credentials.
 */

export const OUTBOX_DB_NAME = "parley-outbox";
export const OUTBOX_DB_VERSION = 1;
export const OUTBOX_STORE = "notes";
export const OUTBOX_KEY_PATH = "clientId";
export const OUTBOX_USER_INDEX = "byUser";

export type OutboxState = "pending" | "refused";

export type OutboxRecord = {
  clientId: string;
  userId: string;
  sessionId: string;
  itemId: string;
  kind: string;
  themeIds: string[];
  text: string;
  /** Date.now() on the device when it was written (kept on the device only, never sent). */
  createdAt: number;
  state: OutboxState;
  /** The server's refusal (an error key), when state is "refused". */
  error?: string;
};

/** Opens (and on first use creates) the outbox database. Rejects where IndexedDB is unavailable. */
export function openOutbox(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!factory) return reject(new Error("indexeddb_unavailable"));
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(OUTBOX_DB_NAME, OUTBOX_DB_VERSION);
    } catch (e) {
      return reject(e);
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(OUTBOX_STORE)) {
        const store = db.createObjectStore(OUTBOX_STORE, { keyPath: OUTBOX_KEY_PATH });
        store.createIndex(OUTBOX_USER_INDEX, "userId", { unique: false });
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, this page reopens on next use.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error("indexeddb_open_failed"));
    request.onblocked = () => reject(new Error("indexeddb_blocked"));
  });
}

/** An IDBRequest as a promise. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("indexeddb_request_failed"));
  });
}

/** Resolves when a transaction has committed. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("indexeddb_transaction_failed"));
    tx.onabort = () => reject(tx.error ?? new Error("indexeddb_transaction_aborted"));
  });
}
