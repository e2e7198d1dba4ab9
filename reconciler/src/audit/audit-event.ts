import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hashed content of an event: everything but its seq and hashes (the chain orders it). */
export interface HashedFields {
  /** ISO 8601 with milliseconds. */
  readonly time: string;
  readonly event: string;
  readonly access: 'read' | 'write';
  readonly resource: string | null;
  readonly account_id: string | null;
  readonly actor: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly ip: string | null;
  readonly request_id: string | null;
  /** Canonical JSON text of the change, exactly as stored. */
  readonly change: string | null;
}

/** One stored audit event, as `/v1/audit` and the export return it. */
export interface AuditEvent extends Omit<HashedFields, 'change'> {
  /** Position in the chain, gap-free, as a decimal string (bigint). */
  readonly seq: string;
  readonly change: Readonly<Record<string, unknown>> | null;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * The bytes an event's hash covers after its predecessor's hash: canonical JSON of the fields.
 * The single-event append hashes it in SQL (append-audit-events.ts), verification here.
 */
export function hashedContent(fields: HashedFields): string {
  // Every field a string or null (always, through AuditStore): canonical JSON written out in its
  // sorted key order, the same bytes canonicalJson makes, without sorting ten keys per event.
  const f = fields;
  if (
    typeof f.time === 'string' &&
    typeof f.event === 'string' &&
    typeof f.access === 'string' &&
    typeof f.actor === 'string' &&
    typeof f.outcome === 'string' &&
    textOrNull(f.resource) &&
    textOrNull(f.account_id) &&
    textOrNull(f.ip) &&
    textOrNull(f.request_id) &&
    textOrNull(f.change)
  ) {
    const j = JSON.stringify;
    return `{"access":${j(f.access)},"account_id":${j(f.account_id)},"actor":${j(f.actor)},"change":${j(f.change)},"event":${j(f.event)},"ip":${j(f.ip)},"outcome":${j(f.outcome)},"request_id":${j(f.request_id)},"resource":${j(f.resource)},"time":${j(f.time)}}`;
  }
  return canonicalJson({
    time: fields.time,
    event: fields.event,
    access: fields.access,
    resource: fields.resource,
    account_id: fields.account_id,
    actor: fields.actor,
    outcome: fields.outcome,
    ip: fields.ip,
    request_id: fields.request_id,
    change: fields.change,
  });
}

function textOrNull(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

/** sha256(prev_hash + canonical JSON of the fields), hex (UTF-8 bytes, as SQL's convert_to). */
export function eventHash(prevHash: string, fields: HashedFields): string {
  // One-shot over the joined text: the same UTF-8 bytes as two updates (prevHash is hex, so the
  // join cannot pair surrogates), without a Hash object per event.
  return hash('sha256', prevHash + hashedContent(fields), 'hex');
}
