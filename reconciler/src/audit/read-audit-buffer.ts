import type { AuditEventInput, AuditSink } from './audit-sink.js';

export interface ReadAuditBufferOptions {
  /**
   * Events held (buffered plus being written) at most. When full, `record` waits for room, so
   * reads slow down rather than go unrecorded. This is also what a crash can lose (default 2,000).
   */
  readonly capacity?: number;
  /** Told about events the store refused one by one (dropped) and about retried outages. */
  readonly onError?: (err: unknown, dropped: number) => void;
  /** Pause before retrying a batch the store refused whole (an outage), growing to 5 s. */
  readonly retryMs?: number;
  /**
   * How long a batch gathers reads before it is written (default 25 ms): one transaction per
   * batch, so a busy API appends tens of reads per commit instead of one. A batch of
   * `capacity / 2` events (or a reader waiting for room, or `flush`) is written at once.
   */
  readonly gatherMs?: number;
}

interface Waiter {
  readonly event: AuditEventInput;
  resolve(): void;
}

/**
 * Audits reads off the response path: `record` resolves as soon as the event is buffered (not
 * stored), and batches are handed to the underlying sink (the hash-chained AuditStore, which
 * appends each batch in one transaction) one after another, each gathering reads for
 * `gatherMs` (or until half full) first.
 *
 * Crash-loss bound: a process that dies loses at most `capacity` read events, those buffered
 * (gathering, at most `gatherMs` old while the store keeps up) or in the transaction being
 * written; a clean stop calls `close()`, which writes them all. Writes never go through here:
 * they keep their audit in the write's own request, before the answer.
 * While the store is down, batches are retried with backoff and, once full, reads wait.
 */
export class ReadAuditBuffer implements AuditSink {
  readonly #sink: AuditSink;
  readonly #capacity: number;
  readonly #options: ReadAuditBufferOptions;
  #buffer: AuditEventInput[] = [];
  #writing = 0;
  readonly #waiting: Waiter[] = [];
  readonly #gatherMs: number;
  #drain: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Flushes in progress: while any, batches are written back to back without gathering. */
  #flushing = 0;
  #closed = false;

  constructor(sink: AuditSink, options: ReadAuditBufferOptions = {}) {
    this.#sink = sink;
    this.#options = options;
    this.#capacity = Math.max(1, options.capacity ?? 2_000);
    this.#gatherMs = Math.max(0, options.gatherMs ?? 25);
  }

  /** Buffers the event; resolves at once while there is room, else when room frees up. */
  record(event: AuditEventInput): Promise<void> {
    if (this.#closed) return this.#sink.record(event);
    if (this.#waiting.length === 0 && this.held() < this.#capacity) {
      this.#buffer.push(event);
      this.kick();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting.push({ event, resolve });
      this.kick();
    });
  }

  /** Events buffered or being written. */
  held(): number {
    return this.#buffer.length + this.#writing;
  }

  /** Resolves once every event recorded before the call is stored (or dropped as refused). */
  async flush(): Promise<void> {
    this.#flushing += 1;
    try {
      while (this.#drain || this.#buffer.length > 0 || this.#waiting.length > 0) {
        this.kick();
        await this.#drain;
      }
    } finally {
      this.#flushing -= 1;
    }
  }

  /**
   * Stops buffering (later events are stored before `record` resolves) and flushes, giving up
   * after `timeoutMs` if the store stays down (the rest are reported to `onError` as dropped).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), timeoutMs);
    });
    const outcome = await Promise.race([this.flush(), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.#options.onError?.(new Error('audit store unavailable at shutdown'), this.held());
    }
  }

  /** Writes now when a batch is due, else once the gathering time is up. */
  private kick(): void {
    if (this.#drain) return;
    if (!this.due()) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.start();
      }, this.#gatherMs);
      return;
    }
    this.start();
  }

  private start(): void {
    if (this.#drain) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#drain = this.run().finally(() => {
      this.#drain = undefined;
      if (this.#buffer.length > 0 || this.#waiting.length > 0) this.kick();
    });
  }

  /** Whether the next batch should be written without gathering more. */
  private due(): boolean {
    return (
      this.#gatherMs === 0 ||
      this.#flushing > 0 ||
      this.#closed ||
      this.#waiting.length > 0 ||
      this.#buffer.length >= this.#capacity / 2
    );
  }

  private async run(): Promise<void> {
    let pause = this.#options.retryMs ?? 100;
    let wrote = false;
    for (;;) {
      this.admit();
      if (this.#buffer.length === 0) return;
      // Reads that arrived while the last batch was written gather for the next one.
      if (wrote && !this.due()) return;
      const batch = this.#buffer;
      this.#buffer = [];
      this.#writing = batch.length;
      const settled = await Promise.allSettled(batch.map((e) => this.#sink.record(e)));
      this.#writing = 0;
      const refused = batch.filter((_, i) => settled[i]!.status === 'rejected');
      const reason = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
      if (refused.length === 0) {
        pause = this.#options.retryMs ?? 100;
        wrote = true;
        continue;
      }
      if (refused.length < batch.length) {
        // The store took the others: these events themselves are refused; keeping them would
        // block the trail for good.
        this.#options.onError?.(reason.reason, refused.length);
        wrote = true;
        continue;
      }
      // Nothing stored: the store is down. Keep the events first in line and try again later.
      this.#options.onError?.(reason.reason, 0);
      this.#buffer = [...refused, ...this.#buffer];
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5_000);
    }
  }

  /** Moves waiting events into the buffer as room allows, oldest first. */
  private admit(): void {
    while (this.#waiting.length > 0 && this.held() < this.#capacity) {
      const w = this.#waiting.shift()!;
      this.#buffer.push(w.event);
      w.resolve();
    }
  }
}
