// The embedded PGlite on a thread of its own (started by pglite-thread.ts): every query runs
// here, so the daemon's event loop only frames the protocol. Plain JavaScript, not TypeScript:
// node runs it as it is under tsx and vitest, and `npm run build` bundles it as an entry point
// beside the command (dist/cli/pglite-worker.mjs).
//
// Messages in: {type: 'protocol', bytes} (whole frontend messages, a startup packet first) and
// {type: 'close'}, handled strictly in the order they came. Out: {type: 'ready'} once PGlite is
// open or {type: 'failed', message} if it would not open; one {type: 'reply', bytes} per
// protocol request, PGlite's backend messages as they are (the main thread parses them); and
// {type: 'closed'} after PGlite closed, when the thread ends. Anything PGlite throws is fatal
// (its WebAssembly state cannot be trusted after): {type: 'fatal', message}, and the thread
// exits with code 1 (SQL errors are not thrown: they are backend messages in a reply).
import { parentPort, workerData } from 'node:worker_threads';

const { pgliteUrl, pgdata, settings } = workerData;
const mod = await import(pgliteUrl);
const PGlite = mod.PGlite ?? mod.default.PGlite;

let db;
try {
  db = await PGlite.create(pgdata, { startParams: [...PGlite.defaultStartParams, ...settings] });
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: describe(err) });
  parentPort.close();
}

if (db) {
  // One request at a time, in arrival order: a query's messages and the next query's never mix.
  let queue = Promise.resolve();
  parentPort.on('message', (msg) => {
    queue = queue.then(() => handle(msg)).catch(fatal);
  });
  parentPort.postMessage({ type: 'ready' });
}

async function handle(msg) {
  if (msg.type === 'protocol') {
    const chunks = [];
    // Raw, not execProtocolRaw: that one also parses every reply into a list it never empties.
    await db.execProtocolRawStream(new Uint8Array(msg.bytes), {
      // A view of PGlite's memory, reused by the next write: copied.
      onRawData: (chunk) => chunks.push(chunk.slice()),
    });
    const reply = chunks.length === 1 ? chunks[0] : concat(chunks);
    parentPort.postMessage({ type: 'reply', bytes: reply.buffer }, [reply.buffer]);
  } else if (msg.type === 'close') {
    await db.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
  }
}

function fatal(err) {
  parentPort.postMessage({ type: 'fatal', message: err?.stack ?? describe(err) });
  process.exit(1);
}

// What PGlite throws is not always an Error (WebAssembly's exit is a plain object).
function describe(err) {
  if (typeof err?.message === 'string') return err.message;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
