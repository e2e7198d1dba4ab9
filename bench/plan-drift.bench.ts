// Refresh from the platform must not make plans slow: `terraform plan` of N resources with
// DRIFTED of them changed in the vendor's console, against the same plan with none drifted, in
// the same run. Rounds alternate (revert the console edits, plan clean; edit again, plan
// drifted) so that machine load shifting during the run falls on both sides alike.
import type { Benchmark } from './benchmark.js';
import { median } from './stats.js';
import {
  accountWithUsers,
  openTerraformBench,
  type TerraformBench,
} from './terraform-bench-harness.js';

const N = Number(process.env.TELFORM_BENCH_RESOURCES ?? 1000);
const DRIFTED = 10;
const ROUNDS = 3;

interface Target {
  readonly account: string;
  readonly user: string;
  readonly name: string;
}

/** DRIFTED of the applied users, with their platform ids and configured names. */
async function targets(bench: TerraformBench): Promise<Target[]> {
  const rows = await bench.daemon.database.db
    .selectFrom('resources as u')
    .innerJoin('resources as a', 'a.id', 'u.account_id')
    .select(['a.external_id as account', 'u.external_id as user', 'u.spec'])
    .where('u.kind', '=', 'user')
    .orderBy('u.id')
    .limit(DRIFTED)
    .execute();
  return rows.map((r) => ({
    account: r.account!,
    user: r.user!,
    name: (r.spec as { name: string }).name,
  }));
}

/** An administrator setting each target's name in the vendor console. */
async function consoleRename(
  bench: TerraformBench,
  list: readonly Target[],
  name: (t: Target) => string,
): Promise<void> {
  const { emulatorUrl, emulator } = bench.daemon;
  for (const t of list) {
    const res = await fetch(
      `${emulatorUrl}/_emulator/console/accounts/${t.account}/users/${t.user}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${emulator!.partnerKey}`,
          'content-type': 'application/json',
          'x-console-user': 'bench@bench.example',
        },
        body: JSON.stringify({ name: name(t) }),
      },
    );
    if (res.status !== 200)
      throw new Error(`console edit answered ${res.status}: ${await res.text()}`);
  }
}

const s = (ms: number) => (ms / 1000).toFixed(2);

const benchmark: Benchmark = {
  name: 'plan-drift',
  title: `Terraform plan of ${N} resources with ${DRIFTED} drifted on the platform`,
  async run() {
    const bench = await openTerraformBench('telform-bench-plan-drift-');
    try {
      const dir = await bench.workspace('users', accountWithUsers(N));
      const apply = await bench.terraform(
        dir,
        'apply',
        '-auto-approve',
        '-no-color',
        '-input=false',
      );
      const list = await targets(bench);
      if (list.length !== DRIFTED)
        throw new Error(`expected ${DRIFTED} users, found ${list.length}`);
      const plan = () =>
        bench.terraform(dir, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
      const clean: number[] = [];
      const drifted: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        await consoleRename(bench, list, (t) => t.name);
        const none = await plan();
        if (none.code !== 0) throw new Error(`round ${round}: the clean plan has changes`);
        clean.push(none.ms);
        await consoleRename(bench, list, (t) => `${t.name} (console ${round})`);
        const some = await plan();
        // Exit 2 and exactly the console edits: the plan measured is the one that sees the drift.
        if (
          some.code !== 2 ||
          !some.stdout.includes(`Plan: 0 to add, ${DRIFTED} to change, 0 to destroy.`)
        )
          throw new Error(`round ${round}: the drifted plan does not show ${DRIFTED} changes`);
        drifted.push(some.ms);
      }
      const base = median(clean);
      const ours = median(drifted);
      return [
        `\`terraform plan -detailed-exitcode\` of ${N} resources (1 account, ${N - 1} users; the ` +
          `provider's default refresh, which reads the platform at every plan). Drifted: ` +
          `${DRIFTED} users renamed in the emulator's console before the plan (exit 2, ` +
          `${DRIFTED} to change). ${ROUNDS} rounds, each a clean plan then a drifted one; the ` +
          `apply of the ${N} resources first took ${s(apply.ms)} s.`,
        '',
        '| plan | round times (s) | median (s) | ratio |',
        '| --- | --- | ---: | ---: |',
        `| none drifted (baseline) | ${clean.map(s).join(', ')} | ${s(base)} | 1.00x |`,
        `| ${DRIFTED} drifted | ${drifted.map(s).join(', ')} | ${s(ours)} | ${(ours / base).toFixed(2)}x |`,
        '',
        `Both plans list the account's platform objects in bulk (one listing per kind) and compare ` +
          `them; the drifted one also reads the platform's activity log once to name who changed ` +
          `them, writes ${DRIFTED} drift records, and Terraform renders ${DRIFTED} diffs.`,
      ].join('\n');
    } finally {
      await bench.close();
    }
  },
};

export default benchmark;
