import { describe, expect, it } from 'vitest';
import { waitForApplied } from '../../src/api/wait-for-applied.js';
import { ResourceChanges } from '../../src/reconcile/resource-changes.js';
import type { ResourceRow } from '../../src/reconcile/work-queue.js';
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
  const counted = (applied: () => boolean) => {
    const read = async () => {
      read.reads++;
      return representation(applied());
    };
    read.reads = 0;
    return read;
  };
  const signal = () => new AbortController().signal;

  it("reads nothing more when the caller's own read is settled already", async () => {
    const read = counted(() => true);
    const found = await waitForApplied(representation(true), read, {
      timeoutMs: 10_000,
      signal: signal(),
    });
    expect(found?.status.applied_generation).toBe(1);
    expect(read.reads).toBe(0);
  });

  it('answers as soon as the engine records the outcome, with one read, not at the next poll', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    let applied = false;
    const read = counted(() => applied);
    setTimeout(() => {
      applied = true;
      changes.changed('user_1');
    }, 130);
    const started = Date.now();
    const found = await waitForApplied(representation(false), read, {
      timeoutMs: 10_000,
      signal: signal(),
      changes: sub,
    });
    const elapsed = Date.now() - started;
    sub.close();
    expect(found?.status.applied_generation).toBe(1);
    // The replica poll alone would answer at 1,000 ms.
    expect(elapsed).toBeLessThan(900);
    expect(read.reads).toBe(1);
  });

  it('answers from the row the engine recorded, without reading it again', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    const read = counted(() => false);
    const represented: string[] = [];
    const represent = async (row: { id: string }) => {
      represented.push(row.id);
      return representation(true);
    };
    setTimeout(() => changes.changed('user_1', { row: { id: 'user_1' } as ResourceRow }), 20);
    const found = await waitForApplied(representation(false), read, {
      timeoutMs: 10_000,
      signal: signal(),
      changes: sub,
      represent,
    });
    sub.close();
    expect(found?.status.applied_generation).toBe(1);
    expect(represented).toEqual(['user_1']);
    expect(read.reads).toBe(0);
  });

  it('ends at a recorded removal (a finished deletion) without a read: gone', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    const read = counted(() => false);
    setTimeout(() => changes.changed('user_1', { row: null }), 20);
    const found = await waitForApplied(representation(false), read, {
      timeoutMs: 10_000,
      signal: signal(),
      changes: sub,
      represent: async () => representation(false),
    });
    sub.close();
    expect(found).toBeUndefined();
    expect(read.reads).toBe(0);
  });

  it('still polls for outcomes recorded elsewhere (another replica)', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    let applied = false;
    setTimeout(() => (applied = true), 50);
    const found = await waitForApplied(
      representation(false),
      counted(() => applied),
      { timeoutMs: 10_000, signal: signal(), changes: sub, replicaPollMs: 50 },
    );
    sub.close();
    expect(found?.status.applied_generation).toBe(1);
  });

  it('with no other replica (embedded), reads only at a change or the deadline', async () => {
    const changes = new ResourceChanges();
    const sub = changes.subscribe('user_1');
    const read = counted(() => false);
    const found = await waitForApplied(representation(false), read, {
      timeoutMs: 300,
      signal: signal(),
      changes: sub,
      replicaPollMs: null,
    });
    sub.close();
    expect(found?.status.applied_generation).toBe(0);
    expect(read.reads).toBe(1);
  });

  it('without change reports, polls until the row settles', async () => {
    let applied = false;
    setTimeout(() => (applied = true), 80);
    const read = counted(() => applied);
    const found = await waitForApplied(representation(false), read, {
      timeoutMs: 10_000,
      signal: signal(),
    });
    expect(found?.status.applied_generation).toBe(1);
    expect(read.reads).toBeGreaterThan(1);
  });
});
