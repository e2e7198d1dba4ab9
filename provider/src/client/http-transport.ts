/**
 * HTTP to the reconciler API: bearer token in the header only (never in a message), JSON in and
 * out, retries with backoff and jitter for network failures, 429 (honouring Retry-After) and
 * 5xx, and problem+json answers turned into {@link ApiError}.
 */
import { ApiError } from './api-resource.js';
import { exchange, type Answer } from './http-exchange.js';

export type Query = Record<string, string | number | undefined>;

export interface SendOptions {
  readonly body?: unknown;
  /** Makes a POST safe to retry. */
  readonly idempotencyKey?: string;
  /** Answer null instead of throwing on 404. */
  readonly nullOn404?: boolean;
  readonly signal?: AbortSignal;
  /** Per attempt; a daemon that never answers must not stall an apply (default 60 s). */
  readonly timeoutMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class HttpTransport {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly attempts = 5,
  ) {}

  async send(
    method: string,
    route: string,
    query: Query,
    options: SendOptions = {},
  ): Promise<unknown> {
    const { body, idempotencyKey, nullOn404 = false, signal, timeoutMs = 60_000 } = options;

    const url = new URL(this.base + route);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    // A POST without an idempotency key is never retried: it might have been applied.
    const retryable = method !== 'POST' || idempotencyKey !== undefined;
    const attempts = retryable ? this.attempts : 1;
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      let response: Answer;
      try {
        response = await exchange(url, {
          method,
          headers,
          timeoutMs,
          ...(text === undefined ? {} : { body: text }),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (attempt < attempts && !signal?.aborted) {
          await pause(backoff(attempt));
          continue;
        }
        const reason = (err as { code?: string }).code ?? (err as Error).message;
        throw new ApiError(
          0,
          'unreachable',
          `cannot reach the telform daemon at ${this.base} (${reason})`,
        );
      }
      const { status } = response;
      if ((status === 429 || status >= 500) && attempt < attempts) {
        const after = Number(response.headers['retry-after']);
        await pause(
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 30_000) : backoff(attempt),
        );
        continue;
      }
      if (status === 404 && nullOn404) return null;
      const parsed: unknown = response.text ? JSON.parse(response.text) : null;
      if (status >= 200 && status < 300) return parsed;
      throw problem(status, parsed, `${method} ${url.pathname}`);
    }
  }
}

function backoff(attempt: number): number {
  const base = Math.min(200 * 2 ** (attempt - 1), 5_000);
  return base / 2 + Math.random() * (base / 2);
}

function problem(status: number, body: unknown, what: string): ApiError {
  const p = (body ?? {}) as {
    code?: string;
    title?: string;
    detail?: string;
    errors?: ApiError['errors'];
  };
  const message = p.detail ?? p.title ?? `${what} answered ${status}`;
  return new ApiError(
    status,
    p.code ?? `http_${status}`,
    message,
    Array.isArray(p.errors) ? p.errors : [],
  );
}
