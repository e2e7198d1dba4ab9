import { getKind } from '@telform/schemas';
import { sql, type Kysely } from 'kysely';
import type { SecretBox } from '../secrets/secret-box.js';
import { canonicalJson } from '../store/attribute-paths.js';
import type { Database } from '../store/database.js';
import { openObserved, sealObserved } from '../store/observed-secrets.js';
import type { ResourceFinding } from './evaluate-account.js';

/** The stored observation of a compared row, as the scanner read it. */
export interface StoredObservation {
  readonly observed: Readonly<Record<string, unknown>> | null;
}

/**
 * Keeps each compared resource's `observed` document as fresh as the scan that listed it, so a
 * read after a scan (a Terraform refresh) shows what the platform holds now. Only documents that
 * changed are written, in one statement, and only while the row is still at the generation the
 * scan compared and applied: a reconcile in between wins. Platform-generated secrets are sealed
 * as the engine seals them. Returns how many rows were updated.
 */
export async function recordObservations(
  db: Kysely<Database>,
  secrets: SecretBox,
  findings: readonly (ResourceFinding & { readonly row: StoredObservation })[],
): Promise<number> {
  const changed = findings.flatMap((f) => {
    if (!f.platform) return [];
    const generated = getKind(f.row.kind).generatedSecrets;
    const before = f.row.observed && openObserved(secrets, f.row.id, generated, f.row.observed);
    if (before && canonicalJson(before) === canonicalJson(f.platform.attributes)) return [];
    const sealed = sealObserved(secrets, f.row.id, generated, f.platform.attributes);
    return [{ id: f.row.id, generation: f.row.generation, observed: JSON.stringify(sealed) }];
  });
  if (changed.length === 0) return 0;
  const values = sql.join(
    changed.map((c) => sql`(${c.id}, ${c.generation}::int, ${c.observed}::jsonb)`),
  );
  const result = await sql`
    update resources as r set observed = v.observed
    from (values ${values}) as v(id, generation, observed)
    where r.id = v.id and r.generation = v.generation and r.applied_generation = v.generation
      and r.deletion_requested_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
