import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startedByNpm, stopWithParent } from '../../src/cli/stop-with-parent.js';

describe('startedByNpm', () => {
  const cases = [
    { why: 'npx and npm exec set npm_command=exec', env: { npm_command: 'exec' }, want: true },
    {
      why: 'npm start and npm run set the lifecycle event',
      env: { npm_lifecycle_event: 'start' },
      want: true,
    },
    {
      why: 'a plain shell, systemd or nohup: the daemon may outlive its parent',
      env: { PATH: '/usr/bin' },
      want: false,
    },
  ];
  it.each(cases)('$why', ({ env, want }) => expect(startedByNpm(env)).toBe(want));
});

describe('stopWithParent', () => {
  it('calls back once the watched process is gone, and only then', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    let calls = 0;
    const watch = stopWithParent(() => calls++, { parentPid: parent.pid!, intervalMs: 20 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(calls).toBe(0);
      parent.kill('SIGKILL');
      await new Promise((r) => parent.once('exit', r));
      const deadline = Date.now() + 30_000;
      while (calls === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(calls).toBe(1);
      // Once is enough: the daemon is already stopping.
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(1);
    } finally {
      watch.stop();
    }
  });

  it('never fires for pid 1, which a process is reparented to and which never goes away', async () => {
    let calls = 0;
    const watch = stopWithParent(() => calls++, { parentPid: 1, intervalMs: 10 });
    await new Promise((r) => setTimeout(r, 100));
    watch.stop();
    expect(calls).toBe(0);
  });
});
