import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';

// Each apply is several platform calls; a TCP (and, for a vendor, TLS) handshake per call would
// cost more than the call. Node's fetch keeps connections alive: this pins that the driver uses
// it so (a per-call agent, a `connection: close` header or a body left unread would break it).
describe('HttpPlatformDriver connections', () => {
  let emu: RunningEmulator;
  let connections = 0;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, rateLimit: null });
    emu.app.server.on('connection', () => (connections += 1));
  });
  afterAll(() => emu?.close());

  it('reuses one kept-alive connection for calls made one after another', async () => {
    const driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey });
    const account = await driver.create(
      { kind: 'account', id: 'account_keepalive' },
      { name: 'Keep Alive', email: 'keep@alive.example' },
    );
    const ref = { kind: 'account', id: 'account_keepalive', externalId: account.externalId };
    for (let i = 0; i < 20; i++) await driver.observe(ref);
    // Missing objects (a 404 answer body) must not cost a connection either.
    for (let i = 0; i < 5; i++)
      await driver.observe({ kind: 'account', id: `account_missing_${i}` });
    // 26 calls, one at a time: fetch's pool opens a second socket early on, then reuses both.
    expect(connections).toBeLessThanOrEqual(2);
  });
});
