import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pgliteModuleUrl } from './run-pglite-initdb.js';

/**
 * An embedded PGlite running on a worker thread (pglite-worker.mjs): this thread hands it
 * protocol bytes and gets PGlite's answers back, and never waits on a query itself.
 *
 * Contract: `request` runs its bytes after those of every earlier request (requests may be
 * sent without waiting, they never overtake each other) and resolves with PGlite's reply,
 * possibly empty. Once the thread stopped other than through `close` (PGlite threw, the thread
 * died), `failure` holds why, every pending and later request rejects with it and the
 * `onFailure` listeners are told once. `close` waits for the requests already sent, closes
 * PGlite (its data on disk, complete) and ends the thread; it rejects if that went wrong.
 */
export interface PgliteThread {
  request(bytes: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
  readonly failure: Error | undefined;
  onFailure(listener: (err: Error) => void): void;
}

export interface StartPgliteThreadOptions {
  /** The data directory, initialised already (init-pglite-directory.ts). */
  readonly pgdata: string;
  /** Start parameters after PGlite's defaults (pglite-settings.ts). */
  readonly settings: readonly string[];
  /** The thread's script, default pglite-worker.mjs; tests give a stand-in that fails. */
  readonly workerFile?: URL;
}

/** Starts the thread and resolves once PGlite is open there; rejects with PGlite's reason. */
export async function startPgliteThread(options: StartPgliteThreadOptions): Promise<PgliteThread> {
  const worker = new Worker(options.workerFile ?? pgliteWorkerFile(), {
    workerData: {
      pgliteUrl: pgliteModuleUrl(),
      pgdata: options.pgdata,
      settings: [...options.settings],
    },
  });
  const thread = new WorkerPgliteThread(worker);
  await thread.started;
  return thread;
}

type WorkerMessage =
  | { readonly type: 'ready' | 'closed' }
  | { readonly type: 'failed' | 'fatal'; readonly message: string }
  | { readonly type: 'reply'; readonly bytes: ArrayBuffer };

interface Pending {
  resolve(reply: Uint8Array): void;
  reject(err: Error): void;
}

class WorkerPgliteThread implements PgliteThread {
  readonly started: Promise<void>;
  #failure: Error | undefined;
  readonly #pending: Pending[] = [];
  readonly #listeners: Array<(err: Error) => void> = [];
  #closing: Promise<void> | undefined;
  #closed = false;
  /** Why the thread stopped, as it said (a `fatal` or `failed` message) before it exited. */
  #reason: string | undefined;
  readonly #exited: Promise<number>;

  constructor(private readonly worker: Worker) {
    let ready!: () => void;
    let notReady!: (err: Error) => void;
    this.started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      notReady = reject;
    });
    worker.on('message', (msg: WorkerMessage) => {
      switch (msg.type) {
        case 'ready':
          // Idle, the thread does not keep the process alive (as an in-thread PGlite would not).
          worker.unref();
          ready();
          break;
        case 'reply':
          this.#settle()?.resolve(new Uint8Array(msg.bytes));
          break;
        case 'closed':
          this.#closed = true;
          break;
        case 'failed':
        case 'fatal':
          this.#reason = msg.message;
          break;
      }
    });
    worker.on('error', (err) => {
      this.#reason ??= err.stack ?? err.message;
    });
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        const why = this.#reason ?? `the thread exited with code ${code}`;
        notReady(new Error(`the embedded database (PGlite) did not start: ${why}`));
        if (!this.#closed) this.#fail(new Error(`the embedded database (PGlite) stopped: ${why}`));
        resolve(code);
      });
    });
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  onFailure(listener: (err: Error) => void): void {
    this.#listeners.push(listener);
  }

  request(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closing) return Promise.reject(new Error('the embedded database is closed'));
    // A copy of exactly these bytes, moved to the thread: a Buffer may share pooled memory.
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      if (this.#pending.push({ resolve, reject }) === 1) this.worker.ref();
      this.worker.postMessage({ type: 'protocol', bytes: copy.buffer }, [copy.buffer]);
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#failure) {
        await this.worker.terminate();
        return;
      }
      this.worker.ref();
      this.worker.postMessage({ type: 'close' });
      await this.#exited;
      if (!this.#closed) throw this.#failure ?? new Error('the embedded database did not close');
    })();
    return this.#closing;
  }

  #settle(): Pending | undefined {
    const next = this.#pending.shift();
    if (this.#pending.length === 0 && !this.#closing) this.worker.unref();
    return next;
  }

  #fail(err: Error): void {
    if (this.#failure) return;
    this.#failure = err;
    for (const pending of this.#pending.splice(0)) pending.reject(err);
    for (const listener of this.#listeners) listener(err);
  }
}

/**
 * pglite-worker.mjs, beside the running module or one of its ancestors: beside this file in
 * the sources, in dist/cli/ in the bundle (whose modules sit at dist/cli/ and dist/cli/chunks/).
 */
export function pgliteWorkerFile(from = import.meta.url): URL {
  const name = 'pglite-worker.mjs';
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return pathToFileURL(candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${name} is missing beside ${fileURLToPath(from)}`);
    dir = parent;
  }
}
