// Denial of service from outside: a burst of requests with random tokens while a thousand
// connections hold half-sent headers, then a burst from one good token. Every request gets an
// answer, health keeps answering fast, the half-open connections are closed by the server, and
// the random tokens never reach the audit trail (or the database) one by one.
// BURST_REQUESTS raises the size (the full size is 20000; the suite runs 4000).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultServerLimits } from '../../src/api/server-limits.js';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';

const requests = Number(process.env.BURST_REQUESTS ?? 4_000);
const halfOpen = 1_000;

let daemon: RunningDaemon;
let dir: string;
let port: number;

/** One request; resolves with the status, or with the error when no answer came. */
function send(agent: Agent, path: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', (err) => resolve(`body: ${err.message}`));
      },
    );
    req.on('error', (err) => resolve(`${(err as { code?: string }).code ?? err.message}`));
    req.end();
  });
}

async function burst(width: number, tokens: () => string, path: string, count = requests) {
  const agent = new Agent({ keepAlive: true, maxSockets: width });
  const statuses = new Map<number | string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        next += 1;
        const status = await send(agent, path, tokens());
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  return Object.fromEntries(statuses);
}

/** Probes /healthz on its own connection every 20 ms until stopped; returns each latency. */
function probeHealth() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      const status = await send(agent, '/healthz', 'none');
      latencies.push(status === 200 ? performance.now() - started : Infinity);
      await new Promise((r) => setTimeout(r, 20));
    }
    agent.destroy();
  })();
  return {
    count: () => latencies.length,
    stop: async () => {
      running = false;
      await done;
      return latencies;
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telform-burst-'));
  daemon = await startDaemon({
    dataDir: join(dir, 'data'),
    driver: new MemoryPlatformDriver(),
    listen: { host: '127.0.0.1', port: 0 },
    logger: false,
    jobs: false,
    // Short header timeout so the test sees the half-open connections closed in seconds.
    serverLimits: { ...defaultServerLimits, headersTimeoutMs: 2_000, checkIntervalMs: 250 },
  });
  port = Number(new URL(daemon.url).port);
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a burst of ${requests} requests and ${halfOpen} half-open connections`, () => {
  // First: once random tokens spend the address budget, an uncached good token waits too.
  it('answers every request of a burst from one good token', async () => {
    const token = daemon.adminToken!;
    const statuses = await burst(64, () => token, '/v1/resources/user?limit=1', requests / 4);
    console.info(`burst: ${requests} one-token requests ${JSON.stringify(statuses)}`);
    expect(Object.keys(statuses).every((s) => s === '200' || s === '429')).toBe(true);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(requests / 4);
  }, 120_000);
  it('answers every request, keeps health answering, closes the half-open connections', async () => {
    // Health is probed on a connection made before the attack, as a monitor's would be.
    const health = probeHealth();
    await vi.waitFor(() => expect(health.count()).toBeGreaterThan(0), { timeout: 10_000 });
    const sockets: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < halfOpen; i++) {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /v1/resources HTTP/1.1\r\nHost: x\r\nAuthorization: Bea');
      });
      socket.on('error', () => {});
      socket.on('close', () => (closed += 1));
      socket.resume();
      sockets.push(socket);
    }
    const random = () => `tf_${randomBytes(32).toString('base64url')}`;
    const started = Date.now();
    const statuses = await burst(32, random, '/v1/resources?kind=user');
    const windows = 1 + Math.floor((Date.now() - started) / 60_000);
    const timeline = (await health.stop()).slice(1);
    const slowestAt = timeline.indexOf(Math.max(...timeline));
    const latencies = [...timeline].sort((a, b) => a - b);

    // Answered, every one: refused (401 until the address budget is spent, then 429).
    expect(Object.keys(statuses).sort()).toEqual(['401', '429']);
    expect(statuses[401]! + statuses[429]!).toBe(requests);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
    const max = latencies[latencies.length - 1]!;
    console.info(
      `burst: ${requests} random-token requests ${JSON.stringify(statuses)}; health ${latencies.length} probes, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (probe ${slowestAt + 1})`,
    );
    // The 100 ms target is measured by `npm run bench -- burst`, with the flood in a child
    // process. Here load generator and daemon share one thread on a busy machine, so this only
    // guards against health being starved outright, and the log shows the figures.
    expect(max).toBeLessThan(10_000);
    // Only the first refusals were looked up and audited, not the flood.
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_events where outcome = 'denied' or outcome = 'failure'`.execute(
      daemon.database.db,
    );
    expect(rows[0]!.n).toBeLessThanOrEqual(statuses[401]! + windows);
    expect(statuses[401]).toBeLessThanOrEqual(300 * windows);
    // The server, not the client, ends the connections whose headers never finished.
    await vi.waitFor(() => expect(closed).toBe(halfOpen), { timeout: 30_000, interval: 100 });
  }, 120_000);
});
