// Re-seals stored secrets under the current key, so that a key from before a rotation can be
// dropped. Rekeying is not a desired-state change: only the sealed columns are written (no
// generation bump, no requeue, no `updated_at`).
import type { Kysely, Transaction } from 'kysely';
import type { AuditSink } from '../audit/audit-sink.js';
import { subscriptionSecretAad } from '../notifications/notification-dispatcher.js';
import type { Database } from '../store/database.js';
import { isSealedSecret, observedSecretAad } from '../store/observed-secrets.js';
import { secretAad } from '../store/secret-fields.js';
import type { SealedSecret, SecretBox } from '../secrets/secret-box.js';

export interface RekeyOptions {
  /** The daemon's box: the current key seals, previous keys open. */
  readonly box: SecretBox;
  /** Count what would change, write nothing (no audit event either). */
  readonly dryRun?: boolean;
  /** Rows per transaction; each batch holds its rows' locks only while it runs. Default 100. */
  readonly batchSize?: number;
  /** Where the `secrets.rekey` event goes (not recorded on a dry run). */
  readonly audit?: AuditSink;
}

/** A value no key opens: where it is, never what it is. */
export interface UnopenableSecret {
  /** Resource id, or notification subscription id. */
  readonly id: string;
  /**
   * `password` (a desired write-only secret), `observed.token` (a platform-generated one) or
   * `secret` (a subscription's signing secret).
   */
  readonly path: string;
}

export interface RekeySummary {
  readonly resourcesScanned: number;
  readonly subscriptionsScanned: number;
  /** Sealed under a previous key and re-sealed under the current one (or, dry run, would be). */
  readonly resealed: number;
  readonly alreadyCurrent: number;
  /** Left untouched; while any remain, the key that sealed them must stay configured. */
  readonly unopenable: readonly UnopenableSecret[];
}

/**
 * Walks every resource (desired `secrets` and the envelopes in `observed`) and every notification
 * subscription, in keyset batches by id. Each batch is one transaction that locks its rows
 * (`FOR UPDATE`), so a running daemon's write to the same row waits and lands after ours, sealed
 * under its own key, and is never lost. A value is re-sealed when it opens and names another key;
 * one that opens under the current key is counted current; one no key opens is reported and left
 * as it is. A second run re-seals nothing.
 */
export async function rekeySecrets(
  db: Kysely<Database>,
  options: RekeyOptions,
): Promise<RekeySummary> {
  const batchSize = options.batchSize ?? 100;
  const tally = new Tally(options.box);

  let resourcesScanned = 0;
  for (let after = ''; ;) {
    const rows = await db.transaction().execute(async (trx) => {
      const batch = await trx
        .selectFrom('resources')
        .select(['id', 'secrets', 'observed'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of batch) await rekeyResource(trx, row, tally, options.dryRun);
      return batch;
    });
    resourcesScanned += rows.length;
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1]!.id;
  }

  let subscriptionsScanned = 0;
  for (let after = ''; ;) {
    const rows = await db.transaction().execute(async (trx) => {
      const batch = await trx
        .selectFrom('notification_subscriptions')
        .select(['id', 'secret'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of batch) {
        const next = tally.visit(row.id, 'secret', row.secret, subscriptionSecretAad(row.id));
        if (next && !options.dryRun) {
          await trx
            .updateTable('notification_subscriptions')
            .set({ secret: JSON.stringify(next) })
            .where('id', '=', row.id)
            .execute();
        }
      }
      return batch;
    });
    subscriptionsScanned += rows.length;
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1]!.id;
  }

  const summary: RekeySummary = {
    resourcesScanned,
    subscriptionsScanned,
    resealed: tally.resealed,
    alreadyCurrent: tally.current,
    unopenable: tally.unopenable,
  };
  if (!options.dryRun) {
    await options.audit?.record({
      event: 'secrets.rekey',
      access: 'write',
      actor: 'cli',
      outcome: summary.unopenable.length === 0 ? 'success' : 'failure',
      // Counts only: never a value, a key or a key id.
      change: {
        resources_scanned: summary.resourcesScanned,
        subscriptions_scanned: summary.subscriptionsScanned,
        resealed: summary.resealed,
        already_current: summary.alreadyCurrent,
        unopenable: summary.unopenable.length,
      },
    });
  }
  return summary;
}

async function rekeyResource(
  trx: Transaction<Database>,
  row: {
    id: string;
    secrets: Record<string, SealedSecret>;
    observed: Record<string, unknown> | null;
  },
  tally: Tally,
  dryRun: boolean | undefined,
): Promise<void> {
  const secrets = { ...row.secrets };
  let secretsChanged = false;
  for (const [path, sealed] of Object.entries(secrets)) {
    const next = tally.visit(row.id, path, sealed, secretAad(row.id, path));
    if (next) {
      secrets[path] = next;
      secretsChanged = true;
    }
  }
  // Every envelope in the document, not only the catalogue's current paths: one left at a path
  // the schema no longer lists would still need the old key.
  const observed = row.observed === null ? null : structuredClone(row.observed);
  let observedChanged = false;
  eachEnvelope(observed, '', (path, sealed) => {
    const next = tally.visit(row.id, `observed.${path}`, sealed, observedSecretAad(row.id, path));
    if (next) observedChanged = true;
    return next;
  });
  if (dryRun || (!secretsChanged && !observedChanged)) return;
  await trx
    .updateTable('resources')
    .set({
      ...(secretsChanged ? { secrets: JSON.stringify(secrets) } : {}),
      ...(observedChanged ? { observed: JSON.stringify(observed) } : {}),
    })
    .where('id', '=', row.id)
    .execute();
}

// Calls `visit` with the concrete path (`a.b`, `items[2].c`, as the catalogue's paths resolve)
// of each envelope below `node`, replacing the envelope with what it returns, if anything.
function eachEnvelope(
  node: unknown,
  at: string,
  visit: (path: string, sealed: SealedSecret) => SealedSecret | undefined,
): void {
  if (Array.isArray(node)) {
    node.forEach((item: unknown, i) => {
      const path = `${at}[${i}]`;
      if (isSealedSecret(item)) node[i] = visit(path, item) ?? item;
      else eachEnvelope(item, path, visit);
    });
  } else if (typeof node === 'object' && node !== null) {
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      const path = at === '' ? key : `${at}.${key}`;
      if (isSealedSecret(value)) obj[key] = visit(path, value) ?? value;
      else eachEnvelope(value, path, visit);
    }
  }
}

// Opens each value once and counts it; hands back the re-sealed envelope when one is due.
class Tally {
  resealed = 0;
  current = 0;
  readonly unopenable: UnopenableSecret[] = [];

  constructor(private readonly box: SecretBox) {}

  visit(id: string, path: string, sealed: SealedSecret, aad: string): SealedSecret | undefined {
    let plaintext: string;
    try {
      plaintext = this.box.open(sealed, aad);
    } catch {
      // Even under the current key: a value bound to another place or tampered with is reported.
      this.unopenable.push({ id, path });
      return undefined;
    }
    if (this.box.isCurrent(sealed)) {
      this.current += 1;
      return undefined;
    }
    this.resealed += 1;
    return this.box.seal(plaintext, aad);
  }
}
