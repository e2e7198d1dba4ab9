import { startEmulator } from '@telform/emulator';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { describeDriverContract } from './driver-contract.js';

describeDriverContract('HttpPlatformDriver against the emulator', async () => {
  const emu = await startEmulator({ port: 0, rateLimit: null });
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${emu.partnerKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  let n = 0;
  return {
    driver: new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey, timeoutMs: 5_000 }),
    unauthorizedDriver: new HttpPlatformDriver({ baseUrl: emu.url, apiKey: 'not-a-key' }),
    async newAccount() {
      n++;
      const acct = await admin('POST', '/v1/accounts', {
        name: `Contract ${n}`,
        email: `c${n}@acme.example`,
      });
      return acct.id as string;
    },
    async failNext(status, retryAfterS) {
      await admin('POST', '/_emulator/faults', {
        mode: status === 429 ? 'throttle' : 'error',
        count: 1,
        ...(status === 429 ? { retry_after_s: retryAfterS ?? 1 } : { status }),
      });
    },
    close: () => emu.close(),
  };
});
