/**
 * What the terraform CLI tests share: a daemon with the bundled emulator in a temp dir, the
 * provider installed into a temp filesystem mirror with its CLI config, and a runner for
 * terraform commands in a configuration folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../../reconciler/src/daemon.js';
import { installProvider } from '../../src/install/install-provider.js';

function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], {
      stdio: 'ignore',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` when the terraform CLI is on PATH; otherwise the suite is skipped and says so on
 * stderr, so that a machine without terraform never passes these tests silently.
 */
export function describeWithTerraform(title: string, body: () => void): void {
  if (terraformAvailable()) {
    // A case runs several terraform commands (each starting the provider): on a busy 2-core
    // machine one case has taken over a minute, so these suites get a wide per-test margin.
    describe(title, { timeout: 300_000 }, body);
    return;
  }
  console.warn(
    `SKIPPED "${title}": the terraform CLI is not on PATH; install terraform >= 1.11 to run it.`,
  );
  describe.skip(title, body);
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformWorkspace {
  readonly daemon: RunningDaemon;
  readonly token: string;
  readonly root: string;
  readonly env: Record<string, string>;
  /** Runs terraform in `dir` (relative to the workspace root). */
  terraform(dir: string, ...args: string[]): Promise<TerraformResult>;
  write(dir: string, file: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  /** The vendor staff key of the bundled emulator (it may add email-address domains). */
  readonly staffKey?: string;
}

export async function openTerraformWorkspace(
  options: WorkspaceOptions = {},
): Promise<TerraformWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'telform-tf-'));
  const daemon = await startDaemon({
    dataDir: join(root, 'daemon'),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0, ...(options.staffKey ? { staffKey: options.staffKey } : {}) },
    logger: false,
    jobs: false,
    // A plan of many resources is a burst of API calls from one token.
    hardening: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
  });
  const token = daemon.adminToken!;
  const installed = await installProvider({
    mirror: join(root, 'mirror'),
    cliConfig: join(root, 'telform.tfrc'),
  });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TF_CLI_CONFIG_FILE: installed.cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TELFORM_ENDPOINT: daemon.url,
    TELFORM_TOKEN: token,
    TELFORM_APPLY_TIMEOUT: '60s',
  };
  return {
    daemon,
    token,
    root,
    env,
    terraform: (dir, ...args) =>
      new Promise((resolve) => {
        execFile(
          'terraform',
          [...args],
          { cwd: join(root, dir), env, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    write: async (dir, file, text) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(root, dir), { recursive: true });
      await writeFile(join(root, dir, file), text);
    },
    close: async () => {
      await daemon.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const providerBlock = `terraform {
  required_providers {
    telform = { source = "telform/telform" }
  }
}
provider "telform" {}
`;
