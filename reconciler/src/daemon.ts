import type { RunningEmulator } from '@telform/emulator';
import { buildApp } from './api/build-app.js';
import { firstAdminToken } from './first-admin-token.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { ReconcileEngine } from './reconcile/reconcile-engine.js';
import { buildServices, type ServicesOptions } from './services.js';
import type { OpenedDatabase } from './store/open-database.js';

export type { BundledEmulatorOptions } from './open-platform.js';

export interface DaemonOptions extends ServicesOptions {
  /** Default 127.0.0.1:7420; port 0 picks a free one. */
  readonly listen?: { readonly host: string; readonly port: number };
  /** Run scheduled jobs (default true). */
  readonly jobs?: boolean;
}

export interface RunningDaemon {
  readonly url: string;
  /** Set on the first start only (no token existed): shown once, stored hashed. */
  readonly adminToken?: string;
  readonly emulatorUrl?: string;
  /** The in-process emulator (its partner key included), when one was started. */
  readonly emulator?: RunningEmulator;
  readonly replica: string;
  readonly engine: ReconcileEngine;
  readonly scheduler: Scheduler;
  readonly database: OpenedDatabase;
  stop(): Promise<void>;
}

/**
 * Starts the daemon: builds the services (services.ts), then the lifecycle only: the API
 * listens, the reconcile workers and the scheduled jobs start, and `stop` undoes it all in
 * reverse. Anything that fails on the way undoes what started.
 */
export async function startDaemon(options: DaemonOptions = {}): Promise<RunningDaemon> {
  const services = await buildServices(options);
  const { engine, scheduler, database, emulator, replica } = services;
  const cleanup: Array<() => Promise<void>> = [() => services.close()];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const app = buildApp(services.api);
    services.log.attach(app.log);
    cleanup.push(() => app.close());
    // A write through this daemon makes work due now: claim it without waiting for the poll.
    app.addHook('onResponse', (request, reply, done) => {
      if (request.method !== 'GET' && reply.statusCode < 300) engine.pool.wake();
      done();
    });
    const adminToken = await firstAdminToken(services.api.tokens, services.api.audit);
    const listen = options.listen ?? { host: '127.0.0.1', port: 7420 };
    // A deep accept queue: with Node's default (511) a burst of connections overflows it, and
    // the kernel drops SYNs that the client resends only after 1, 3, 7 s (health stalled 11 s).
    await app.listen({ ...listen, backlog: 4_096 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : listen.port;
    const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;

    engine.pool.start();
    cleanup.push(() => engine.pool.stop());
    if (options.jobs !== false) {
      scheduler.start();
      cleanup.push(() => scheduler.stop());
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      replica,
      engine,
      scheduler,
      database,
      ...(adminToken ? { adminToken } : {}),
      ...(emulator ? { emulator, emulatorUrl: emulator.url } : {}),
      stop: () => (stopping ??= undo()),
    };
  } catch (err) {
    await undo();
    throw err;
  }
}
