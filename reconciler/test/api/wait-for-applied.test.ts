import { describe, expect, it } from 'vitest';
import { waitForApplied } from '../../src/api/wait-for-applied.js';
import { ResourceChanges } from '../../src/reconcile/resource-changes.js';
import type { ResourceRepresentation } from '../../src/resources/resource-representation.js';

const representation = (applied: boolean) =>
  ({
    id: 'user_1',
    generation: 1,
    deletion_requested_at: null,
    status: {
      applied_generation: applied ? 1 : 0,
      conditions: [
        {
          type: 'Synced',
          status: applied ? 'True' : 'False',
          reason: applied ? 'Applied' : 'Pending',
        },
      ],
    },
  }) as unknown as ResourceRepresentation;

describe('ResourceChanges', () => {
  it('wakes a subscription at a change of its id only', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('a');
    const started = Date.now();
    setTimeout(() => changes.changed('b'), 10);
    setTimeout(() => changes.changed('a'), 60);
    await sub.next(5_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(1_000);
    sub.close();
    expect(changes.size()).toBe(0);
  });

  it('keeps a change that came before the wait, and ends on timeout or abort', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('a');
    changes.changed('a');
    const started = Date.now();
    await sub.next(5_000); // at once: the change came between the read and the wait
    expect(Date.now() - started).toBeLessThan(50);
    await sub.next(30); // no change: the timeout
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 20);
    await sub.next(5_000, aborted.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
    sub.close();
    expect(changes.size()).toBe(0);
  });
});

describe('waitForApplied', () => {
  it('answers as soon as the engine records the outcome, not at the next poll', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    let applied = false;
    let reads = 0;
    const read = async () => {
      reads++;
      return representation(applied);
    };
    setTimeout(() => {
      applied = true;
      changes.changed('user_1');
    }, 130);
    const started = Date.now();
    const found = await waitForApplied(read, 10_000, new AbortController().signal, sub);
    const elapsed = Date.now() - started;
    sub.close();
    expect(found?.status.applied_generation).toBe(1);
    // The polls alone would answer at 300 ms (reads at 0, 100 and 300 ms).
    expect(elapsed).toBeLessThan(250);
    expect(reads).toBeLessThanOrEqual(3);
  });

  it('still polls for outcomes recorded elsewhere (another replica)', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    let applied = false;
    setTimeout(() => (applied = true), 50);
    const found = await waitForApplied(
      async () => representation(applied),
      10_000,
      new AbortController().signal,
      sub,
    );
    sub.close();
    expect(found?.status.applied_generation).toBe(1);
  });
});
