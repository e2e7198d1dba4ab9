/**
 * PGlite's settings for telform's embedded store. shared_buffers at 8 MB, not PGlite's 160 MB:
 * PostgreSQL touches every buffer page when it starts (in WebAssembly they are linear memory,
 * resident for good: 48 MiB of the instance's memory at start with 32 MB of buffers, 22 MiB with
 * 8), while the data files sit in the OS page cache anyway, so a page not in the buffers costs a
 * read from memory. A 100,000-resource drift scan took the same CPU with 4, 8, 16 or 32 MB (its
 * rows never fit; docs/benchmarks.md "Memory"). wal_buffers is pinned at the 1 MB it was under
 * 32 MB of shared_buffers (the default is 1/32 of them), so writes flush as often as before.
 */
export const pgliteSettings: readonly string[] = [
  '-c',
  'shared_buffers=8MB',
  '-c',
  'wal_buffers=1MB',
];
