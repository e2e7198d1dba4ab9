/**
 * Exit codes of every `telform` command. What each means is `exitCodeMeanings` below, which
 * docs/cli.md is generated from.
 */
export const exitCodes = {
  success: 0,
  failure: 1,
  usage: 2,
  driftFound: 3,
  deliveryFailed: 4,
  forced: 130,
} as const;

/** What each exit code tells a script, as docs/cli.md says it. */
export const exitCodeMeanings: Record<keyof typeof exitCodes, string> = {
  success: 'success (also `--help` and `--version`)',
  failure:
    'failure: the message on stderr names the setting or input to fix (a daemon that cannot be reached, a refused token, a request the API rejected)',
  usage:
    'usage error: unknown command or option, a missing required option, an option value outside its choices',
  driftFound:
    '`telform drift` only: the report found open drift or an unmanaged object (CI can tell it from a failure)',
  deliveryFailed:
    '`telform webhook test` and `retry` only: telform asked, but the receiver did not answer 2xx',
  forced: 'a second SIGINT or SIGTERM forced the exit before a graceful shutdown finished',
};
