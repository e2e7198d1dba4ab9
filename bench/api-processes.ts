// The processes the API benchmark measures: `telform serve` as the product runs it, and the
// floor server (api-floor-server.ts). Each runs apart from the load generator (autocannon in
// the benchmark's own process), so neither shares an event loop or a core's time slice with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  readonly url: string;
  /** SIGTERM (a clean stop: buffers flushed, workers finished), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `argv` and resolves once its output matches `ready` (its first group is the URL) and
 * holds every string of `also`.
 */
async function spawnReady(
  argv: string[],
  env: Record<string, string>,
  ready: RegExp,
  also: readonly string[] = [],
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 120 s:\n${out}`)), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m && also.every((s) => out.includes(s))) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')} exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

export interface DaemonChild extends Child {
  readonly token: string;
}

/**
 * `telform serve --with-emulator` (reconcile workers and scheduled jobs running), on Postgres
 * when `databaseUrl` is given, else embedded PGlite in `dataDir`. The per-token rate limit is
 * lifted: the benchmark measures the API's speed, not its limiter's refusals.
 */
export async function startDaemonProcess(options: {
  readonly port: number;
  readonly emulatorPort: number;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** Node flags before the script (`--cpu-prof` while looking into a figure). */
  readonly nodeArgs?: readonly string[];
}): Promise<DaemonChild> {
  const child = await spawnReady(
    [
      ...(options.nodeArgs ?? []),
      join(root, 'reconciler/bin/telform.js'),
      'serve',
      '--with-emulator',
      '--listen',
      `127.0.0.1:${options.port}`,
      '--emulator-listen',
      `127.0.0.1:${options.emulatorPort}`,
      '--data-dir',
      options.dataDir,
      '--rate-limit',
      '100000000/1m',
    ],
    {
      TELFORM_LOG_LEVEL: 'warn',
      // A shared database takes its key from the environment (embedded: a key file is made).
      ...(options.databaseUrl
        ? {
            DATABASE_URL: options.databaseUrl,
            TELFORM_SECRET_KEY: randomBytes(32).toString('base64'),
          }
        : {}),
    },
    /telform API: (http:\/\/\S+)/,
    // A new data directory: the token file is written after the address is printed.
    ['first admin token written'],
  );
  const token = readFileSync(join(options.dataDir, 'admin-token'), 'utf8').trim();
  return { ...child, token };
}

/** The floor server on the daemon's database (for PGlite: its directory, once it stopped). */
export function startFloorProcess(
  port: number,
  store: { readonly databaseUrl: string } | { readonly dataDir: string },
): Promise<Child> {
  const args = 'databaseUrl' in store ? ['postgres', store.databaseUrl] : ['pglite', store.dataDir];
  return spawnReady(
    ['--import', 'tsx', join(root, 'bench/api-floor-server.ts'), String(port), ...args],
    {},
    /floor: (http:\/\/\S+)/,
  );
}
