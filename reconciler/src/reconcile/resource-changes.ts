import type { ResourceRow } from './work-queue.js';

/**
 * What the engine recorded: the row exactly as its outcome's update returned it (committed), or
 * null once the row is gone (a finished deletion). A waiter answers from it without reading the
 * row again.
 */
export interface RecordedChange {
  readonly row: ResourceRow | null;
}

/**
 * In-process signal "this resource's row just changed" from the reconcile engine to the API's
 * long-polls (`?wait=applied`), so an answer leaves as soon as the outcome is recorded instead of
 * at the waiter's next poll, carrying the recorded row. Waiters keep polling for changes made by
 * another replica (which this daemon never hears about).
 */
export interface ResourceChangeSubscription {
  /**
   * Resolves at the first change since the previous call (at once if one already came), after
   * `ms`, or when `signal` aborts, whichever is first: with the latest recorded change, or
   * undefined (a timeout, an abort, or a change reported without its row: read it).
   */
  next(ms: number, signal?: AbortSignal): Promise<RecordedChange | undefined>;
  close(): void;
}

interface Listener {
  changed: boolean;
  latest: RecordedChange | undefined;
  wake: (() => void) | undefined;
}

export class ResourceChanges {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Records a change of `id` (with what was recorded, when known): every subscription wakes. */
  changed(id: string, recorded?: RecordedChange): void {
    const set = this.listeners.get(id);
    if (!set) return;
    for (const listener of set) {
      listener.changed = true;
      listener.latest = recorded;
      listener.wake?.();
    }
  }

  /** Subscribe before the first read, so a change between the read and the wait is not lost. */
  subscribe(id: string): ResourceChangeSubscription {
    const listener: Listener = { changed: false, latest: undefined, wake: undefined };
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return {
      next: (ms, signal) => {
        const take = () => {
          const latest = listener.changed ? listener.latest : undefined;
          listener.changed = false;
          listener.latest = undefined;
          return latest;
        };
        if (listener.changed || signal?.aborted) return Promise.resolve(take());
        return new Promise<RecordedChange | undefined>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            listener.wake = undefined;
            resolve(take());
          };
          const timer = setTimeout(done, ms);
          signal?.addEventListener('abort', done, { once: true });
          listener.wake = done;
        });
      },
      close: () => {
        listener.wake?.();
        set.delete(listener);
        if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
      },
    };
  }

  /** Subscriptions open now (for tests: none may leak). */
  size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
