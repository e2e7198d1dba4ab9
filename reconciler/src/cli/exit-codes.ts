/**
 * Exit codes of every `telform` command: 0 success, 1 failure (the message on stderr names the
 * setting or input to fix), 2 usage error (unknown command or option, bad option value), 3 drift
 * found (`telform drift`), 4 the webhook endpoint did not answer 2xx (`telform webhook test` and
 * `retry`: telform asked, the receiver failed), 130 a second SIGINT/SIGTERM forced the exit.
 */
export const exitCodes = {
  success: 0,
  failure: 1,
  usage: 2,
  driftFound: 3,
  deliveryFailed: 4,
  forced: 130,
} as const;
