/**
 * PGlite's settings for telform's embedded store. shared_buffers at 32 MB, not PGlite's 160 MB:
 * the data files sit in the OS page cache anyway, and every buffer page touched stays in the
 * daemon's RSS for good (a 100,000-resource store fills the default; a drift scan costs the same
 * CPU either way: docs/benchmarks.md "Memory").
 */
export const pgliteSettings: readonly string[] = ['-c', 'shared_buffers=32MB'];
