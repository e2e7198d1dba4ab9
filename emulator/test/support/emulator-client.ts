import { startEmulator } from '../../src/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/index.js';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A started emulator plus a small HTTP client for tests (real sockets, not inject). */
export interface TestEmulator {
  readonly emu: RunningEmulator;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely shaped JSON
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  /** Creates a top-level account; returns its id and its own API key. */
  account(attrs?: Record<string, unknown>): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function testEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, rateLimit: null, staffKey: 'staff-key', ...options });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    key = emu.partnerKey,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  let n = 0;
  return {
    emu,
    call,
    async account(attrs = {}) {
      n++;
      const r = await call('POST', '/v1/accounts', {
        name: `Account ${n}`,
        email: `admin${n}@acme.example`,
        ...attrs,
      });
      if (r.status !== 201)
        throw new Error(`account creation failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id as string, apiKey: r.body.api_key as string };
    },
    close: () => emu.close(),
  };
}
