/**
 * The outbox's storage in the browser: a small promise wrapper over IndexedDB (schema in
 * outbox-schema.ts, shared with the offline page). Every note is put here before it is sent and
 * deleted only once the server has acknowledged it.
 */
import { openOutbox, OUTBOX_STORE, OUTBOX_USER_INDEX, requestResult, transactionDone, type OutboxRecord } from "./outbox-schema";

let opening: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  if (!opening) {
    opening = openOutbox().then((db) => {
      // Closed by a version change in another tab: open again next time.
      db.addEventListener("close", () => (opening = null));
      const onVersionChange = db.onversionchange;
      db.onversionchange = (e) => {
        opening = null;
        onVersionChange?.call(db, e);
      };
      return db;
    });
    opening.catch(() => (opening = null));
  }
  return opening;
}

/** Whether IndexedDB can be opened here (private modes and old browsers may refuse). */
export async function outboxAvailable(): Promise<boolean> {
  try {
    await database();
    return true;
  } catch {
    return false;
  }
}

export async function putRecord(record: OutboxRecord): Promise<void> {
  const db = await database();
  const tx = db.transaction(OUTBOX_STORE, "readwrite");
  tx.objectStore(OUTBOX_STORE).put(record);
  await transactionDone(tx);
}

export async function deleteRecord(clientId: string): Promise<void> {
  const db = await database();
  const tx = db.transaction(OUTBOX_STORE, "readwrite");
  tx.objectStore(OUTBOX_STORE).delete(clientId);
  await transactionDone(tx);
}

export async function getRecord(clientId: string): Promise<OutboxRecord | undefined> {
  const db = await database();
  return requestResult(db.transaction(OUTBOX_STORE, "readonly").objectStore(OUTBOX_STORE).get(clientId) as IDBRequest<OutboxRecord | undefined>);
}

/** Every record on this device (all people): the caller shows only counts of other people's. */
export async function allRecords(): Promise<OutboxRecord[]> {
  const db = await database();
  return requestResult(db.transaction(OUTBOX_STORE, "readonly").objectStore(OUTBOX_STORE).getAll() as IDBRequest<OutboxRecord[]>);
}

/** One person's records. */
export async function recordsOf(userId: string): Promise<OutboxRecord[]> {
  const db = await database();
  return requestResult(db.transaction(OUTBOX_STORE, "readonly").objectStore(OUTBOX_STORE).index(OUTBOX_USER_INDEX).getAll(userId) as IDBRequest<OutboxRecord[]>);
}
