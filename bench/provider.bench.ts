// The Terraform provider at scale: `terraform apply` of N resources and a plan with no changes
// afterwards, against the same commands on N of Terraform's built-in `terraform_data`
// resources in the same run (no provider process, no API: the floor Terraform itself sets).
// Also the provider's start-to-handshake time, which every one of terraform's 3-5 provider
// launches per command pays, against a bare `node -e ''`.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../reconciler/src/daemon.js';
import { installProvider } from '../provider/src/install/install-provider.js';
import { createSelfSignedCertificate } from '../provider/src/handshake/self-signed-certificate.js';
import { magicCookieKey, magicCookieValue } from '../provider/src/handshake/handshake-line.js';
import { TelformClient } from '../provider/src/client/telform-client.js';
import type { Benchmark } from './benchmark.js';

const N = Number(process.env.TELFORM_BENCH_RESOURCES ?? 1000);
const LAUNCHES = 7;
// Terraform's default -parallelism.
const PARALLELISM = 10;

/** The same creates straight through the API, PARALLELISM at a time: the daemon's own floor. */
async function apiFloor(client: TelformClient, n: number): Promise<number> {
  const started = performance.now();
  const account = await client.create('account', { name: 'Floor', email: 'floor@bench.example' });
  await client.waitApplied('account', account.id, 120_000);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n - 1; i = next++) {
      const user = await client.create('user', {
        account_id: account.id,
        name: `User ${i}`,
        login: `floor${i}`,
        email: `floor${i}@bench.example`,
      });
      await client.waitApplied('user', user.id, 120_000);
    }
  };
  await Promise.all(Array.from({ length: PARALLELISM }, worker));
  return performance.now() - started;
}

function terraform(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile('terraform', args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, _out, stderr) =>
      err
        ? reject(new Error(`terraform ${args[0]} failed: ${stderr.slice(0, 2000)}`))
        : resolve(performance.now() - started),
    ),
  );
}

/** Milliseconds from spawn to the first stdout line, median of `LAUNCHES`. */
async function timeToFirstLine(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.once('error', reject);
      child.stdout.once('data', () => {
        runs.push(performance.now() - started);
        child.kill('SIGKILL');
        resolve();
      });
    });
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

const tf = `terraform {
  required_providers {
    telform = { source = "telform/telform" }
  }
}
provider "telform" {}
`;

function telformConfig(n: number): string {
  return `${tf}
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

const baselineConfig = (n: number) => `resource "terraform_data" "d" {
  count = ${n}
  input = "value \${count.index}"
}
`;

const s = (ms: number) => (ms / 1000).toFixed(2);

const benchmark: Benchmark = {
  name: 'provider',
  title: `Terraform provider: apply and no-change plan of ${N} resources`,
  async run() {
    const root = await mkdtemp(join(tmpdir(), 'telform-bench-provider-'));
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
      const rows: string[] = [];
      const results: Record<string, { apply: number; plan: number }> = {};
      for (const [name, text] of [
        ['terraform_data (baseline)', baselineConfig(N)],
        ['telform (account + users)', telformConfig(N)],
      ] as const) {
        const dir = join(root, name.split(' ')[0]!);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'main.tf'), text);
        await terraform(dir, env, 'init', '-input=false', '-no-color');
        const apply = await terraform(
          dir,
          env,
          'apply',
          '-auto-approve',
          '-no-color',
          '-input=false',
        );
        const plan = await terraform(
          dir,
          env,
          'plan',
          '-detailed-exitcode',
          '-no-color',
          '-input=false',
        );
        results[name] = { apply, plan };
      }
      const base = results['terraform_data (baseline)']!;
      const ours = results['telform (account + users)']!;
      rows.push(
        '| command | terraform_data (s) | telform (s) | ratio |',
        '| --- | ---: | ---: | ---: |',
      );
      rows.push(
        `| apply, ${N} creates | ${s(base.apply)} | ${s(ours.apply)} | ${(ours.apply / base.apply).toFixed(1)}x |`,
      );
      rows.push(
        `| plan, no changes | ${s(base.plan)} | ${s(ours.plan)} | ${(ours.plan / base.plan).toFixed(1)}x |`,
      );
      const client = new TelformClient({ endpoint: daemon.url, token: daemon.adminToken! });
      const floor = await apiFloor(client, N);
      rows.push(
        '',
        `The daemon's own floor: the same ${N} creates sent straight to the API, ${PARALLELISM} at a ` +
          `time (terraform's default parallelism), each waiting until applied: ${s(floor)} s. The ` +
          `telform apply took ${(ours.apply / floor).toFixed(1)}x that: the daemon's work, plus ` +
          `Terraform's own cost (the baseline) and the provider's launches and plan phases.`,
      );

      const cert = createSelfSignedCertificate().certPem;
      const launchEnv = {
        ...process.env,
        [magicCookieKey]: magicCookieValue,
        PLUGIN_CLIENT_CERT: cert,
        PLUGIN_PROTOCOL_VERSIONS: '5,6',
      };
      const bare = await timeToFirstLine(
        process.execPath,
        ['-e', 'process.stdout.write("x\\n")'],
        launchEnv,
      );
      const provider = await timeToFirstLine(installed.executable, [], launchEnv);
      rows.push(
        '',
        '| process start to first stdout line (median of 7) | ms | ratio |',
        '| --- | ---: | ---: |',
        `| bare node | ${bare.toFixed(0)} | 1.0x |`,
        `| provider handshake line (bundled) | ${provider.toFixed(0)} | ${(provider / bare).toFixed(1)}x |`,
      );
      rows.push(
        '',
        `Each telform command starts the provider 3-4 times (a fresh process per phase), and every ` +
          `apply waits until the reconciler reports the change applied on the emulator. A plan ` +
          `reads all ${N} resources through one bulk listing per account (ReadResource is served ` +
          `from it), so its cost over the baseline is process launches, gRPC calls and validation, ` +
          `not API round trips.`,
      );
      return rows.join('\n');
    } finally {
      await daemon.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default benchmark;
