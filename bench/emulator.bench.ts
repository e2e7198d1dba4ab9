// The emulator's throughput on this machine: the ceiling the platform itself sets for every
// later benchmark. Compared with a bare fastify hello-world route measured in the same run.
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { startEmulator } from '../emulator/src/index.js';
import type { Benchmark } from './benchmark.js';

const CONCURRENCY = 16;
const DURATION_MS = 3_000;
const MAX_REQUESTS = 50_000;

interface Result {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

type Req = (i: number) => { method: string; path: string; body?: string };

/** Runs `CONCURRENCY` keep-alive clients against `base` for a bounded time and count. */
async function load(name: string, base: string, key: string, make: Req): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(base);
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const { method, path, body } = make(i);
      const t0 = performance.now();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if ((res.statusCode ?? 500) >= 300) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - started < DURATION_MS && next < MAX_REQUESTS) await one(next++);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    name,
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

async function emulatorRuns(dataDir: string | undefined, label: string): Promise<Result[]> {
  const emu = await startEmulator({ port: 0, rateLimit: null, ...(dataDir ? { dataDir } : {}) });
  try {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const acct = (await call('POST', '/v1/accounts', { name: 'Bench', email: 'b@acme.example' }))
      .id as string;
    await call('PUT', `/_emulator/console/accounts/${acct}/limits`, { max_users: 1_000_000 });
    for (let i = 0; i < 100; i++) {
      await call('POST', `/v1/accounts/${acct}/users`, {
        name: `seed${i}`,
        login: `seed${i}`,
        email: `s${i}@acme.example`,
      });
    }
    const one = (
      (await call('GET', `/v1/accounts/${acct}/users?limit=1`)).items as Array<{ id: string }>
    )[0]!.id;
    const out: Result[] = [];
    if (!dataDir) {
      out.push(
        await load('emulator: read one user', emu.url, emu.partnerKey, () => ({
          method: 'GET',
          path: `/v1/accounts/${acct}/users/${one}`,
        })),
      );
      out.push(
        await load('emulator: list 100 users', emu.url, emu.partnerKey, () => ({
          method: 'GET',
          path: `/v1/accounts/${acct}/users?limit=100`,
        })),
      );
    }
    out.push(
      await load(`emulator: create user (${label})`, emu.url, emu.partnerKey, (i) => ({
        method: 'POST',
        path: `/v1/accounts/${acct}/users`,
        body: JSON.stringify({
          name: `b${i}`,
          login: `bench${label.length}x${i}`,
          email: `b${i}@acme.example`,
        }),
      })),
    );
    return out;
  } finally {
    await emu.close();
  }
}

const bench: Benchmark = {
  name: 'emulator',
  title: 'Platform emulator throughput (the ceiling for everything above it)',
  async run() {
    const hello = Fastify();
    hello.get('/hello', async () => ({ hello: 'world' }));
    await hello.listen({ host: '127.0.0.1', port: 0 });
    const addr = hello.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const baseline = await load('bare fastify hello-world (baseline)', base, 'x', () => ({
      method: 'GET',
      path: '/hello',
    }));
    await hello.close();
    const dir = mkdtempSync(join(tmpdir(), 'telform-bench-emu-'));
    let results: Result[];
    try {
      results = [
        baseline,
        ...(await emulatorRuns(undefined, 'in memory')),
        ...(await emulatorRuns(dir, 'journal + fsync')),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rows = results.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${r.errors} | ${r.rps.toFixed(0)} | ${(r.rps / baseline.rps).toFixed(2)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    );
    const worst = results.slice(1).reduce((a, b) => (b.rps < a.rps ? b : a));
    return [
      `${CONCURRENCY} concurrent keep-alive clients in the same process, ${DURATION_MS / 1000} s per row (at most ${MAX_REQUESTS} requests), rate limiter off.`,
      '',
      '| scenario | requests | errors | requests/s | ratio to baseline | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `The slowest emulator path here (${worst.name}) runs at ${(worst.rps / baseline.rps).toFixed(2)}x a bare fastify route; ` +
        'reconciler benchmarks that approach these rates are bound by the platform, not by telform. ' +
        "The emulator's default per-account rate limit (100 requests/s, burst 200) is far below this ceiling, " +
        'so with the limiter on it, not the machine, sets the pace.',
    ].join('\n');
  },
};

export default bench;
