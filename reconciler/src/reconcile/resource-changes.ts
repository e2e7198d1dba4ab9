/**
 * In-process signal "this resource's row just changed" from the reconcile engine to the API's
 * long-polls (`?wait=applied`), so an answer leaves as soon as the outcome is recorded instead of
 * at the waiter's next poll. Only a hint: a waiter always re-reads the row, and keeps polling for
 * changes made by another replica (which this daemon never hears about).
 */
export interface ResourceChangeSubscription {
  /**
   * Resolves at the first change since the previous call (at once if one already came), after
   * `ms`, or when `signal` aborts, whichever is first.
   */
  next(ms: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

interface Listener {
  changed: boolean;
  wake: (() => void) | undefined;
}

export class ResourceChanges {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Records a change of `id`: every subscription to it wakes. */
  changed(id: string): void {
    const set = this.listeners.get(id);
    if (!set) return;
    for (const listener of set) {
      listener.changed = true;
      listener.wake?.();
    }
  }

  /** Subscribe before the first read, so a change between the read and the wait is not lost. */
  subscribe(id: string): ResourceChangeSubscription {
    const listener: Listener = { changed: false, wake: undefined };
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return {
      next: (ms, signal) => {
        if (listener.changed || signal?.aborted) {
          listener.changed = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            listener.wake = undefined;
            listener.changed = false;
            resolve();
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
