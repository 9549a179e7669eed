// Lookups that many resources of one program make at once (an interrupted create of each, before creating) share one
// list of the scope instead of one filtered list each, so that a stack of N resources costs a few requests, not N.

/** How long a lookup waits for others of the same scope to join it before its list is sent. */
export const BATCH_WINDOW_MS = 50;

interface Batch<T> {
  callers: number;
  result: Promise<T[]>;
}

const openBatches = new Map<string, Batch<unknown>>();

/**
 * The objects of `scope` as seen by a list sent after this call: lookups of the same scope made within
 * `BATCH_WINDOW_MS` share one `listScope()`, a lookup alone sends its own narrower `listAlone()`. Both answers are
 * lists taken after every caller asked, so a caller never gets a view older than its question.
 */
export function batchedLookup<T>(
  scope: string,
  listAlone: () => Promise<T[]>,
  listScope: () => Promise<T[]>,
): Promise<T[]> {
  const open = openBatches.get(scope) as Batch<T> | undefined;
  if (open) {
    open.callers++;
    return open.result;
  }
  const batch: Batch<T> = {
    callers: 1,
    result: new Promise<T[]>((resolve, reject) => {
      setTimeout(() => {
        openBatches.delete(scope);
        (batch.callers === 1 ? listAlone() : listScope()).then(resolve, reject);
      }, BATCH_WINDOW_MS);
    }),
  };
  openBatches.set(scope, batch as Batch<unknown>);
  return batch.result;
}
