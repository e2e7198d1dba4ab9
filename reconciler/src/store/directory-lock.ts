import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/** An exclusive hold on a data directory; `release()` gives it back. */
export interface DirectoryLock {
  readonly dir: string;
  release(): Promise<void>;
}

// A lock left by a killed process goes stale when its mtime stops moving.
const STALE_MS = 10_000;

/**
 * Takes an exclusive lock on `dir` (created if missing). Two embedded databases on one directory
 * both report success and one loses its writes, so a second opener is refused: with the holder's
 * pid when it is alive, or after waiting out a dead holder's stale lock.
 *
 * A live holder is refused before the lock file is looked at: its lock's mtime also stops moving
 * while its event loop is busy (an in-thread PGlite query on a loaded machine can take longer
 * than `staleMs`), and taking over a stale lock from a live holder would put two writers on one
 * database.
 */
export async function lockDirectory(
  dir: string,
  { staleMs = STALE_MS }: { staleMs?: number } = {},
): Promise<DirectoryLock> {
  const abs = resolve(dir);
  // A new data directory is the owner's alone (an existing one keeps the mode its owner chose).
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  const lockPath = join(abs, 'telform.lock');
  const pidPath = join(abs, 'telform.pid');
  const options = { lockfilePath: lockPath, stale: staleMs, update: staleMs / 5, realpath: false };
  const refuseLiveHolder = () => {
    const holder = readHolder(pidPath);
    if (holder !== undefined && isAlive(holder)) throw new DirectoryLockedError(abs, holder);
  };
  // A dead holder's lock turns stale within staleMs; a new holder may not have written its pid
  // yet, so the holder is looked up again before every attempt.
  const deadline = Date.now() + staleMs + 5_000;
  let releaseLock: (() => Promise<void>) | undefined;
  while (!releaseLock) {
    refuseLiveHolder();
    try {
      releaseLock = await lockfile.lock(abs, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (Date.now() > deadline) throw new DirectoryLockedError(abs, readHolder(pidPath));
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  writeFileSync(pidPath, String(process.pid));
  return {
    dir: abs,
    async release() {
      rmSync(pidPath, { force: true });
      await releaseLock();
    },
  };
}

/**
 * The data directory is held by another process (normally a running daemon). Commands that need
 * the directory to themselves catch it to say what to do; its message alone suits `serve`.
 */
export class DirectoryLockedError extends Error {
  constructor(
    readonly dir: string,
    /** The holder, when its pid file could be read. */
    readonly pid: number | undefined,
  ) {
    const who = pid === undefined ? 'another process' : `process ${pid}`;
    super(
      `data directory ${dir} is locked by ${who}: another telform daemon is using it. ` +
        'Stop that daemon, or give this one its own directory (--data-dir / TELFORM_DATA_DIR).',
    );
    this.name = 'DirectoryLockedError';
  }
}

function readHolder(pidPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
