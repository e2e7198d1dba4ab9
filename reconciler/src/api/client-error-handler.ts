import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

// Requests whose headers arrived, per connection: the evidence that a timed-out one was not idle.
const requestsOn = new WeakMap<Socket, number>();

/** Counts each connection's requests for {@link clientErrorHandler}; call once per server. */
export function countRequests(server: Server): void {
  server.on('request', (request: { socket: Socket }) => {
    requestsOn.set(request.socket, (requestsOn.get(request.socket) ?? 0) + 1);
  });
}

/**
 * fastify's `clientErrorHandler`: answers a connection the HTTP parser gave up on (408 for the
 * header/request timeout, 431 for oversized headers, 400 otherwise) and closes it.
 *
 * A timeout is judged one poll phase late. Node checks the timeouts on a timer, and libuv runs
 * timers before it reads sockets; a new connection counts from its accept until its first bytes
 * are parsed. So when the event loop stalls (a burst) between accepting a connection and reading
 * it, Node expires a client that sent its whole request in time: it got a 408, or an ECONNRESET
 * when the close with its request still unread became a reset. `setImmediate` runs after the
 * next poll phase has read what was waiting: a connection that produced a request by then is
 * spared (Node tracks it again from that request), the rest get the 408, a slice per turn.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
    answer(socket, error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400, error);
    return;
  }
  timedOut.push({ socket, seen: requestsOn.get(socket) ?? 0, error, log: this.log });
  if (timedOut.length === 1) setImmediate(closeTimedOut);
}

/**
 * Timed-out connections closed per turn of the event loop. Node finds every expired connection
 * in one check: 1,000 half-open ones accepted together all expire in the same second, and
 * answering them in one go held the thread for over 100 ms on a loaded 2-core machine (health
 * waited behind it, bench/burst.bench.ts). In slices, the socket reads (health among them) run
 * between. Each slice is at least one poll phase after the timeout, as the sparing requires.
 */
const timeoutsClosedPerTurn = 50;

interface TimedOut {
  readonly socket: Socket;
  readonly seen: number;
  readonly error: Error;
  readonly log: FastifyInstance['log'];
}

const timedOut: TimedOut[] = [];

function closeTimedOut(): void {
  for (const { socket, seen, error, log } of timedOut.splice(0, timeoutsClosedPerTurn)) {
    if (socket.destroyed) continue;
    if ((requestsOn.get(socket) ?? 0) > seen) {
      log.debug({ remote: socket.remoteAddress }, 'request timeout spared: request was read');
      continue;
    }
    log.trace({ remote: socket.remoteAddress }, 'request timeout: connection closed');
    answer(socket, 408, error);
  }
  // An immediate queued from an immediate runs on the next turn, after that turn's poll phase.
  if (timedOut.length > 0) setImmediate(closeTimedOut);
}

function answer(socket: Socket, status: number, error: Error): void {
  const body = JSON.stringify({ error: STATUS_CODES[status], statusCode: status });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
