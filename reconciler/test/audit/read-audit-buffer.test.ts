import { describe, expect, it, vi } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import type { AuditEventInput, AuditSink } from '../../src/audit/audit-sink.js';
import { ReadAuditBuffer } from '../../src/audit/read-audit-buffer.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { describeEachDatabase } from '../support/databases.js';

const read = (n: number): AuditEventInput => ({
  event: 'user.read',
  access: 'read',
  resource: `user/user_${n}`,
  actor: 'ci',
  outcome: 'success',
});

/** A sink whose writes wait for `open()`, failing while `down` or for refused resources. */
class GatedSink implements AuditSink {
  stored: string[] = [];
  down = false;
  refuse = new Set<string>();
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};
  close() {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  open() {
    this.#open();
    this.#gate = Promise.resolve();
  }
  async record(event: AuditEventInput): Promise<void> {
    await this.#gate;
    if (this.down) throw new Error('database unavailable');
    if (this.refuse.has(event.resource!)) throw new Error('refused');
    this.stored.push(event.resource!);
  }
}

describe('ReadAuditBuffer', () => {
  it('answers before the event is stored, and stores it behind the answer', async () => {
    const sink = new GatedSink();
    sink.close();
    const buffer = new ReadAuditBuffer(sink);
    await buffer.record(read(1)); // would hang here if the caller waited for the store
    expect(sink.stored).toEqual([]);
    sink.open();
    await buffer.flush();
    expect(sink.stored).toEqual(['user/user_1']);
  });

  it('gathers reads arriving within `gatherMs` into one batch (one transaction in the store)', async () => {
    // The sink is handed a batch in one synchronous pass: count the passes.
    let passes = 0;
    let inPass = false;
    const stored: string[] = [];
    const sink: AuditSink = {
      record: async (event) => {
        if (!inPass) {
          passes += 1;
          inPass = true;
          queueMicrotask(() => (inPass = false));
        }
        stored.push(event.resource!);
      },
    };
    const buffer = new ReadAuditBuffer(sink, { gatherMs: 50 });
    for (let i = 0; i < 30; i++) void buffer.record(read(i));
    await vi.waitFor(() => expect(stored).toHaveLength(30), { timeout: 10_000 });
    expect(passes).toBe(1);
  });

  it('makes readers wait once it holds `capacity` events (bounded loss, bounded memory)', async () => {
    const sink = new GatedSink();
    sink.close();
    const buffer = new ReadAuditBuffer(sink, { capacity: 2 });
    await buffer.record(read(1));
    await buffer.record(read(2));
    let third = false;
    const pending = buffer.record(read(3)).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    expect(buffer.held()).toBe(2);
    sink.open();
    await pending;
    await buffer.flush();
    expect(sink.stored).toEqual(['user/user_1', 'user/user_2', 'user/user_3']);
  });

  it('keeps events through an outage and stores them in order once the store is back', async () => {
    const sink = new GatedSink();
    sink.down = true;
    const onError = vi.fn();
    const buffer = new ReadAuditBuffer(sink, { retryMs: 5, onError });
    for (const n of [1, 2, 3]) await buffer.record(read(n));
    await vi.waitFor(() => expect(onError).toHaveBeenCalled(), { timeout: 10_000 });
    expect(onError.mock.calls[0]![1]).toBe(0); // nothing dropped, only retried
    sink.down = false;
    await buffer.flush();
    expect(sink.stored).toEqual(['user/user_1', 'user/user_2', 'user/user_3']);
  });

  it('drops and reports only an event the store refuses while it takes the others', async () => {
    const sink = new GatedSink();
    sink.refuse.add('user/user_2');
    const onError = vi.fn();
    const buffer = new ReadAuditBuffer(sink, { onError });
    for (const n of [1, 2, 3]) await buffer.record(read(n));
    await buffer.flush();
    expect(sink.stored).toEqual(['user/user_1', 'user/user_3']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![1]).toBe(1);
  });

  it('writes everything on close, then stores later events before answering', async () => {
    const sink = new GatedSink();
    const buffer = new ReadAuditBuffer(sink);
    for (const n of [1, 2]) await buffer.record(read(n));
    await buffer.close();
    expect(sink.stored).toEqual(['user/user_1', 'user/user_2']);
    await buffer.record(read(3));
    expect(sink.stored).toContain('user/user_3');
  });

  it('gives up on close after its deadline when the store stays down, reporting what is lost', async () => {
    const sink = new GatedSink();
    sink.down = true;
    const onError = vi.fn();
    const buffer = new ReadAuditBuffer(sink, { retryMs: 5, onError });
    await buffer.record(read(1));
    await buffer.close(50);
    expect(onError).toHaveBeenLastCalledWith(expect.any(Error), 1);
  });
});

describeEachDatabase('ReadAuditBuffer over the AuditStore', (database) => {
  it('appends a burst of reads as hash-chained events that verify', async () => {
    const { db } = database();
    const buffer = new ReadAuditBuffer(new AuditStore(db), { capacity: 64 });
    await Promise.all(Array.from({ length: 300 }, (_, n) => buffer.record(read(n))));
    await buffer.flush();
    const rows = await db
      .selectFrom('audit_events')
      .select('resource')
      .where('event', '=', 'user.read')
      .execute();
    expect(new Set(rows.map((r) => r.resource)).size).toBe(300);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
