import type { Server } from 'node:http';
import type { FastifyServerOptions } from 'fastify';

/**
 * Limits of the API's HTTP server, so that connections cost nothing once they misbehave: one
 * whose headers never finish is closed, one whose request never finishes is closed, and past
 * `maxConnections` new connections are refused at accept (the OS backlog then holds them).
 */
export interface ServerLimits {
  /**
   * Headers must arrive within this (default 10 s); then 408 and the socket closes. Node counts a
   * new connection from its accept: client-error-handler.ts keeps a stalled loop from expiring
   * one whose request was already waiting to be read.
   */
  readonly headersTimeoutMs: number;
  /** The whole request (headers and body) within this (default 30 s). Long-poll answers are not counted. */
  readonly requestTimeoutMs: number;
  /**
   * An idle keep-alive socket is closed after this (default 72 s). It is longer than clients' own
   * idle timeouts (undici 4 s, Go 90 s is the exception), so it is nearly always the client that
   * closes an idle socket: a server closing one just as the client reuses it loses that request.
   */
  readonly keepAliveTimeoutMs: number;
  /** How often the timeouts above are checked (default 1 s). */
  readonly checkIntervalMs: number;
  /** Open connections at most (default 4,096; TELFORM_MAX_CONNECTIONS). */
  readonly maxConnections: number;
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  checkIntervalMs: 1_000,
  maxConnections: 4_096,
};

/** The fastify options that carry the limits (Node checks them on its own timer). */
export function serverOptions(limits: ServerLimits): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'keepAliveTimeout'
> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
} {
  return {
    // Without a request timeout Node never expires a connection whose headers stopped half-way.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
  };
}

export function capConnections(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
}
