import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe, type ServeProcess } from './serve-process.js';

const bin = fileURLToPath(new URL('../../bin/telform.js', import.meta.url));
const STAFF_KEY = 'staff_serve_0123456789abcdef';

let dir: string;
let serve: ServeProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telform-serve-'));
  serve = await spawnServe(process.execPath, [bin], join(dir, 'state'), {
    TELFORM_EMULATOR_STAFF_KEY: STAFF_KEY,
  });
  await serve.waitForStderr('first admin token written to');
});
afterAll(async () => {
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('telform serve --with-emulator', () => {
  it('writes the first admin token to a 0600 file named on stderr, never to stdout', async () => {
    const file = join(dir, 'state', 'admin-token');
    expect(serve.stderr()).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^tf_/);
    // Log collectors keep stdout; stderr names the file only.
    expect(serve.stdout()).not.toContain(token);
    expect(serve.stderr()).not.toContain(token);
    const res = await fetch(`${serve.apiUrl}/v1/tokens`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('names the emulator partner key file, which opens the platform', async () => {
    const keyFile = join(dir, 'state', 'emulator-partner.key');
    expect(serve.stdout()).toContain(keyFile);
    const key = readFileSync(keyFile, 'utf8').trim();
    const res = await fetch(`${serve.emulatorUrl}/v1/accounts`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
  });

  it('passes the staff key to the bundled emulator', async () => {
    // An unknown key is 401; the staff key authenticates (404: no such account, to anyone).
    const call = (key: string) =>
      fetch(`${serve.emulatorUrl}/v1/accounts/acc-missing/users`, {
        headers: { authorization: `Bearer ${key}` },
      }).then((r) => r.status);
    expect(await call('staff_wrong_0123456789abcdef')).toBe(401);
    expect(await call(STAFF_KEY)).toBe(404);
  });
});

describe('telform serve --with-emulator: bad emulator flags stop the start', () => {
  it.each([
    {
      why: 'a CA bundle that is no PEM would fail only at the first https delivery',
      args: ['--webhook-ca', 'NOT_PEM'],
      want: /--webhook-ca: .* holds no PEM certificate/,
    },
    {
      why: 'a staff key with a space cannot travel as a bearer token',
      args: ['--staff-key', 'has space'],
      want: /--staff-key \/ TELFORM_EMULATOR_STAFF_KEY: must be non-empty printable ASCII/,
    },
  ])('$why', async ({ args, want }) => {
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'plain text\n');
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'serve',
        '--with-emulator',
        '--data-dir',
        join(dir, 'refused'),
        '--listen',
        '127.0.0.1:0',
        ...args.map((a) => (a === 'NOT_PEM' ? notPem : a)),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(want);
  });
});
