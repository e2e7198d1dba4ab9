import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the code cache of the bundle `file` lives, or undefined when off
 * (`TELFORM_PROVIDER_CODE_CACHE=off`). Outside the provider's own folder: the lock file's hash
 * covers that folder, so nothing may be written there after install. Keyed by the bundle's size
 * and time and by node's version and architecture, since a cache fits only the V8 that made it
 * (V8 checks too, and rejects a cache that does not fit).
 */
export function codeCachePath(file: string, env: Env = process.env): string | undefined {
  const setting = env.TELFORM_PROVIDER_CODE_CACHE;
  if (setting === 'off') return undefined;
  const dir =
    setting || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'telform', 'provider');
  const { size, mtimeMs } = statSync(file);
  const key = [process.version, process.arch, size, Math.floor(mtimeMs)].join('-');
  return join(dir, `provider-${key}.v8cache`);
}

/** How a launch compiled: from a fitting cache, from source (none yet, or it no longer fit), or with the cache off. */
export type CodeCacheUse = 'used' | 'missing' | 'rejected' | 'off';

/**
 * Runs the CommonJS bundle `file` with a V8 code cache (Node 20 has no module compile cache):
 * compiled from the cache when one fits, else compiled from source and, `writeAfterMs` later
 * (once the handshake and first calls have compiled the functions they run), its cache written
 * for the next launch. Terraform starts the provider 3-5 times per command; each launch then
 * skips most of the parsing and compiling of the bundle. A cache that cannot be read or written
 * only costs that saving.
 */
export function runWithCodeCache(
  file: string,
  env: Env = process.env,
  writeAfterMs = 1_000,
): CodeCacheUse {
  const source = readFileSync(file, 'utf8');
  let cachePath: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    cachePath = codeCachePath(file, env);
    if (cachePath) cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (!cachePath) return 'off';
  if (cachedData && !script.cachedDataRejected) return 'used';
  const target = cachePath;
  setTimeout(() => {
    try {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      // Whole or not at all: a launch reading meanwhile sees the old file or the new one.
      const partial = `${target}.${process.pid}.tmp`;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      renameSync(partial, target);
    } catch {
      // Read-only home, full disk: launches stay as fast as without a cache.
    }
  }, writeAfterMs).unref();
  return cachedData ? 'rejected' : 'missing';
}
