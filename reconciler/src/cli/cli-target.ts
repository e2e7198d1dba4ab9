import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { StoreError } from '../store/store-error.js';
import { problemMessage } from './problem-message.js';

/** Where CLI commands write, and the environment they read; replaced in tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  /** Prints `error: <message>` on stderr and sets a failing exit code. */
  fail(message: string): void;
  /** Sets the exit code of a command that succeeded in asking but reports a failure (exit-codes.ts). */
  exitCode?(code: number): void;
}

export const defaultIo: CliIo = {
  env: process.env,
  out: (text) => void process.stdout.write(text),
  fail: (message) => {
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  },
  exitCode: (code) => void (process.exitCode = code),
};

export type CliTarget =
  | { readonly kind: 'api'; call(method: string, path: string, body?: unknown): Promise<unknown> }
  | {
      readonly kind: 'database';
      withDatabase<T>(use: (db: Kysely<Database>) => Promise<T>): Promise<T>;
    };

/**
 * How token and audit commands reach telform: the API when TELFORM_ENDPOINT and TELFORM_TOKEN
 * are set (the way to go while an embedded daemon holds the data directory), else the database
 * itself (DATABASE_URL, or the embedded store in TELFORM_DATA_DIR, default `./.telform`).
 */
export function cliTarget(env: CliIo['env']): CliTarget {
  const endpoint = env.TELFORM_ENDPOINT;
  const token = env.TELFORM_TOKEN;
  if (endpoint && token) {
    return {
      kind: 'api',
      async call(method, path, body) {
        const res = await fetch(new URL(path, endpoint), {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        const parsed: unknown = text === '' ? undefined : JSON.parse(text);
        if (!res.ok) {
          const p = (parsed ?? {}) as {
            detail?: string;
            errors?: { field: string; message: string }[];
          };
          throw new Error(problemMessage(`${res.status} ${p.detail ?? res.statusText}`, p.errors));
        }
        return parsed;
      },
    };
  }
  return {
    kind: 'database',
    // Loaded on use: the store (kysely, pg) is most of what a `telform --help` would load.
    withDatabase: async (use) =>
      (await import('../store/with-migrated-database.js')).withMigratedDatabase(
        { databaseUrl: env.DATABASE_URL, dataDir: env.TELFORM_DATA_DIR ?? '.telform' },
        use,
      ),
  };
}

/**
 * The API target of a command that only talks to a running daemon (`limits`, `webhook`,
 * `notifications`); throws naming the two variables when they are not set.
 */
export function apiTarget(env: CliIo['env'], command: string): Extract<CliTarget, { kind: 'api' }> {
  const target = cliTarget(env);
  if (target.kind !== 'api')
    throw new Error(
      `telform ${command} asks a running daemon: set TELFORM_ENDPOINT and TELFORM_TOKEN`,
    );
  return target;
}

/** Runs a command action, turning refusals into `error: ...` lines and exit code 1. */
export function cliAction<A extends unknown[]>(io: CliIo, action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof StoreError) {
        return io.fail(problemMessage(err.message, err.errors));
      }
      io.fail((err as Error).message);
    }
  };
}
