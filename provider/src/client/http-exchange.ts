/**
 * One HTTP request and its whole answer over node:http(s), on keep-alive agents shared by the
 * process. Not `fetch`: undici's fetch (with the AbortSignal.timeout/any it needs for a deadline)
 * cost about 0.5-0.9 ms of CPU per request on this path against about 0.1 ms here, and an apply
 * makes two requests per resource (the create and its long-poll) in a process that shares the
 * machine with Terraform and the daemon.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Exchange {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** The whole exchange, connection to last byte; then the request is destroyed. */
  readonly timeoutMs: number;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** Raised when `timeoutMs` passes first; `code` as node's own socket errors carry one. */
export class ExchangeTimeout extends Error {
  readonly code = 'ETIMEDOUT';
}

// Idle sockets close well before the daemon's keep-alive timeout (72 s), so a request never
// goes out on a socket the daemon is closing. Free sockets never keep the process alive.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 30_000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 30_000 }),
};

export function exchange(url: URL, options: Exchange): Promise<Answer> {
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: options.method,
      headers,
      agent: agents[https ? 'https:' : 'http:'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const timer = setTimeout(
      () => request.destroy(new ExchangeTimeout(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    request.once('error', fail);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', fail);
      response.once('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    request.end(options.body);
  });
}
