import type { CompiledQuery } from 'kysely';

/** A placeholder for a value given at each run (see {@link reusableQuery}). */
export class Slot {
  constructor(readonly name: string) {}
}

/** A query compiled once: its SQL text, and its parameters filled in per run. */
export interface ReusableQuery<R, V extends string> {
  readonly sql: string;
  bind(values: Readonly<Record<V, unknown>>): CompiledQuery<R>;
}

/**
 * Compiles a kysely query once (building and compiling one costs more than a primary-key read
 * on the server): `build` receives `slot(name)` to put where a per-run value goes, and
 * `bind` swaps each slot for its value. The SQL text is the same string every run, which is
 * what a named prepared statement needs (prepared-statements.ts).
 */
export function reusableQuery<R, V extends string>(
  build: (slot: (name: V) => unknown) => { compile(): CompiledQuery<R> },
): ReusableQuery<R, V> {
  const compiled = build((name) => new Slot(name)).compile();
  const slots = compiled.parameters.map((p) => (p instanceof Slot ? (p.name as V) : undefined));
  return {
    sql: compiled.sql,
    bind(values) {
      const parameters = compiled.parameters.map((p, i) => {
        const name = slots[i];
        return name === undefined ? p : values[name];
      });
      return { ...compiled, parameters };
    },
  };
}
