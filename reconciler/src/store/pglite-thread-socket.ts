import { Duplex } from 'node:stream';
import type { PgliteThread } from './pglite-thread.js';

/**
 * What `pg` takes for its socket (the `stream` option), carried to a PGlite thread instead of
 * a server: pg frames and parses the protocol here as it would over TCP, the thread runs it.
 * Each write (all the messages of a query at once: pg corks them) is one request to the
 * thread; replies come back in order as data. A thread that stopped destroys the socket with
 * the thread's reason, so pg fails the queries with it, and a socket opened on a stopped
 * thread fails its connect the same way.
 */
export class PgliteThreadSocket extends Duplex {
  #ended = false;

  constructor(private readonly thread: PgliteThread) {
    super();
  }

  /** pg calls this as on a net.Socket; the thread is there already. */
  connect(): this {
    process.nextTick(() => {
      if (this.thread.failure) this.destroy(this.thread.failure);
      else this.emit('connect');
    });
    return this;
  }

  // net.Socket's tuning, which pg calls: nothing to tune on a thread.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.#send(chunk);
    done();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, done: () => void): void {
    this.#send(Buffer.concat(chunks.map((c) => c.chunk)));
    done();
  }

  override _final(done: () => void): void {
    // pg ends the socket after its Terminate: the "server" side ends too, and the socket closes.
    this.#ended = true;
    this.push(null);
    done();
  }

  #send(bytes: Buffer): void {
    this.thread.request(bytes).then(
      (reply) => {
        if (reply.length > 0 && !this.#ended && !this.destroyed)
          this.push(Buffer.from(reply.buffer, reply.byteOffset, reply.length));
      },
      (err: Error) => this.destroy(err),
    );
  }
}
