// The API server's header, request and keep-alive timeouts, from raw sockets. Under a burst one
// request got a 408 and one an ECONNRESET although both were sent in time: Node checks the
// timeouts on a timer that runs before sockets are read, so a stall between accepting a
// connection and reading it expired a client that had done nothing wrong. These cases stall the
// event loop on purpose, and check that the defences against slow clients still hold.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultServerLimits } from '../../src/api/server-limits.js';
import { startApp, type AppFixture } from './app-fixture.js';

const limits = {
  ...defaultServerLimits,
  headersTimeoutMs: 500,
  requestTimeoutMs: 2_000,
  keepAliveTimeoutMs: 1_000,
  checkIntervalMs: 50,
};

let fixture: AppFixture;
let port: number;
// One stall of the event loop right after the next accepted connection, when set.
let stallNextConnectionMs = 0;

beforeAll(async () => {
  fixture = await startApp('pglite', { serverLimits: limits });
  fixture.app.server.on('connection', () => {
    const ms = stallNextConnectionMs;
    stallNextConnectionMs = 0;
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // Busy: what a burst does to the one thread between an accept and the socket's first read.
    }
  });
  await fixture.app.listen({ host: '127.0.0.1', port: 0 });
  const address = fixture.app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => fixture?.close());

/** A raw connection that records what it receives and how it ends. */
function open(): Promise<{ socket: Socket; received: () => string; ended: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    const ended = new Promise<string>((done) => {
      socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
      socket.on('close', () => done('closed'));
    });
    socket.on('connect', () => resolve({ socket, received: () => data, ended }));
  });
}

const get = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
// Bodies end without a newline: the next answer starts mid-line.
const statusLines = (text: string) => text.match(/HTTP\/1\.1 \d{3}/g) ?? [];

/** Waits (generously: a busy machine) until `ready` holds. */
describe('API server timeouts, from raw sockets', () => {
  it.each([
    { why: 'a stall just past the header timeout', stallMs: 700 },
    { why: 'a stall of several header timeouts and check intervals', stallMs: 1_600 },
  ])(
    'answers a request sent in time on a new connection read late after $why',
    async ({ stallMs }) => {
      stallNextConnectionMs = stallMs;
      const { socket, received } = await open();
      socket.write(get);
      await vi.waitUntil(() => statusLines(received()).length > 0, {
        timeout: 20_000,
        interval: 10,
      });
      expect(statusLines(received())).toEqual(['HTTP/1.1 200']);
      socket.destroy();
    },
  );

  it.each([
    {
      why: 'headers that never finish (slowloris)',
      send: 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A',
    },
    { why: 'a connection that sends nothing', send: '' },
    { why: 'headers that never finish, after a stall', send: 'GET /x HTTP/1.1\r\n', stallMs: 700 },
  ])('closes $why with a 408', async ({ send, stallMs }) => {
    stallNextConnectionMs = stallMs ?? 0;
    const { socket, received, ended } = await open();
    if (send) socket.write(send);
    const started = Date.now();
    expect(await ended).toBe('closed');
    expect(statusLines(received())).toEqual(['HTTP/1.1 408']);
    // Well within the request timeout: the header timeout closed it.
    expect(Date.now() - started).toBeLessThan(limits.requestTimeoutMs + 10_000);
  });

  it('answers a keep-alive connection reused right at the timeout it advertised', async () => {
    const { socket, received } = await open();
    socket.write(get);
    await vi.waitUntil(() => statusLines(received()).length === 1, {
      timeout: 20_000,
      interval: 10,
    });
    expect(received()).toMatch(/keep-alive: timeout=1\r\n/i);
    // The client may keep the socket for the advertised second: reuse it at the very end of it.
    await new Promise((r) => setTimeout(r, limits.keepAliveTimeoutMs - 20));
    socket.write(get);
    await vi.waitUntil(() => statusLines(received()).length === 2, {
      timeout: 20_000,
      interval: 10,
    });
    expect(statusLines(received())).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    socket.destroy();
  });

  it('closes a keep-alive connection left idle past its timeout', async () => {
    const { received, ended } = await open().then((c) => {
      c.socket.write(get);
      return c;
    });
    expect(await ended).toBe('closed');
    expect(statusLines(received())).toEqual(['HTTP/1.1 200']);
  });
});
