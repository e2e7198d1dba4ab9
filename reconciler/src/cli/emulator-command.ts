import type { Command } from 'commander';
import { defaultRateLimit } from '@telform/emulator/default-rate-limit';
import type { EmulatorOptions, RunningEmulator } from '@telform/emulator';
import type { CliIo } from './cli-target.js';
import { parseEmulatorFlags } from './parse-emulator-flags.js';
import { startedByNpm, stopWithParent } from './stop-with-parent.js';
import { partnerKeyFileName, writeSecretFile } from './write-secret-file.js';
import type { EmulatorFlags } from './parse-emulator-flags.js';

/** Where `telform emulator` writes and what it does once started; replaced in tests. */
export interface EmulatorCommandIo {
  readonly env: CliIo['env'];
  /** Addresses and settings: log collectors keep stdout, so never a key. */
  out(text: string): void;
  /** Where the partner key is (or, kept in memory only, the key itself): the operator's terminal. */
  err(text: string): void;
  /** Takes over the running emulator; by default it is closed on SIGINT or SIGTERM. */
  started(emulator: RunningEmulator): void;
}

const defaultEmulatorIo: EmulatorCommandIo = {
  env: process.env,
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  started(emulator) {
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (startedByNpm(process.env)) stopWithParent(stop);
  },
};

/** `telform emulator`: starts the bundled platform emulator with the options of its flags. */
export function registerEmulatorCommand(
  program: Command,
  io: EmulatorCommandIo = defaultEmulatorIo,
): Command {
  return program
    .command('emulator')
    .description('Run the bundled telephony platform emulator on its own.')
    .option('--listen <host:port>', 'emulator address', '127.0.0.1:7421')
    .option('--data-dir <dir>', 'durable emulator state (default: in memory)')
    .option('--partner-key <key>', 'partner API key (TELFORM_PLATFORM_KEY; generated when absent)')
    .option(
      '--staff-key <key>',
      'vendor staff API key, which may create email-address domains (TELFORM_EMULATOR_STAFF_KEY; none when absent)',
    )
    .option(
      '--rate-limit <n>',
      `requests per second per account, burst of n; "off" for none (default ${defaultRateLimit.requests_per_second}, burst ${defaultRateLimit.burst})`,
    )
    .option(
      '--webhook-ca <file>',
      'PEM CA bundle trusted for webhook deliveries to https receivers',
    )
    .addHelpText(
      'after',
      '\nPrefer TELFORM_EMULATOR_STAFF_KEY to --staff-key: command lines are visible to other users (ps).\nThe rate limit can also be changed while running: PUT /_emulator/rate-limit.',
    )
    .action(async (flags: EmulatorFlags) => {
      const options = parseEmulatorFlags(flags, io.env);
      // Loaded here, not at start: `telform --help` need not load the emulator.
      const { startEmulator } = await import('@telform/emulator');
      const emulator = await startEmulator(options);
      const lines = [
        `emulator: ${emulator.url}`,
        `  export TELFORM_PLATFORM_URL=${emulator.url}`,
        `rate limit: ${describeRateLimit(options.rateLimit)}`,
      ];
      if (emulator.staffKey) lines.push(`staff key: ${maskKey(emulator.staffKey)}`);
      if (flags.webhookCa) lines.push(`webhook CA: ${flags.webhookCa}`);
      io.out(lines.join('\n') + '\n');
      io.err(partnerKeyNotice(options, emulator.partnerKey));
      io.started(emulator);
    });
}

/** A key the operator gave is not repeated; a generated one goes to a 0600 file, or to stderr. */
function partnerKeyNotice(options: EmulatorOptions, key: string): string {
  if (options.partnerKey !== undefined) {
    return 'partner key: the one given (--partner-key / TELFORM_PLATFORM_KEY)\n';
  }
  if (options.dataDir !== undefined) {
    const file = writeSecretFile(options.dataDir, partnerKeyFileName, key);
    return `partner key written to ${file} (mode 0600):\n  export TELFORM_PLATFORM_KEY="$(cat '${file}')"\n`;
  }
  return `partner key (generated, in memory only):\n  export TELFORM_PLATFORM_KEY=${key}\n`;
}

function describeRateLimit(limit: EmulatorOptions['rateLimit']): string {
  if (limit === null) return 'off';
  const { requests_per_second: rps, burst } = limit ?? defaultRateLimit;
  return `${rps} requests/s per account (burst ${burst})`;
}

/** The staff key is a secret the operator already has: show only enough to recognise it. */
function maskKey(key: string): string {
  return key.length >= 16 ? `set (…${key.slice(-4)})` : 'set';
}
