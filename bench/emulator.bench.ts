// The emulator's throughput on this machine: the ceiling the platform itself sets for every
// later benchmark. Compared with a bare fastify hello-world route measured in the same run.
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { defaultRateLimit, startEmulator } from '../emulator/src/index.js';
import type { Benchmark } from './benchmark.js';
import { median } from './stats.js';

const CONCURRENCY = 16;
const DURATION_MS = 1_500;
const ROUNDS = 3;
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

interface Scenario {
  readonly name: string;
  readonly url: string;
  readonly key: string;
  readonly make: Req;
}

/** Starts an emulator seeded with one account of 100 users; returns its scenarios. */
async function emulatorScenarios(dataDir: string | undefined, label: string) {
  const emu = await startEmulator({ port: 0, rateLimit: null, ...(dataDir ? { dataDir } : {}) });
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
  const at = (name: string, make: Req): Scenario => ({
    name,
    url: emu.url,
    key: emu.partnerKey,
    make,
  });
  const reads = [
    at('read one user', () => ({ method: 'GET', path: `/v1/accounts/${acct}/users/${one}` })),
    at('list 100 users', () => ({ method: 'GET', path: `/v1/accounts/${acct}/users?limit=100` })),
  ];
  let n = 0;
  const write = at(`create user (${label})`, () => {
    n++;
    return {
      method: 'POST',
      path: `/v1/accounts/${acct}/users`,
      body: JSON.stringify({ name: `b${n}`, login: `bench${n}`, email: `b${n}@acme.example` }),
    };
  });
  return { emu, scenarios: dataDir ? [write] : [...reads, write] };
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
    const dir = mkdtempSync(join(tmpdir(), 'telform-bench-emu-'));
    const memory = await emulatorScenarios(undefined, 'in memory');
    const durable = await emulatorScenarios(dir, 'journal + fsync');
    const rows: string[] = [];
    let slowest = { name: '', rps: Infinity, ratio: 0 };
    try {
      // Shared, noisy machine: alternate baseline and scenario in short rounds and keep the
      // median ratio of each pair, so a burst of load elsewhere hits both sides alike.
      for (const sc of [...memory.scenarios, ...durable.scenarios]) {
        const ratios: number[] = [];
        const runs: Result[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const b = await load('baseline', base, 'x', () => ({ method: 'GET', path: '/hello' }));
          const r = await load(sc.name, sc.url, sc.key, sc.make);
          ratios.push(r.rps / b.rps);
          runs.push(r);
        }
        const rps = median(runs.map((r) => r.rps));
        const ratio = median(ratios);
        if (rps < slowest.rps) slowest = { name: sc.name, rps, ratio };
        rows.push(
          `| ${sc.name} | ${runs.reduce((n, r) => n + r.requests, 0)} | ${runs.reduce((n, r) => n + r.errors, 0)} | ${rps.toFixed(0)} | ${ratio.toFixed(2)} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} |`,
        );
      }
    } finally {
      await hello.close();
      await memory.emu.close();
      await durable.emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const defaultLimit = defaultRateLimit.requests_per_second;
    return [
      `${CONCURRENCY} concurrent keep-alive clients in the same process, rate limiter off. Each row is ` +
        `${ROUNDS} rounds of ${DURATION_MS / 1000} s (at most ${MAX_REQUESTS} requests), each after a round of the ` +
        'baseline (a bare fastify hello-world route); the ratio is the median of the per-round ratios.',
      '',
      '| scenario | requests | errors | requests/s (median) | ratio to baseline | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `The slowest path (${slowest.name}) serves ${slowest.rps.toFixed(0)} requests/s, ${slowest.ratio.toFixed(2)}x the baseline. ` +
        `With the default per-account rate limit (${defaultLimit} requests/s) on, one account is bounded at ` +
        `${((defaultLimit / slowest.rps) * 100).toFixed(0)}% of that ceiling; reconciler benchmarks that approach ` +
        'these figures are bound by the platform, not by telform.',
    ].join('\n');
  },
};

export default bench;
