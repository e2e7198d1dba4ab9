// Terraform's level names (hclog); any other value set means TRACE, as Terraform reads it.
const belowTrace = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF']);

/**
 * Whether Terraform shows this provider's TRACE lines: TF_LOG_PROVIDER when set, else TF_LOG
 * (Terraform passes its environment on to the plugin). Unset, empty or a level above TRACE: no,
 * so a plan does not format and write a line per RPC that Terraform would throw away.
 */
export function traceRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  const level = env.TF_LOG_PROVIDER || env.TF_LOG;
  if (!level) return false;
  return !belowTrace.has(level.trim().toUpperCase());
}
