// Vitest global setup: starts a throwaway PostgreSQL server from the machine's binaries for the
// whole test run, installing Debian's `postgresql` package when they are missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway server; tests create their own databases on it. */
    postgresUrl: string;
  }
}

const isRoot = process.getuid?.() === 0;

function findBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

function ensureBinDir(): string {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql and not root: install Debian\'s "postgresql" package.',
    );
  }
  console.warn('[postgres-server] installing Debian package "postgresql" (binaries missing)');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const after = findBinDir();
  if (!after)
    throw new Error('installed "postgresql" but found no initdb under /usr/lib/postgresql');
  return after;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// initdb refuses to run as root: run the server binaries as the `postgres` user then.
function run(bin: string, args: string[]): void {
  const cmd = isRoot ? 'runuser' : bin;
  const argv = isRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  }
}

/** A running throwaway server: its superuser URL, and a stop that removes its data. */
export interface ThrowawayPostgres {
  readonly url: string;
  stop(): void;
}

/** Starts a throwaway PostgreSQL server (fsync off) on a free port; also used by benchmarks. */
export async function startPostgresServer(): Promise<ThrowawayPostgres> {
  const bin = ensureBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'telform-pg-'));
  chmodSync(dir, 0o777);
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  run(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  process.env.TELFORM_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
