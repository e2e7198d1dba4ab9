// The 408s of timed-out connections are sent in slices, a turn of the event loop apart: Node
// expires every half-open connection of a burst in one check, and answering 1,000 of them in
// one go held the thread past the 100 ms health target (bench/burst.bench.ts). Fake sockets, so
// each turn's closes can be counted; server-timeouts.test.ts covers real connections.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../../src/api/client-error-handler.js';

function fakeSocket() {
  const socket = {
    destroyed: false,
    writable: true,
    remoteAddress: '127.0.0.1',
    written: '',
    write(chunk: string) {
      socket.written += chunk;
      return true;
    },
    destroy() {
      socket.destroyed = true;
    },
  };
  return socket;
}

const app = { log: { debug() {}, trace() {} } } as unknown as FastifyInstance;
const timeout = () => Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('clientErrorHandler under many timeouts at once', () => {
  it('closes them a slice per turn, each with a 408, until all are closed', async () => {
    const sockets = Array.from({ length: 120 }, fakeSocket);
    for (const socket of sockets)
      clientErrorHandler.call(app, timeout(), socket as unknown as Socket);
    // Nothing is closed in the timer pass that found them (the sparing needs a poll phase first).
    expect(sockets.filter((s) => s.destroyed)).toHaveLength(0);
    const closedPerTurn: number[] = [];
    while (sockets.some((s) => !s.destroyed) && closedPerTurn.length < 100) {
      await nextTurn();
      closedPerTurn.push(sockets.filter((s) => s.destroyed).length);
    }
    expect(closedPerTurn).toEqual([50, 100, 120]);
    for (const socket of sockets) expect(socket.written).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a bad request at once, outside the slices', () => {
    const socket = fakeSocket();
    clientErrorHandler.call(
      app,
      Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }),
      socket as unknown as Socket,
    );
    expect(socket.destroyed).toBe(true);
    expect(socket.written).toMatch(/^HTTP\/1\.1 400 /);
  });
});
