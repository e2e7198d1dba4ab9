import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultRateLimit,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '@telform/emulator';
import { HttpPlatformDriver } from './driver/http-platform-driver.js';
import type { PlatformDriver } from './driver/platform-driver.js';
import { silentLog, type DaemonLog } from './log/daemon-log.js';

export type BundledEmulatorOptions = Omit<EmulatorOptions, 'dataDir' | 'partnerKey'> & {
  /** Default: `<daemon data dir>/emulator`; `false` keeps the emulator in memory. */
  readonly dataDir?: string | false;
};

export interface PlatformChoice {
  /** Tests: any driver. Takes precedence over `platform` and `emulator`. */
  readonly driver?: PlatformDriver;
  /** A platform of the emulator's API shape (a real vendor behind the same driver). */
  readonly platform?: { readonly url: string; readonly apiKey: string };
  /** Start the bundled emulator in-process and use it as the platform. */
  readonly emulator?: boolean | BundledEmulatorOptions;
}

export interface OpenedPlatform {
  /** The raw driver: the services wrap it in the one guard. */
  readonly driver: PlatformDriver;
  /** The in-process emulator, when one was started (the caller closes it). */
  readonly emulator?: RunningEmulator;
}

/** Picks the platform the daemon talks to: a given driver, a vendor URL, or the bundled emulator. */
export async function openPlatform(
  choice: PlatformChoice,
  dataDir: string,
  log: DaemonLog = silentLog,
): Promise<OpenedPlatform> {
  if (choice.driver) return { driver: choice.driver };
  if (choice.platform) {
    const { url, apiKey } = choice.platform;
    return { driver: new HttpPlatformDriver({ baseUrl: url, apiKey, log }) };
  }
  if (choice.emulator) {
    const emulator = await startBundledEmulator(
      dataDir,
      choice.emulator === true ? {} : choice.emulator,
    );
    const driver = new HttpPlatformDriver({
      baseUrl: emulator.url,
      apiKey: emulator.partnerKey,
      log,
    });
    return { driver, emulator };
  }
  throw new Error(
    'no platform: use --with-emulator, or set TELFORM_PLATFORM_URL and TELFORM_PLATFORM_KEY',
  );
}

/**
 * The per-account limit (requests/s) the chosen platform is known to enforce: the bundled
 * emulator's own; unknown (undefined) for a vendor URL, a given driver or an unlimited emulator.
 */
export function knownPlatformRateLimit(choice: PlatformChoice): number | undefined {
  if (choice.driver || choice.platform || !choice.emulator) return undefined;
  const limit = choice.emulator === true ? undefined : choice.emulator.rateLimit;
  if (limit === null) return undefined;
  return (limit ?? defaultRateLimit).requests_per_second;
}

/**
 * The emulator the embedded default runs in-process: its state in `<dataDir>/emulator`, and a
 * partner key kept in `<dataDir>/emulator-partner.key` (0600) so that a restarted daemon still
 * reaches the accounts it made.
 */
async function startBundledEmulator(
  dataDir: string,
  options: BundledEmulatorOptions,
): Promise<RunningEmulator> {
  const { dataDir: own, ...rest } = options;
  if (own === false) return startEmulator({ port: 7421, ...rest });
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'emulator-partner.key');
  if (!existsSync(keyFile)) {
    writeFileSync(keyFile, `partner_${randomBytes(24).toString('base64url')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  }
  chmodSync(keyFile, 0o600);
  const partnerKey = readFileSync(keyFile, 'utf8').trim();
  return startEmulator({
    port: 7421,
    ...rest,
    dataDir: own ?? join(dataDir, 'emulator'),
    partnerKey,
  });
}
