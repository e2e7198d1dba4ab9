// The world of the drift and memory benchmarks: accounts of one account and 99 users each, one
// user in 100 edited out of band, one unmanaged user per 10 accounts. The platform ids come from
// the driver in seeding order, so two drivers seeded alike agree on every id.
import type { MemoryPlatformDriver } from '../reconciler/test/drift/memory-platform-driver.js';
import type { AppliedResource } from '../reconciler/test/drift/seed-resources.js';

export const PER_ACCOUNT = 100; // the account itself and 99 users
export const DRIFT_EVERY = 100; // one user in 100 edited out of band

export function seedWorld(driver: MemoryPlatformDriver, accounts: number): AppliedResource[] {
  const rows: AppliedResource[] = [];
  for (let a = 0; a < accounts; a++) {
    const id = `account_${a}`;
    const spec = { name: `Account ${a}`, email: `admin${a}@bench.example` };
    const pa = driver.seed('account', '', spec, id);
    rows.push({
      id,
      kind: 'account',
      accountId: null,
      rootAccountId: id,
      spec,
      externalId: pa,
      observed: spec,
    });
    for (let u = 1; u < PER_ACCOUNT; u++) {
      const uid = `user_${a}_${u}`;
      const user = {
        account_id: id,
        name: `User ${u}`,
        login: `u${u}`,
        email: `u${u}@bench.example`,
        privileges: { transfer: true },
      };
      const observed = { ...user, account_id: pa };
      const pu = driver.seed('user', pa, observed, uid);
      if (u === 1 + (a % (PER_ACCOUNT - 1))) driver.consoleEdit(pu, { name: `Edited ${u}` });
      rows.push({
        id: uid,
        kind: 'user',
        accountId: id,
        rootAccountId: id,
        spec: user,
        externalId: pu,
        observed,
      });
    }
    if (a % 10 === 0)
      driver.seed('user', pa, { name: 'Stranger', login: 'stranger', email: 's@bench.example' });
  }
  return rows;
}
