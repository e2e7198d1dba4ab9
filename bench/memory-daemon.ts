// The child process of bench/memory.bench.ts: a real daemon (startDaemon, as `telform serve`
// builds it) over a memory platform seeded with the same world the parent wrote into the store.
// It reports each phase to the parent over IPC and waits for the parent to have read its memory
// from /proc before going on, so every figure is this process's own, measured from outside.
import { randomBytes } from 'node:crypto';
import { startDaemon } from '../reconciler/src/daemon.js';
import { MemoryPlatformDriver } from '../reconciler/test/drift/memory-platform-driver.js';
import { seedWorld } from './drift-world.js';

// template: where a new embedded directory is copied from, or 'none' for initdb.
const [store, target, accounts, template] = process.argv.slice(2) as [
  string,
  string,
  string,
  string | undefined,
];

function phase(name: string, detail: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!({ phase: name, ...detail });
  });
}

const driver = new MemoryPlatformDriver();
seedWorld(driver, Number(accounts));
await phase('platform');
const daemon = await startDaemon({
  driver,
  ...(store === 'postgres' ? { databaseUrl: target } : { dataDir: target }),
  ...(template ? { pgdataTemplate: template === 'none' ? null : template } : {}),
  listen: { host: '127.0.0.1', port: 0 },
  jobs: false,
  logger: false,
  env: { ...process.env, TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
});
await phase('started');
if (Number(accounts) > 0) {
  const run = await daemon.scheduler.runNow('drift-scan');
  await phase('scanned', { outcome: run.outcome });
}
await daemon.stop();
process.exit(0);
