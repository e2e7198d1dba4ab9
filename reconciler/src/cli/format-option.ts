import { Option } from 'commander';

/**
 * The one output-format flag of every `telform` command that prints data: `--format <format>`,
 * one of `formats`, `defaultFormat` when absent. Commander refuses any other value with
 * `error: option '--format <format>' argument 'x' is invalid. Allowed choices are ...` and exit
 * code 1 (a usage error), before the command runs.
 *
 *   command.addOption(formatOption(['text', 'json'], 'text'))
 */
export function formatOption<const F extends string>(
  formats: readonly F[],
  defaultFormat: F,
): Option {
  return new Option('--format <format>', `output format: ${formats.join(', ')}`)
    .choices(formats)
    .default(defaultFormat);
}
