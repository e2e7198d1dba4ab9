// The Terraform provider at scale, each figure against a baseline of the same run:
// - `terraform apply` of N resources and a plan with no changes afterwards, against the same
//   commands on N of Terraform's built-in `terraform_data` (no provider, no API: Terraform's own
//   floor), with the provider processes' share of the plan's CPU;
// - N creates across 10 accounts through terraform and straight through the API: creates/s
//   against the platform's per-account limit, and SQL statements per create (counted in this
//   process, where the daemon runs); then the same through the API on a platform whose limit
//   is the bound (a low per-account limit), where the goal is at least 0.9 of it;
// - the apply's CPU split (Terraform, the provider processes, the daemon) and Terraform's own
//   floor for a state that wide: N `terraform_data` holding a telform_user's state attributes,
//   since Terraform rewrites the whole state file after every resource it applies;
// - the provider's start-to-handshake time and CPU (with and without its V8 code cache), which
//   each of terraform's 3-5 provider launches per command pays, against a bare `node`.
//
// Where Terraform's own CPU in the no-change plan goes (measured 2026-12-03, 300 users, the
// provider's schema edited per row and reinstalled, a fresh apply each, median of 3 plans;
// Terraform's own = the plan's CPU less the provider processes'; terraform_data's whole plan 0.29 s,
// the telform plan's 1.45 s ± 0.05):
// - the schema is decoded once per command: Terraform honours get_provider_schema_optional (one
//   GetProviderSchema over the plan's 3 launches), and a schema of only `account` and `user`
//   left a 1-resource plan at the same 0.12 s;
// - per resource it is per attribute, whatever the flags: dropping 6 unset optional strings saved
//   0.33 s, the 2 set optional+computed ones (role, transfer_caller_id) 0.11 s, 3 computed ones
//   0.10 s, 5 unset computed ones, 4 of them sensitive, 0.35 s (sensitive alone: 0.15 s for 4);
//   unset nested attributes and maps cost less (3 nested: 0.09 s; 2 maps: nothing measurable);
// - optional+computed as such costs nothing: with role and transfer_caller_id set in the
//   configuration (no diff either way), dropping `computed` from the user's 4 optional+computed
//   attributes gave 1.44 s and 1.47 s against 1.49 s and 1.39 s with it;
// - the user cut to the attributes the bench sets: 0.61 s, about 1 ms per resource over
//   terraform_data for the gRPC calls (5 per resource) that a built-in resource does not make;
// - the five platform-generated credentials as two computed nested attributes (`sip` with
//   username, password and registrar; `dial_in` with id and pin), null for a user without those
//   connection methods: 1.45 s against 1.66 s in the same run. That would rename attributes users
//   read (and the platform's and the daemon's fields), so it is not done here.
//
// Where it goes inside Terraform (profiled 2026-12-04: `perf record -g` of the no-change plan of
// this bench's 1000 resources, terraform 1.11.4, its stripped binary symbolised from its own
// .gopclntab with Go's debug/gosym; share of Terraform's samples, telform against terraform_data):
// - GC 33% against 32%: the allocation of everything below, so it scales with it;
// - the resource's state attached to each instance node, the whole resource (all N instances)
//   deep-copied once per instance (AttachStateTransformer: N x N copies), 16% against 30%: per
//   copy it is mostly fixed struct and map work, so telform's 687 bytes of attribute JSON per
//   instance (19 of its 30 attributes null) against terraform_data's 158 cost it only 1.5x;
// - refresh, state reads, writes and upgrades 19% against 14%, and the plan step 16% against 11%:
//   per attribute, every value walked several times (msgpack and JSON codecs, ProposedNew, plan
//   checks); the object type rebuilt from the schema on each use (Block.ImpliedType, 6%: a map per
//   object type and every attribute name NFC-normalised, nested objects again), and cty.transform
//   over whole values, 11% against 2%, of which marking the 5 sensitive paths (MarkWithPaths, only
//   run when a schema has a sensitive attribute; null values are marked too) 4%;
// - the human plan renderer (jsonplan of every no-op change) 8% against 3%; gRPC to the provider 4%.
// None of these reads an attribute's flags (optional-only in place of optional+computed changes
// none of them), and a nested block is rebuilt into an object type on each use as a nested
// attribute is (not measured); fewer attributes, or fewer sensitive ones, are what would shorten
// them, and each would drop or rename something users read.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../reconciler/src/daemon.js';
import { installProvider } from '../provider/src/install/install-provider.js';
import { providerLauncherFile } from '../provider/src/install/provider-bundle.js';
import { createSelfSignedCertificate } from '../provider/src/handshake/self-signed-certificate.js';
import { magicCookieKey, magicCookieValue } from '../provider/src/handshake/handshake-line.js';
import { TelformClient } from '../provider/src/client/telform-client.js';
import { countStatements } from '../reconciler/test/support/statement-counter.js';
import type { Benchmark } from './benchmark.js';
import { median } from './stats.js';

const N = Number(process.env.TELFORM_BENCH_RESOURCES ?? 1000);
const ACCOUNTS = 10;
const LAUNCHES = 7;
// Terraform's default -parallelism.
const PARALLELISM = 10;
const platformLimit = 100; // the emulator's default requests/s per account
// The platform-bound run: a limit low enough that this daemon is not the bound.
const LOW_LIMIT = 2;
const LOW_CREATES_PER_ACCOUNT = 20;

interface Timed {
  readonly ms: number;
  /** CPU seconds of the command and every process it waited for (the provider's included). */
  readonly cpu: number;
}

/** Runs terraform under GNU time, which counts the CPU of the providers it started too. */
function terraform(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<Timed> {
  const started = performance.now();
  const cpuFile = join(cwd, '.cpu');
  return new Promise((resolve, reject) =>
    execFile(
      '/usr/bin/time',
      ['-f', '%U %S', '-o', cpuFile, 'terraform', ...args],
      { cwd, env, maxBuffer: 256 * 1024 * 1024 },
      (err, _out, stderr) =>
        err
          ? reject(new Error(`terraform ${args[0]} failed: ${stderr.slice(0, 2000)}`))
          : resolve({ ms: performance.now() - started, cpu: cpuSeconds(cpuFile) }),
    ),
  );
}

/** Sums the `user system` lines GNU time wrote. */
function cpuSeconds(file: string): number {
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([\d.]+) ([\d.]+)$/.exec(line.trim());
    if (m) total += Number(m[1]) + Number(m[2]);
  }
  return total;
}

/**
 * `creates` users over `accounts` accounts straight through the API, PARALLELISM at a time, each
 * waiting until applied (as the provider does); the accounts count as creates too.
 */
async function apiCreates(
  client: TelformClient,
  accounts: number,
  usersPerAccount: number,
  tag: string,
): Promise<{ ms: number; usersMs: number }> {
  const started = performance.now();
  const ids = await Promise.all(
    Array.from({ length: accounts }, async (_, a) => {
      const account = await client.create('account', {
        name: `${tag} ${a}`,
        email: `${tag}${a}@bench.example`,
      });
      await client.waitApplied('account', account.id, 120_000);
      return account.id;
    }),
  );
  const usersStarted = performance.now();
  let next = 0;
  const total = accounts * usersPerAccount;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const user = await client.create('user', {
        account_id: ids[i % accounts],
        name: `User ${i}`,
        login: `${tag}${i}`,
        email: `${tag}${i}@bench.example`,
      });
      await client.waitApplied('user', user.id, 120_000);
    }
  };
  await Promise.all(Array.from({ length: PARALLELISM }, worker));
  const now = performance.now();
  return { ms: now - started, usersMs: now - usersStarted };
}

/** Milliseconds and CPU milliseconds from spawn to the first stdout line, medians of `LAUNCHES`. */
async function toFirstLine(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; cpuMs: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.once('error', reject);
      child.stdout.once('data', () => {
        walls.push(performance.now() - started);
        // utime + stime in clock ticks (100 per second on Linux) of the process that printed.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        cpus.push((Number(stat[11]) + Number(stat[12])) * 10);
        // Time for the cache write (1 s after start) before the process goes.
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 1_200);
      });
    });
  }
  return { ms: median(walls), cpuMs: median(cpus) };
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

function tenAccountsConfig(n: number): string {
  const users = n - ACCOUNTS;
  return `${tf}
resource "telform_account" "a" {
  count = ${ACCOUNTS}
  name  = "Ten \${count.index}"
  email = "ten\${count.index}@bench.example"
}
resource "telform_user" "u" {
  count      = ${users}
  account_id = telform_account.a[count.index % ${ACCOUNTS}].id
  name       = "User \${count.index}"
  login      = "ten\${count.index}"
  email      = "ten\${count.index}@bench.example"
}
`;
}

/** The attributes of one telform_user in the state of `dir`, as Terraform wrote them. */
function userStateAttributes(dir: string): Record<string, unknown> {
  const state = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')) as {
    resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  return state.resources.find((r) => r.type === 'telform_user')!.instances[0]!.attributes;
}

/**
 * N terraform_data whose state holds what a telform_user's does: Terraform's own apply for a
 * state that wide, no provider and no API. `triggers_replace` is stored once (`input` would be
 * stored twice, as `output` too). JSON is an HCL object expression once templates are escaped.
 */
const wideBaselineConfig = (n: number, attributes: Record<string, unknown>) =>
  `resource "terraform_data" "w" {
  count            = ${n}
  triggers_replace = ${JSON.stringify(attributes).replace(/([$%])\{/g, '$1$1{')}
}
`;

/** Bytes of the state file of `dir` per resource in it. */
const stateBytesPer = (dir: string, n: number) =>
  readFileSync(join(dir, 'terraform.tfstate')).length / n;

/** CPU seconds since `since` (process.cpuUsage) of this process: the daemon and the emulator. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

const baselineConfig = (n: number) => `resource "terraform_data" "d" {
  count = ${n}
  input = "value \${count.index}"
}
`;

const s = (ms: number) => (ms / 1000).toFixed(2);
const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)}%`;
const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

async function workspace(root: string, name: string, text: string, env: NodeJS.ProcessEnv) {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'main.tf'), text);
  await terraform(dir, env, 'init', '-input=false', '-no-color');
  return dir;
}
const apply = (dir: string, env: NodeJS.ProcessEnv) =>
  terraform(dir, env, 'apply', '-auto-approve', '-no-color', '-input=false');
const plan = (dir: string, env: NodeJS.ProcessEnv) =>
  terraform(dir, env, 'plan', '-detailed-exitcode', '-no-color', '-input=false');

const benchDaemon = (root: string, name: string, limit: number) =>
  startDaemon({
    dataDir: join(root, name),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0, rateLimit: { requests_per_second: limit, burst: limit } },
    logger: false,
    jobs: false,
    hardening: { rateLimit: { max: 10_000_000, timeWindowMs: 60_000 } },
  });

const benchmark: Benchmark = {
  name: 'provider',
  title: `Terraform provider: apply and no-change plan of ${N} resources`,
  async run() {
    const root = await mkdtemp(join(tmpdir(), 'telform-bench-provider-'));
    const daemons: RunningDaemon[] = [];
    try {
      const daemon = await benchDaemon(root, 'daemon', platformLimit);
      daemons.push(daemon);
      const installed = await installProvider({
        mirror: join(root, 'mirror'),
        cliConfig: join(root, 'telform.tfrc'),
      });
      const launchEnv = {
        ...process.env,
        [magicCookieKey]: magicCookieValue,
        PLUGIN_CLIENT_CERT: createSelfSignedCertificate().certPem,
        PLUGIN_PROTOCOL_VERSIONS: '5,6',
        TELFORM_PROVIDER_CODE_CACHE: join(root, 'code-cache'),
      };
      const launcher = join(installed.packageDir, providerLauncherFile);
      const bare = await toFirstLine(process.execPath, ['-e', 'console.log("x")'], launchEnv);
      const uncached = await toFirstLine(process.execPath, [launcher], {
        ...launchEnv,
        TELFORM_PROVIDER_CODE_CACHE: 'off',
      });
      const cached = await toFirstLine(process.execPath, [launcher], launchEnv);

      // Every provider launch from here on adds its CPU seconds to providerCpu (GNU time),
      // installed before `terraform init` hashes the package.
      const providerCpu = join(root, 'provider.cpu');
      await writeFile(
        installed.executable,
        `#!/bin/sh\nexec /usr/bin/time -a -o '${providerCpu}' -f '%U %S' '${process.execPath}' "$(dirname "$0")/${providerLauncherFile}" "$@"\n`,
      );
      const env = {
        ...process.env,
        TF_CLI_CONFIG_FILE: installed.cliConfig,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TELFORM_ENDPOINT: daemon.url,
        TELFORM_TOKEN: daemon.adminToken!,
        TELFORM_PROVIDER_CODE_CACHE: join(root, 'code-cache'),
      };
      const baseDir = await workspace(root, 'baseline', baselineConfig(N), env);
      const base = { apply: await apply(baseDir, env), plan: await plan(baseDir, env) };
      const oursDir = await workspace(root, 'telform', telformConfig(N), env);
      await writeFile(providerCpu, '');
      const oursApply = await apply(oursDir, env);
      const applyProviderCpu = cpuSeconds(providerCpu);
      await writeFile(providerCpu, '');
      const oursPlan = await plan(oursDir, env);
      const planProviderCpu = cpuSeconds(providerCpu);

      const tenDir = await workspace(root, 'ten', tenAccountsConfig(N), env);
      await writeFile(providerCpu, '');
      const tenDaemonFrom = process.cpuUsage();
      const tenApply = await apply(tenDir, env);
      const tenDaemonCpu = cpuSince(tenDaemonFrom);
      const tenProviderCpu = cpuSeconds(providerCpu);
      const wideDir = await workspace(
        root,
        'wide',
        wideBaselineConfig(N, userStateAttributes(tenDir)),
        env,
      );
      const wideApply = await apply(wideDir, env);

      const client = new TelformClient({ endpoint: daemon.url, token: daemon.adminToken! });
      const counter = countStatements();
      let apiMs: number;
      let statements: number;
      const apiCpuFrom = process.cpuUsage();
      try {
        apiMs = (
          await counter.alone('api', () => apiCreates(client, ACCOUNTS, N / ACCOUNTS - 1, 'api'))
        ).ms;
        statements = counter.counts().api ?? 0;
      } finally {
        counter.restore();
      }
      const apiCpu = cpuSince(apiCpuFrom);

      const low = await benchDaemon(root, 'low', LOW_LIMIT);
      daemons.push(low);
      const lowClient = new TelformClient({ endpoint: low.url, token: low.adminToken! });
      const lowUsers = ACCOUNTS * LOW_CREATES_PER_ACCOUNT;
      // Users only: account creation is charged to the partner, not to the accounts' limits.
      const lowMs = (await apiCreates(lowClient, ACCOUNTS, LOW_CREATES_PER_ACCOUNT, 'low')).usersMs;

      const rate = (creates: number, ms: number) => creates / (ms / 1000);
      const limitAll = ACCOUNTS * platformLimit;
      const rows = [
        '| command | terraform_data (s) | telform (s) | ratio |',
        '| --- | ---: | ---: | ---: |',
        `| apply, ${N} creates (one account) | ${s(base.apply.ms)} | ${s(oursApply.ms)} | ${x(oursApply.ms, base.apply.ms)} |`,
        `| apply: CPU s (terraform and providers; the daemon is not counted) | ${base.apply.cpu.toFixed(2)} | ${oursApply.cpu.toFixed(2)} | ${x(oursApply.cpu, base.apply.cpu)} |`,
        `| plan, no changes | ${s(base.plan.ms)} | ${s(oursPlan.ms)} | ${x(oursPlan.ms, base.plan.ms)} |`,
        `| plan, no changes: CPU s (terraform and providers) | ${base.plan.cpu.toFixed(2)} | ${oursPlan.cpu.toFixed(2)} | ${x(oursPlan.cpu, base.plan.cpu)} |`,
        '',
        `The provider processes used ${planProviderCpu.toFixed(2)} s of the no-change plan's ${oursPlan.cpu.toFixed(2)} CPU seconds (${share(planProviderCpu, oursPlan.cpu)}) and ${applyProviderCpu.toFixed(2)} s of the apply's ${oursApply.cpu.toFixed(2)} (${share(applyProviderCpu, oursApply.cpu)}); the rest is Terraform's own, which grows with the number of attributes of each resource, whether optional, computed or both (see this bench's header). The apply's CPU leaves out the daemon and the emulator (they run in the bench's process); its wall time waits for them.`,
        '',
        `| ${N} creates across ${ACCOUNTS} accounts, ${PARALLELISM} at a time | seconds | creates/s | of the platform's limit (${ACCOUNTS} x ${platformLimit}/s) |`,
        '| --- | ---: | ---: | ---: |',
        `| terraform apply | ${s(tenApply.ms)} | ${rate(N, tenApply.ms).toFixed(1)} | ${(rate(N, tenApply.ms) / limitAll).toFixed(2)} |`,
        `| terraform_data as wide as a telform_user in the state: Terraform's own work, no provider, no API | ${s(wideApply.ms)} | ${rate(N, wideApply.ms).toFixed(1)} | - |`,
        `| straight through the API (?wait=applied each) | ${s(apiMs)} | ${rate(N, apiMs).toFixed(1)} | ${(rate(N, apiMs) / limitAll).toFixed(2)} |`,
        `| API, platform limit ${LOW_LIMIT}/s per account: ${lowUsers} users (accounts made first, not timed) | ${s(lowMs)} | ${rate(lowUsers, lowMs).toFixed(1)} | ${(rate(lowUsers, lowMs) / (ACCOUNTS * LOW_LIMIT)).toFixed(2)} |`,
        '',
        `CPU seconds of the terraform apply: ${(tenApply.cpu - tenProviderCpu).toFixed(2)} Terraform, ${tenProviderCpu.toFixed(2)} the provider processes, ${tenDaemonCpu.toFixed(2)} the daemon with the emulator (the API run: ${apiCpu.toFixed(2)}, its client included); the terraform_data run: ${wideApply.cpu.toFixed(2)}. State bytes per resource: telform ${stateBytesPer(tenDir, N).toFixed(0)}, the wide terraform_data ${stateBytesPer(wideDir, N).toFixed(0)}, the narrow one ${stateBytesPer(baseDir, N).toFixed(0)}. Terraform writes the whole state file again (serialised, compared, fsynced, under one lock: internal/states/statemgr/filesystem.go) after every resource it applies, so its own work grows with N x N x the state's width.`,
        '',
        `SQL statements per create, counted at node-postgres for the whole API run (POST, reconcile, long-poll, audit appends, everything the daemon sent meanwhile): ${(statements / N).toFixed(1)} (${statements} for ${N}). At the default limit the daemon, not the platform, is the bound on this machine; terraform apply took ${x(tenApply.ms, apiMs)} the API run. With the low limit the platform is the bound: the daemon's per-account budget is 0.9x the limit (its token bucket starts full, one second's worth, which lifts a run this short a little above 0.9).`,
        '',
        '| process start to first stdout line (median of 7) | ms | ratio | CPU ms | ratio |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| bare node | ${bare.ms.toFixed(0)} | 1.0x | ${bare.cpuMs.toFixed(0)} | 1.0x |`,
        `| provider handshake, code cache off | ${uncached.ms.toFixed(0)} | ${x(uncached.ms, bare.ms)} | ${uncached.cpuMs.toFixed(0)} | ${x(uncached.cpuMs, bare.cpuMs)} |`,
        `| provider handshake, V8 code cache | ${cached.ms.toFixed(0)} | ${x(cached.ms, bare.ms)} | ${cached.cpuMs.toFixed(0)} | ${x(cached.cpuMs, bare.cpuMs)} |`,
        '',
        `Each telform command starts the provider 3-4 times (a fresh process per phase), and every ` +
          `apply waits until the reconciler reports the change applied on the emulator. A plan ` +
          `reads all ${N} resources through one bulk listing per account (ReadResource is served ` +
          `from it), so its cost over the baseline is process launches, gRPC calls and Terraform's ` +
          `own work per attribute, not API round trips.`,
      ];
      return rows.join('\n');
    } finally {
      for (const d of daemons.reverse()) await d.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default benchmark;
