// How long a `telform` command takes to start and finish where it does little: `--version`,
// `--help` and a subcommand's `--help`, against a bare `node -e ''` launched the same way in the
// same run. The CLI runs from its esbuild bundle (built first, as `npm install` and `npm pack` do),
// so this is the cost a user pays on every command before any work.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../reconciler/src/cli/bundle-cli.js';
import type { Benchmark } from './benchmark.js';
import { median } from './stats.js';

const RUNS = 7;
const TARGET_MS = 300;
const bin = fileURLToPath(new URL('../reconciler/bin/telform.js', import.meta.url));

/** Milliseconds from spawn to exit, median of `RUNS`; a failing command fails the bench. */
async function medianWallMs(args: string[]): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited ${code}`)),
      );
    });
    runs.push(performance.now() - started);
  }
  return median(runs);
}

const bench: Benchmark = {
  name: 'cli-start',
  title: 'CLI start: telform --help against bare node',
  async run() {
    await bundleCli();
    const cases = [
      { label: 'bare node (`node -e ""`)', args: ['-e', ''] },
      { label: '`telform --version`', args: [bin, '--version'] },
      { label: '`telform --help`', args: [bin, '--help'] },
      { label: '`telform drift --help`', args: [bin, 'drift', '--help'] },
      { label: '`telform serve --help`', args: [bin, 'serve', '--help'] },
    ];
    const rows: { label: string; ms: number }[] = [];
    for (const c of cases) rows.push({ label: c.label, ms: await medianWallMs(c.args) });
    const floor = rows[0]!.ms;
    const table = [
      `| command (spawn to exit, median of ${RUNS}) | ms | ratio to bare node | under ${TARGET_MS} ms |`,
      '| --- | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.ms.toFixed(0)} | ${(r.ms / floor).toFixed(1)}x | ${r.ms < TARGET_MS ? 'yes' : 'no'} |`,
      ),
    ];
    const slowest = Math.max(...rows.slice(1).map((r) => r.ms));
    return [
      table.join('\n'),
      '',
      `The slowest command above took ${slowest.toFixed(0)} ms, ${(slowest / floor).toFixed(1)}x a bare node start. ` +
        "Each command loads only the bundle's entry chunk and commander; the daemon, the emulator and the " +
        'database drivers are separate chunks loaded by the commands that use them.',
    ].join('\n');
  },
};
export default bench;
