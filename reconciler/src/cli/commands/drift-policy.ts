import type { Command } from 'commander';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';
import { IGNORE_PATTERN_SOURCE } from '../../drift/ignore-fields.js';

interface SetOptions {
  mode?: string;
  ignore?: string;
  scanInterval?: string;
}

const modes = ['report', 'correct', 'inherit'];
const ignorePattern = new RegExp(IGNORE_PATTERN_SOURCE);

/**
 * `telform drift policy get|set <target_id>`: the drift policy of an account, sub-account or
 * resource on a running daemon (TELFORM_ENDPOINT, TELFORM_TOKEN), as JSON. `set` changes only
 * the parts it is given and keeps the others; the daemon audits the change with its target.
 */
export function registerDriftPolicyCommand(drift: Command, io: CliIo = defaultIo): Command {
  const policy = drift
    .command('policy')
    .description('Read or change a drift policy (report/correct, ignored fields)');
  const api = () => apiTarget(io.env, 'drift policy');
  const path = (id: string) => `/v1/drift/policies/${encodeURIComponent(id)}`;
  const current = async (id: string) => {
    try {
      return (await api().call('GET', path(id))) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('404 no drift policy for'))
        return undefined;
      throw err;
    }
  };

  policy
    .command('get <target_id>')
    .description('Print the policy stored for a target (the defaults when none is)')
    .action(
      cliAction(io, async (id: string) => {
        const found = await current(id);
        const shown = found ?? {
          target_id: id,
          mode: null,
          ignore_fields: [],
          scan_interval_seconds: null,
          stored: false,
        };
        io.out(`${JSON.stringify(shown, null, 2)}\n`);
      }),
    );

  policy
    .command('set <target_id>')
    .description('Create or change the policy of a target; unnamed parts are kept')
    .option('--mode <mode>', 'report, correct, or inherit (from the owning accounts)')
    .option('--ignore <fields>', 'comma-separated dotted paths never compared ("" for none)')
    .option('--scan-interval <seconds>', 'accounts only: seconds between scheduled scans, 60-86400')
    .action(
      cliAction(io, async (id: string, options: SetOptions) => {
        if (options.mode !== undefined && !modes.includes(options.mode))
          return io.fail('--mode must be report, correct or inherit');
        const ignore = options.ignore
          ?.split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '');
        const bad = ignore?.find((f) => !ignorePattern.test(f));
        if (bad !== undefined)
          return io.fail(
            `--ignore: "${bad}" is not a dotted attribute path (segments of a-z, 0-9, _ or *)`,
          );
        const interval =
          options.scanInterval === undefined ? undefined : Number(options.scanInterval);
        if (
          interval !== undefined &&
          (!Number.isInteger(interval) || interval < 60 || interval > 86_400)
        )
          return io.fail('--scan-interval must be an integer from 60 to 86400');
        if (options.mode === undefined && ignore === undefined && interval === undefined)
          return io.fail('nothing to set: give --mode, --ignore or --scan-interval');
        const before = await current(id);
        const body = {
          mode:
            options.mode === undefined
              ? (before?.mode ?? null)
              : options.mode === 'inherit'
                ? null
                : options.mode,
          ignore_fields: ignore ?? before?.ignore_fields ?? [],
          scan_interval_seconds: interval ?? before?.scan_interval_seconds ?? null,
        };
        const saved = await api().call('PUT', path(id), body);
        io.out(`${JSON.stringify(saved, null, 2)}\n`);
      }),
    );
  return policy;
}
