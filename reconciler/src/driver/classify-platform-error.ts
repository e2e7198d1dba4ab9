import { PlatformError } from './platform-driver.js';

/** The error body of the emulator (and of vendors shaped like it). */
interface VendorErrorBody {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly field?: unknown;
    readonly rule?: unknown;
    readonly existing?: { readonly account_id?: unknown; readonly id?: unknown };
  };
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 section 10.2.3);
 * undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Maps a platform HTTP answer to a {@link PlatformError}: what the reconciler may do next.
 * 429 and 5xx are retryable (honouring Retry-After), 409 a conflict with the platform's state,
 * 400/422 invalid values (with the field and rule the platform named), 401/403 forbidden, 404
 * not found; any other 4xx is treated as invalid, since repeating it cannot help.
 */
export function classifyResponse(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  what: string,
): PlatformError {
  const e = (body as VendorErrorBody | undefined)?.error;
  const message = `${what}: ${typeof e?.message === 'string' ? e.message : `HTTP ${status}`}`;
  const field = typeof e?.field === 'string' && e.field !== '' ? e.field : undefined;
  const rule = typeof e?.rule === 'string' ? e.rule : undefined;
  const details = { status, ...(field ? { field } : {}), ...(rule ? { rule } : {}) };
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(headers.get('retry-after'));
    return new PlatformError('retryable', message, {
      status,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    });
  }
  if (status === 409) {
    const existing = e?.existing;
    if (typeof existing?.id !== 'string') return new PlatformError('conflict', message, details);
    const account = typeof existing.account_id === 'string' ? existing.account_id : null;
    return new PlatformError('conflict', message, {
      ...details,
      existing: { accountExternalId: account, externalId: existing.id },
    });
  }
  if (status === 401 || status === 403) return new PlatformError('forbidden', message, details);
  if (status === 404) return new PlatformError('not_found', message, details);
  if (status === 408) return new PlatformError('retryable', message, { status });
  return new PlatformError('invalid', message, details);
}

/** A request that got no HTTP answer (refused, reset, timed out) may be tried again. */
export function classifyNetworkError(err: unknown, what: string): PlatformError {
  const cause =
    err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  const timedOut =
    err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  return new PlatformError(
    'retryable',
    `${what}: ${timedOut ? 'timed out' : `no answer (${cause})`}`,
  );
}
