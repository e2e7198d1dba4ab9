import { silentLog, type DaemonLog } from '../log/daemon-log.js';
import type { ReconcileOutcome } from './reconcile-resource.js';
import type { ResourceRow, WorkQueue } from './work-queue.js';

export interface WorkerPoolOptions {
  /** Reconciles in flight at once in this daemon. */
  readonly concurrency: number;
  /** Idle poll interval: the longest a write made by another replica waits to be noticed. */
  readonly pollMs: number;
}

/**
 * Keeps up to `concurrency` reconciles running: claims as many rows as it has free slots, polls
 * when idle and wakes at once on `wake()` (a local write, or a row due again at once). A finished
 * reconcile frees a slot: it claims again at once only when the last claim may have left due
 * rows behind (it filled every free slot, or there was none); otherwise nothing was due then, and
 * what became due since is announced by `wake()` or found by the poll. That spares an empty
 * claim query per reconcile. `stop()` claims nothing more and waits for the reconciles in
 * flight, which record their outcomes and so release their leases.
 */
export class WorkerPool {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private signal: (() => void) | undefined;
  // A wake that came while the loop was busy claiming: the next sleep returns at once.
  private woken = false;
  // The last claim may have left due rows unclaimed: a freed slot claims again at once.
  private backlog = true;
  private readonly counts = new Map<ReconcileOutcome, number>();

  constructor(
    private readonly queue: WorkQueue,
    private readonly reconcile: (row: ResourceRow) => Promise<ReconcileOutcome>,
    readonly options: WorkerPoolOptions,
    private readonly log: DaemonLog = silentLog,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Something became due (a write through this daemon's API): claim without waiting for the poll. */
  wake(): void {
    if (this.signal) this.signal();
    else this.woken = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Outcomes since start, for tests and the CLI. */
  outcomes(): ReadonlyMap<ReconcileOutcome, number> {
    return this.counts;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight.size;
      let claimed = 0;
      this.backlog = true;
      if (free > 0) {
        try {
          const rows = await this.queue.claim(free);
          claimed = rows.length;
          if (claimed > 0) {
            this.log.trace(
              { claimed: rows.map((r) => `${r.kind}/${r.id}`), free },
              'claimed due resources',
            );
            // The claim itself marked these (see WorkQueue.claim): durable before any create.
            const marked = rows.filter((r) => r.external_id === null && !r.deletion_requested_at);
            if (marked.length > 0) {
              this.log.trace(
                { marked: marked.map((r) => `${r.kind}/${r.id}`) },
                'create pending marked',
              );
            }
          }
          this.backlog = claimed === free;
          for (const row of rows) this.launch(row);
        } catch (err) {
          this.log.error(
            { err },
            'claiming due resources failed; retrying after the poll interval',
          );
        }
      }
      // A full claim means more may be due: go again at once (slots permitting).
      if (claimed > 0 && claimed === free) continue;
      await this.sleep(this.options.pollMs);
    }
  }

  private launch(row: ResourceRow): void {
    const run = this.reconcile(row).then((outcome) => {
      this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
    });
    const tracked = run.finally(() => {
      this.inFlight.delete(tracked);
      if (this.backlog) this.wake();
    });
    this.inFlight.add(tracked);
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.signal = () => {
        this.signal = undefined;
        done();
      };
    });
  }
}
