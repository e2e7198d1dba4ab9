// The client side of the burst benchmark, run as child processes (bench/burst.bench.ts), so that
// neither the flood nor the health probe shares the daemon's thread and the figures are the
// daemon's own. Modes:
//   load  PORT COUNT WIDTH HALF_OPEN WAIT_MS  COUNT requests with random tokens over WIDTH
//         keep-alive connections, while HALF_OPEN connections hold half-sent headers; reports
//         each answer's status (or the error when none came) and how many half-open
//         connections the server closed within WAIT_MS after the flood.
//   probe PORT INTERVAL_MS  GET /healthz on its own keep-alive connection every INTERVAL_MS until
//         the parent sends "stop"; reports every answered probe's latency and the failed ones.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface LoadReport {
  readonly statuses: Record<string, number>;
  readonly halfOpenClosed: number;
  readonly floodMs: number;
}

export interface ProbeReport {
  /** Milliseconds, of the probes answered 200. */
  readonly latencies: number[];
  /** Probes answered otherwise, or not at all. */
  readonly failed: number;
}

/** One request; resolves with the status, or with the error code when no answer came. */
function send(agent: Agent, port: number, path: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode ?? 0)));
        res.on('error', (err) => resolve(`body: ${err.message}`));
      },
    );
    req.on('error', (err) => resolve((err as { code?: string }).code ?? err.message));
    req.end();
  });
}

async function load(port: number, count: number, width: number, halfOpen: number, waitMs: number) {
  const sockets: Socket[] = [];
  let closed = 0;
  for (let i = 0; i < halfOpen; i++) {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /v1/resources HTTP/1.1\r\nHost: x\r\nAuthorization: Bea');
    });
    socket.on('error', () => {});
    socket.on('close', () => (closed += 1));
    socket.resume();
    sockets.push(socket);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: width });
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        next += 1;
        const token = `tf_${randomBytes(32).toString('base64url')}`;
        const status = await send(agent, port, '/v1/resources?kind=user', token);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const floodMs = performance.now() - started;
  agent.destroy();
  const deadline = Date.now() + waitMs;
  while (closed < halfOpen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const socket of sockets) socket.destroy();
  const report: LoadReport = { statuses, halfOpenClosed: closed, floodMs };
  return report;
}

async function probe(port: number, intervalMs: number): Promise<ProbeReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failed = 0;
  let running = true;
  process.on('message', (m) => {
    if (m === 'stop') running = false;
  });
  process.send!('ready');
  while (running) {
    const started = performance.now();
    const status = await send(agent, port, '/healthz', 'none');
    if (status === '200') latencies.push(performance.now() - started);
    else failed += 1;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  agent.destroy();
  return { latencies, failed };
}

const [mode, port, ...rest] = process.argv.slice(2);
const numbers = rest.map(Number);
const report =
  mode === 'load'
    ? await load(Number(port), numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!)
    : await probe(Number(port), numbers[0]!);
process.send!(report, () => process.exit(0));
