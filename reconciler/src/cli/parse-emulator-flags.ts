import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EmulatorOptions } from '@telform/emulator';
import { parseListen } from './parse-listen.js';

/** The flags of `telform emulator`, as commander hands them over. */
export interface EmulatorFlags {
  readonly listen: string;
  readonly dataDir?: string;
  readonly partnerKey?: string;
  readonly staffKey?: string;
  readonly rateLimit?: string;
  readonly webhookCa?: string;
}

/** The largest `--rate-limit`; the emulator's admin API has the same ceiling. */
const MAX_RATE = 1_000_000;

/**
 * Turns `telform emulator` flags (and their environment fallbacks, TELFORM_PLATFORM_KEY and
 * TELFORM_EMULATOR_STAFF_KEY) into emulator options. Throws an Error naming the flag and the
 * rule on bad input; key values never appear in its messages.
 *
 * `--rate-limit n` is n requests per second per account with a burst of n (n requests in any
 * second pass, the next is refused with 429); `off` disables the limit. `--webhook-ca` is read
 * here, so a missing or non-PEM file fails at start, not at the first https delivery.
 */
export function parseEmulatorFlags(
  flags: EmulatorFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): EmulatorOptions {
  const { host, port } = parseListen(flags.listen, '--listen');
  // An empty environment variable counts as unset; an empty flag is a mistake worth naming.
  const partnerKey = flags.partnerKey ?? (env.TELFORM_PLATFORM_KEY || undefined);
  const staffKey = flags.staffKey ?? (env.TELFORM_EMULATOR_STAFF_KEY || undefined);
  if (partnerKey !== undefined) checkKey(partnerKey, '--partner-key / TELFORM_PLATFORM_KEY');
  if (staffKey !== undefined) {
    checkKey(staffKey, '--staff-key / TELFORM_EMULATOR_STAFF_KEY');
    // The partner key wins when both match, so the staff powers would silently be lost.
    if (staffKey === partnerKey) {
      throw new Error('--staff-key: must differ from the partner key');
    }
  }
  return {
    host,
    port,
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(partnerKey !== undefined ? { partnerKey } : {}),
    ...(staffKey !== undefined ? { staffKey } : {}),
    ...(flags.rateLimit !== undefined ? { rateLimit: parseRateLimit(flags.rateLimit) } : {}),
    ...(flags.webhookCa !== undefined ? { webhookCa: readCaBundle(flags.webhookCa) } : {}),
  };
}

/** A key goes into `Authorization: Bearer <key>`: non-empty, printable, no spaces. */
function checkKey(key: string, source: string): void {
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new Error(
      `${source}: must be non-empty printable ASCII without spaces (it is sent as a bearer token)`,
    );
  }
}

function parseRateLimit(value: string): EmulatorOptions['rateLimit'] {
  if (value.trim().toLowerCase() === 'off') return null;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_RATE) {
    throw new Error(
      `--rate-limit: expected requests per second per account, a whole number from 1 to ${MAX_RATE}, or "off", got "${value}"`,
    );
  }
  return { requests_per_second: n, burst: n };
}

/** Reads a PEM bundle and checks that every certificate in it parses. */
function readCaBundle(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`--webhook-ca: cannot read "${path}" (${code})`, { cause: err });
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) {
    throw new Error(
      `--webhook-ca: "${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  blocks.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw new Error(`--webhook-ca: certificate ${i + 1} in "${path}" is not a valid X.509 PEM`, {
        cause: err,
      });
    }
  });
  return blocks.join('\n') + '\n';
}
