import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { ProblemError } from './problem.js';

/** The caller. buildApp without an auth plugin installs a test principal; with one, it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ProblemError('unauthorized', 'no authenticated caller');
  return request.principal;
}

/** `If-Match: "3"` (or `W/"3"`, `3`) as a generation; `*` or absent: no condition. */
export function ifMatchOf(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match) {
    throw new ProblemError(
      'bad_request',
      'If-Match must be an ETag this API returned, such as "3"',
      [
        {
          field: 'If-Match',
          rule: 'format',
          message: 'If-Match must be a quoted generation such as "3"',
        },
      ],
    );
  }
  return Number(match[1]);
}

/** The Idempotency-Key header, checked: 1-255 visible ASCII characters. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(raw)) {
    throw new ProblemError(
      'bad_request',
      'Idempotency-Key must be 1-255 visible ASCII characters',
      [
        {
          field: 'Idempotency-Key',
          rule: 'format',
          message: 'Idempotency-Key must be 1-255 visible ASCII characters',
        },
      ],
    );
  }
  return raw;
}

/** ETag of a representation: its generation, quoted. */
export function etagOf(generation: number): string {
  return `"${generation}"`;
}
