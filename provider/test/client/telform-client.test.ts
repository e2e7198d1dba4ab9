import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/client/api-resource.js';
import { TelformClient } from '../../src/client/telform-client.js';

type Handler = (
  req: IncomingMessage,
  body: string,
) => { status: number; body?: unknown; headers?: Record<string, string> };

let server: Server | undefined;
const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];

async function serve(handler: Handler): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      const out = handler(req, body);
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(out.body === undefined ? '' : JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const open = server;
  server = undefined;
  if (open) await new Promise((r) => open.close(r));
});

const resource = (id: string) => ({
  id,
  kind: 'user',
  account_id: 'account_a',
  generation: 1,
  spec: {},
  status: { applied_generation: 1 },
  deletion_requested_at: null,
});

describe('TelformClient', () => {
  it('serves many reads of one account from one paged bulk listing', async () => {
    const url = await serve((req) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      if (q.get('cursor') === 'page2')
        return { status: 200, body: { items: [resource('user_3')], next_cursor: null } };
      return {
        status: 200,
        body: { items: [resource('user_1'), resource('user_2')], next_cursor: 'page2' },
      };
    });
    const client = new TelformClient({ endpoint: url, token: 't' });
    const found = await Promise.all(
      ['user_1', 'user_2', 'user_3', 'user_1'].map((id) => client.read('user', id, 'account_a')),
    );
    expect(found.map((r) => r?.id)).toEqual(['user_1', 'user_2', 'user_3', 'user_1']);
    // The first page asks the daemon to read the platform first (observations from this phase).
    expect(seen.map((s) => s.url)).toEqual([
      expect.stringMatching(/^\/v1\/resources\?account_id=account_a&limit=1000&max_age_ms=\d+$/),
      '/v1/resources?account_id=account_a&cursor=page2&limit=1000',
    ]);
  });

  it('asks for no platform read when the refresh bound is off', async () => {
    const url = await serve(() => ({ status: 200, body: { items: [resource('user_1')] } }));
    const client = new TelformClient({ endpoint: url, token: 't', refreshMaxAgeMs: null });
    expect((await client.read('user', 'user_1', 'account_a'))?.id).toBe('user_1');
    expect(seen.map((s) => s.url)).toEqual(['/v1/resources?account_id=account_a&limit=1000']);
  });

  it('adds the configured bound to the age of the phase', async () => {
    const url = await serve(() => ({ status: 200, body: { items: [resource('user_1')] } }));
    const client = new TelformClient({ endpoint: url, token: 't', refreshMaxAgeMs: 30_000 });
    await client.read('user', 'user_1', 'account_a');
    const asked = Number(new URL(seen[0]!.url, 'http://x').searchParams.get('max_age_ms'));
    expect(asked).toBeGreaterThanOrEqual(30_000);
    expect(asked).toBeLessThan(90_000);
  });

  it('falls back to a single read for a resource the listing lacks, and reads 404 as gone', async () => {
    const url = await serve((req) =>
      req.url!.startsWith('/v1/resources?')
        ? { status: 200, body: { items: [], next_cursor: null } }
        : { status: 404, body: { code: 'not_found' } },
    );
    const client = new TelformClient({ endpoint: url, token: 't' });
    expect(await client.read('user', 'user_9', 'account_a')).toBeNull();
    expect(seen.map((s) => s.url)).toEqual([
      expect.stringMatching(/^\/v1\/resources\?account_id=account_a&limit=1000&max_age_ms=\d+$/),
      expect.stringMatching(/^\/v1\/resources\/user\/user_9\?max_age_ms=\d+$/),
    ]);
  });

  it('retries a create after a 503 with the same idempotency key, honouring Retry-After', async () => {
    let calls = 0;
    const url = await serve(() =>
      ++calls === 1
        ? { status: 503, body: {}, headers: { 'retry-after': '0' } }
        : { status: 201, body: resource('user_1') },
    );
    const client = new TelformClient({ endpoint: url, token: 't' });
    expect((await client.create('user', { name: 'a' })).id).toBe('user_1');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.headers['idempotency-key']).toBe(seen[0]!.headers['idempotency-key']);
  });

  it('sends the bearer token but never puts it in an error', async () => {
    const token = 'tf_very_secret_token_value';
    const url = await serve(() => ({
      status: 422,
      body: {
        code: 'validation_failed',
        detail: 'login is taken',
        errors: [{ field: 'login', rule: 'unique', message: 'login is taken' }],
      },
    }));
    const client = new TelformClient({ endpoint: url, token });
    const err = await client.replace('user', 'user_1', { login: 'a' }).catch((e: unknown) => e);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).errors[0]?.field).toBe('login');
    expect(JSON.stringify(err) + String(err) + (err as Error).stack).not.toContain(token);
  });

  it('sends one request after another over one kept-alive connection', async () => {
    // An apply sends two requests per resource: a connection each would cost the daemon an
    // accept (and a TLS handshake behind https) every time.
    const url = await serve(() => ({ status: 200, body: resource('user_1') }));
    let connections = 0;
    server!.on('connection', () => connections++);
    const client = new TelformClient({ endpoint: url, token: 't' });
    for (let i = 0; i < 5; i++) expect((await client.get('user', 'user_1'))?.id).toBe('user_1');
    expect(seen).toHaveLength(5);
    expect(connections).toBe(1);
  });

  it('names the endpoint, not the token, when the daemon cannot be reached', async () => {
    const client = new TelformClient({
      endpoint: 'http://127.0.0.1:1',
      token: 'tf_secret',
      attempts: 1,
    });
    const err = (await client.get('user', 'user_1').catch((e: unknown) => e)) as ApiError;
    expect(err.message).toContain('cannot reach the telform daemon at http://127.0.0.1:1');
    expect(err.message).not.toContain('tf_secret');
  });

  it('ends a long-poll at once when Terraform stops the provider, and reads once more', async () => {
    // StopProvider aborts the wait; the apply then reports where the change stands.
    const held: ServerResponse[] = [];
    server = createServer((req, res) => {
      if (req.url!.includes('wait=applied')) return void held.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(resource('user_1')));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new TelformClient({ endpoint: url, token: 't' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const started = Date.now();
    expect((await client.waitApplied('user', 'user_1', 30_000, stop.signal))?.id).toBe('user_1');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(held).toHaveLength(1);
    server.closeAllConnections();
  });

  it('gives up on a daemon that accepts the connection but never answers', async () => {
    server = createServer(() => {});
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new TelformClient({ endpoint: url, token: 't', attempts: 1 });
    const started = Date.now();
    const err = await client.waitApplied('user', 'user_1', 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(10_000);
    server.closeAllConnections();
  }, 20_000);
});
