// What the terraform CLI benchmarks share: a daemon with the bundled emulator in a temp dir, the
// provider laid into a filesystem mirror, and a terraform runner that times each command.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../reconciler/src/daemon.js';
import { installProvider } from '../provider/src/install/install-provider.js';

export const providerBlock = `terraform {
  required_providers {
    telform = { source = "telform/telform" }
  }
}
provider "telform" {}
`;

/** One account and `n - 1` users in it: `n` resources, users named `User <i>`. */
export function accountWithUsers(n: number): string {
  return `${providerBlock}
resource "telform_account" "bench" {
  name  = "Bench"
  email = "bench@bench.example"
}
resource "telform_user" "u" {
  count      = ${n - 1}
  account_id = telform_account.bench.id
  name       = "User \${count.index}"
  login      = "user\${count.index}"
  email      = "user\${count.index}@bench.example"
}
`;
}

export interface TerraformRun {
  readonly ms: number;
  /** 0, or 2 for `plan -detailed-exitcode` with changes; any other exit rejects. */
  readonly code: number;
  readonly stdout: string;
}

export interface TerraformBench {
  readonly daemon: RunningDaemon;
  /** A folder under the bench's temp root holding `main.tf`, initialised. */
  workspace(name: string, mainTf: string): Promise<string>;
  terraform(cwd: string, ...args: string[]): Promise<TerraformRun>;
  close(): Promise<void>;
}

/**
 * Starts the daemon (no scheduled jobs, an API rate limit a 1,000-resource plan fits in) and
 * installs the provider. `close()` stops the daemon and removes the temp root.
 */
export async function openTerraformBench(prefix: string): Promise<TerraformBench> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const daemon = await startDaemon({
    dataDir: join(root, 'daemon'),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0 },
    logger: false,
    jobs: false,
    hardening: { rateLimit: { max: 10_000_000, timeWindowMs: 60_000 } },
  });
  try {
    const installed = await installProvider({
      mirror: join(root, 'mirror'),
      cliConfig: join(root, 'telform.tfrc'),
    });
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: installed.cliConfig,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TELFORM_ENDPOINT: daemon.url,
      TELFORM_TOKEN: daemon.adminToken!,
    };
    const terraform = (cwd: string, ...args: string[]) => {
      const started = performance.now();
      return new Promise<TerraformRun>((resolve, reject) =>
        execFile(
          'terraform',
          args,
          { cwd, env, maxBuffer: 256 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            if (code !== 0 && code !== 2)
              reject(new Error(`terraform ${args[0]} exited ${code}: ${stderr.slice(0, 2000)}`));
            else resolve({ ms: performance.now() - started, code, stdout });
          },
        ),
      );
    };
    return {
      daemon,
      terraform,
      async workspace(name, mainTf) {
        const dir = join(root, name);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'main.tf'), mainTf);
        await terraform(dir, 'init', '-input=false', '-no-color');
        return dir;
      },
      async close() {
        await daemon.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await daemon.stop();
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}
