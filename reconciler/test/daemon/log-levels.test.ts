// TELFORM_LOG_LEVEL on a real daemon (Postgres, the bundled emulator over HTTP): one scenario at
// each level, and which of the daemon's lines it writes. Every level below info used to print
// nothing new; each row names what that level adds, and that nothing quieter than the level
// appears. A bad value stops `telform serve` with a message naming the variable and the choices.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { daemonLogger } from '../../src/cli/daemon-logger.js';
import { startLoggedDaemon } from '../support/logged-daemon.js';

// pino's level numbers.
const levelValue = { error: 50, warn: 40, info: 30, debug: 20, trace: 10 } as const;

// A line of each level the scenario below makes the daemon write.
const lines = {
  error: ['scheduled job failed'],
  info: ['incoming request', 'request completed'],
  debug: [
    'reconcile decided',
    'reconcile finished',
    'platform call',
    'job run started',
    'job run finished',
    'drift scan of account',
  ],
  trace: [
    'platform request',
    'platform response',
    'claimed due resources',
    'create pending marked',
    'job lock taken',
  ],
};

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Creates an account (reconciled over HTTP), runs the drift-scan job and a failing job. */
async function scenario(level: string): Promise<LogLine[]> {
  const running = await startLoggedDaemon({}, level);
  try {
    const { daemon } = running;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(daemon.url + path, {
        method,
        headers: {
          authorization: `Bearer ${daemon.adminToken!}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const made = await call('POST', '/v1/resources/account', {
      name: 'Acme',
      email: 'admin@acme.example',
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const applied = await call('GET', `/v1/resources/account/${id}?wait=applied&timeout_ms=60000`);
    expect(((await applied.json()) as { status: { applied_generation: number } }).status).toEqual(
      expect.objectContaining({ applied_generation: 1 }),
    );
    expect((await daemon.scheduler.runNow('drift-scan')).outcome).toBe('success');
    // A job that fails, through the real scheduler: its failure is logged at error.
    daemon.scheduler.register({
      name: 'always-fails',
      description: 'fails on purpose',
      schedule: '0 0 1 1 *',
      run: () => Promise.reject(new Error('on purpose')),
    });
    expect((await daemon.scheduler.runNow('always-fails')).outcome).toBe('failure');
    return running.logs.map((line) => JSON.parse(line) as LogLine);
  } finally {
    await running.dispose();
  }
}

describe('TELFORM_LOG_LEVEL', () => {
  it.each([
    {
      level: 'error',
      why: 'the quietest useful level: only failures that need an operator',
      present: lines.error,
    },
    {
      level: 'warn',
      why: 'adds degraded-but-recovering lines; this scenario has none, and no request lines',
      present: lines.error,
    },
    {
      level: 'info',
      why: 'the default: one line per API request on top, no per-resource detail',
      present: [...lines.error, ...lines.info],
    },
    {
      level: 'debug',
      why: 'adds a line per reconcile decision and outcome, platform call, job run, account scan',
      present: [...lines.error, ...lines.info, ...lines.debug],
    },
    {
      level: 'trace',
      why: 'adds the platform exchange summaries, claims, the create-pending mark and job locks',
      present: [...lines.error, ...lines.info, ...lines.debug, ...lines.trace],
    },
  ] as const)(
    '$level: $why',
    async ({ level, present }) => {
      const logged = await scenario(level);
      const messages = new Set(logged.map((l) => l.msg));
      const all = Object.values(lines).flat();
      expect(all.filter((m) => messages.has(m)).sort()).toEqual([...present].sort());
      // Nothing quieter than the level is written, whatever its message.
      const quieter = logged.filter((l) => l.level < levelValue[level]);
      expect(quieter.map((l) => l.msg)).toEqual([]);
      if (level === 'debug') {
        // A platform call names method, path, status and duration; a decision names its reason.
        const call = logged.find((l) => l.msg === 'platform call' && l.method === 'POST');
        expect(call).toEqual(
          expect.objectContaining({ path: '/v1/accounts', status: 201, ms: expect.any(Number) }),
        );
        const decided = logged.find((l) => l.msg === 'reconcile decided');
        expect(decided).toEqual(
          expect.objectContaining({
            kind: 'account',
            action: 'create',
            why: 'the platform does not hold it',
          }),
        );
      }
      if (level === 'trace') {
        // The request summary carries field names, never values.
        const sent = logged.find((l) => l.msg === 'platform request' && l.method === 'POST');
        expect(sent?.fields).toEqual(expect.arrayContaining(['name', 'email']));
        expect(JSON.stringify(sent)).not.toContain('admin@acme.example');
      }
    },
    180_000,
  );

  it.each([
    { value: 'verbose', why: 'a level pino does not know' },
    { value: 'warning', why: 'a near miss of warn' },
  ])('refuses "$value" ($why), naming the variable and the choices', ({ value }) => {
    expect(() => daemonLogger({ TELFORM_LOG_LEVEL: value })).toThrow(
      `TELFORM_LOG_LEVEL: must be one of silent, fatal, error, warn, info, debug, trace; got "${value}"`,
    );
  });

  it.each([
    { value: undefined, want: 'info', why: 'unset is the default' },
    { value: '', want: 'info', why: 'set but empty (as `TELFORM_LOG_LEVEL= cmd` does) is unset' },
    { value: 'DEBUG', want: 'debug', why: 'case does not matter' },
  ])('reads $value as $want ($why)', ({ value, want }) => {
    expect(daemonLogger({ TELFORM_LOG_LEVEL: value }).level).toBe(want);
  });

  it('stops `telform serve` before anything starts when the level is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-loglevel-'));
    try {
      const bin = fileURLToPath(new URL('../../bin/telform.js', import.meta.url));
      const run = spawnSync(
        process.execPath,
        [
          bin,
          'serve',
          '--with-emulator',
          '--data-dir',
          join(dir, 'state'),
          '--listen',
          '127.0.0.1:0',
        ],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, TELFORM_LOG_LEVEL: 'loud' },
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('TELFORM_LOG_LEVEL: must be one of');
      expect(run.stderr).toContain('got "loud"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
