// /metrics of the daemon's services (process metrics on), checked by Prometheus's own promtool,
// and with Node's process metrics under the names stock dashboards look for.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { buildServices, type Services } from '../../src/services.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { createPostgresDatabase } from '../support/databases.js';
import { ensurePromtool, promtoolProblems } from '../support/promtool.js';

const promtool = ensurePromtool();
if (!promtool)
  console.warn('SKIPPED: promtool missing and Debian\'s "prometheus" package cannot be installed');

let services: Services;
let app: FastifyInstance;
let text: string;
let pg: { url: string; drop(): Promise<void> };
const dir = mkdtempSync(join(tmpdir(), 'telform-metrics-'));

beforeAll(async () => {
  pg = await createPostgresDatabase();
  services = await buildServices({
    databaseUrl: pg.url,
    dataDir: dir,
    driver: new MemoryPlatformDriver(),
    logger: false,
    env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  app = buildApp(services.api);
  await app.ready();
  // Some traffic first, so labelled series (routes, statuses) are in the exposition too.
  await app.inject({ method: 'GET', url: '/healthz' });
  await app.inject({ method: 'GET', url: '/v1/resources' });
  // A job success, so the job gauge has a series (its timestamp value) for promtool to check.
  await services.scheduler.runNow('audit-chain-verify');
  text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('/metrics', () => {
  it.skipIf(!promtool)('passes `promtool check metrics` with no complaint', () => {
    expect(promtoolProblems(promtool!, text)).toBe('');
  });

  it('has Node process metrics under their standard names, not under telform_', () => {
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text, name).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));
    expect(text).not.toMatch(/^telform_(process|nodejs)_/m);
  });

  it('has the domain gauges: open drift, unmanaged objects, job last success', () => {
    expect(text).toMatch(/^telform_drift_open_records\{kind="user",action="reported"\} 0$/m);
    expect(text).toMatch(/^telform_unmanaged_objects\{kind="user"\} 0$/m);
    expect(text).toMatch(
      /^telform_job_last_success_timestamp_seconds\{job="audit-chain-verify"\} \d+(\.\d+)?$/m,
    );
  });

  it('names no gauge with a counter suffix (`_total`)', () => {
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!);
    expect(gauges.length).toBeGreaterThan(0);
    expect(gauges.filter((name) => name.endsWith('_total'))).toEqual([]);
  });
});
