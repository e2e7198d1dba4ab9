import type { RunningEmulator } from '@telform/emulator';

/**
 * A raw request to the emulator with its partner key: set-up and fault injection for driver
 * tests, which must not go through the driver they test. `emu()` is read at call time, so a
 * suite can build this before `beforeAll` starts the emulator.
 */
export function emulatorAdmin(emu: () => RunningEmulator) {
  return (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${emu().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${emu().partnerKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
