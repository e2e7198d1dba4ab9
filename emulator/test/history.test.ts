import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../src/activity/activity-log.js';
import { History } from '../src/activity/history.js';
import { StateStore } from '../src/storage/state-store.js';

const now = new Date('2026-11-22T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('three-month retention', () => {
  it.each([
    { why: 'yesterday stays', age: 1, kept: true },
    { why: 'two months ago stays', age: 60, kept: true },
    { why: 'over three months ago goes', age: 93, kept: false },
  ])('history: $why', ({ age, kept }) => {
    const h = new History(StateStore.memory(), 'deletions');
    h.add('acc-1', daysAgo(age), { deleted_by: 'System', entity: 'user', count: 1 });
    h.prune(now);
    expect(h.list('acc-1')).toHaveLength(kept ? 1 : 0);
  });

  it('activity log entries age out the same way', () => {
    const log = new ActivityLog(StateStore.memory());
    const entry = (age: number) => ({
      account_id: 'acc-1',
      time: daysAgo(age).toISOString(),
      event: 'user.read',
      type: 'read' as const,
      resource: 'user/u-1',
      actor: 'partner',
      outcome: 'success' as const,
      ip: '127.0.0.1',
      status: 200,
    });
    log.record(entry(100));
    log.record(entry(2));
    log.prune(now);
    expect(log.query('acc-1', {}).map((e) => e.time)).toEqual([daysAgo(2).toISOString()]);
  });
});
