// `promtool` for tests: Debian's prometheus package provides it; installed when missing and
// root (as postgres-server.ts does for PostgreSQL). Undefined when it cannot be had.
import { execFileSync, spawnSync } from 'node:child_process';

const found = () => spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

export function ensurePromtool(): string | undefined {
  if (found()) return 'promtool';
  if (process.getuid?.() !== 0) return undefined;
  console.warn('[promtool] installing Debian package "prometheus" (promtool missing)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], {
      stdio: 'inherit',
      env,
    });
  } catch {
    return undefined;
  }
  return found() ? 'promtool' : undefined;
}

/** promtool's complaints about a Prometheus text exposition (empty: it accepts it). */
export function promtoolProblems(promtool: string, text: string): string {
  const run = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return run.status === 0 ? '' : `${run.stdout}${run.stderr}`.trim();
}
