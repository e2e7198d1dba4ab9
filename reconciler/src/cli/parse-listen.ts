/** `host:port` (IPv6 in brackets) as TELFORM_LISTEN and --listen take it. */
export function parseListen(value: string, source: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535) {
    throw new Error(`${source}: expected host:port such as 127.0.0.1:7420, got "${value}"`);
  }
  return { host: (match[1] ?? match[2])!, port };
}
