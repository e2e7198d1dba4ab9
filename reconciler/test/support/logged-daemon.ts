// A real daemon for scenario tests that inspect what it leaks: its own Postgres database, the
// bundled emulator over HTTP, every log line (trace level unless asked otherwise, with the logger
// `telform serve` builds, redaction included) captured, and a rate limit no scenario reaches.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type DaemonOptions, type RunningDaemon } from '../../src/daemon.js';
import { daemonLogger } from '../../src/cli/daemon-logger.js';
import { createPostgresDatabase } from './databases.js';

export interface LoggedDaemon {
  readonly daemon: RunningDaemon;
  /** Every log line so far, as written. */
  readonly logs: string[];
  /** Stops the daemon, drops its database and removes its directory. */
  dispose(): Promise<void>;
}

/**
 * `options` override the defaults above (scheduled jobs are off unless asked for); `level` is
 * read as TELFORM_LOG_LEVEL is.
 */
export async function startLoggedDaemon(
  options: DaemonOptions = {},
  level = 'trace',
): Promise<LoggedDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'telform-daemon-'));
  const pg = await createPostgresDatabase();
  const logs: string[] = [];
  const daemon = await startDaemon({
    databaseUrl: pg.url,
    dataDir: dir,
    env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { host: '127.0.0.1', port: 0, dataDir: false },
    hardening: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
    logger: {
      ...daemonLogger({ TELFORM_LOG_LEVEL: level }),
      stream: { write: (line: string) => void logs.push(line) },
    },
    jobs: false,
    ...options,
  });
  return {
    daemon,
    logs,
    async dispose() {
      await daemon.stop();
      await pg.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
