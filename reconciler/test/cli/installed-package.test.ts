// The package as a new user gets it: `npm pack`, then `npm i -g` of the tarball into a temporary
// prefix, and `npx telform` in a project that depends on it. Nothing here may reach into the
// source tree: a missing dependency or file in the tarball fails these tests.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from './serve-process.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const version = (
  JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }
).version;

// npm's own variables would make the tarball's npm commands act on this repository's workspaces.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
) as Record<string, string>;
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: cleanEnv,
    timeout: 300_000,
  });

let dir: string;
let tarball: string;
let globalBin: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telform-package-'));
  await npm(['pack', '--pack-destination', dir], repo);
  const name = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack wrote no tarball into ${dir}`);
  tarball = join(dir, name);
  await npm(['install', '--global', '--prefix', join(dir, 'global'), tarball], dir);
  globalBin = join(dir, 'global', 'bin', 'telform');
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves once `pid` no longer exists (generous deadline: a busy 2-core machine). */
async function gone(pid: number, deadlineMs = 60_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the packed package, installed globally', () => {
  it('telform --version prints the package version', async () => {
    const { stdout } = await run(globalBin, ['--version'], { env: cleanEnv });
    expect(stdout.trim()).toBe(version);
  });

  it('telform serve --with-emulator answers /healthz, and stops on SIGTERM', async () => {
    const serve = await spawnServe(globalBin, [], join(dir, 'global-state'), cleanEnv);
    try {
      const res = await fetch(`${serve.apiUrl}/healthz`);
      expect(res.status).toBe(200);
      const status = (await (await fetch(`${serve.apiUrl}/status`)).json()) as {
        version?: string;
      };
      expect(status.version).toBe(version);
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
  }, 180_000);
});

describe('npx telform in a project that depends on the package', () => {
  it('a SIGTERM to npm (as docker stop sends) stops the daemon too, not only npm', async () => {
    const project = join(dir, 'project');
    rmSync(project, { recursive: true, force: true });
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'infra', private: true }));
    await npm(['install', tarball], project);
    // npm exec runs the bin through `sh -c`: the signal ends npm and the shell, never telform.
    const serve = await spawnServe(
      'npm',
      ['exec', '--', 'telform'],
      join(project, '.telform'),
      cleanEnv,
      project,
    );
    const pid = Number(/replica [^:\s]+:(\d+):/.exec(serve.stdout())?.[1]);
    expect(pid).toBeGreaterThan(0);
    try {
      expect((await fetch(`${serve.apiUrl}/healthz`)).status).toBe(200);
      await serve.stop('SIGTERM');
      expect(await gone(pid)).toBe(true);
      await expect(fetch(`${serve.apiUrl}/healthz`)).rejects.toThrow();
    } finally {
      // An orphan left by a failure must not outlive the test run.
      if (!(await gone(pid, 0))) process.kill(pid, 'SIGKILL');
    }
  }, 300_000);
});
