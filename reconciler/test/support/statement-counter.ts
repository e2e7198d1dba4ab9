// Counts the SQL statements sent to the database per named phase. It wraps node-postgres's
// Client#query, the one door for every statement (kysely's, BEGIN/COMMIT included, on Postgres
// and through PGlite's node-postgres adapter alike), and attributes each to the phase whose async
// context sent it (AsyncLocalStorage), so work that a phase scheduled (a timer, a batch flush)
// still counts for that phase; statements outside any phase are not counted.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export interface StatementCounter {
  /** Runs `work` as `phase`: its statements are counted under that name. */
  run<T>(phase: string, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` as `phase` and counts under it every statement sent meanwhile outside any other
   * phase's context: for work whose context does not survive (fastify's body parsing runs on
   * stream events). Only for work that runs alone.
   */
  alone<T>(phase: string, work: () => Promise<T>): Promise<T>;
  /** Statements per phase so far, with their SQL (for a failure message). */
  counts(): Record<string, number>;
  statements(phase: string): readonly string[];
  reset(): void;
  /** Puts Client#query back. */
  restore(): void;
}

export function countStatements(): StatementCounter {
  const context = new AsyncLocalStorage<string>();
  const seen = new Map<string, string[]>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let fallback: string | undefined;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const phase = context.getStore() ?? fallback;
    if (phase !== undefined) {
      const first = args[0];
      const text =
        typeof first === 'string' ? first : String((first as { text?: string })?.text ?? first);
      const list = seen.get(phase) ?? [];
      list.push(text.replace(/\s+/g, ' ').slice(0, 160));
      seen.set(phase, list);
    }
    return original.apply(this, args);
  };
  return {
    run: (phase, work) => context.run(phase, work),
    alone: async (phase, work) => {
      fallback = phase;
      try {
        return await context.run(phase, work);
      } finally {
        fallback = undefined;
      }
    },
    counts: () => Object.fromEntries([...seen].map(([k, v]) => [k, v.length])),
    statements: (phase) => seen.get(phase) ?? [],
    reset: () => seen.clear(),
    restore: () => {
      proto.query = original;
    },
  };
}
