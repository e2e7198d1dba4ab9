import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { codeCachePath, runWithCodeCache } from '../../src/launch/run-with-code-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'telform-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

declare global {
  var __codeCacheRuns: Array<{ filename: string; dirname: string; builtin: boolean }> | undefined;
}

describe('runWithCodeCache', () => {
  const bundle = join(dir, 'bundle.cjs');
  writeFileSync(
    bundle,
    `(globalThis.__codeCacheRuns ??= []).push({ filename: __filename, dirname: __dirname,
      builtin: typeof require('node:path').join === 'function' });
     module.exports = { answer: 42 };\n`,
  );
  const cacheDir = join(dir, 'cache');
  const env = { TELFORM_PROVIDER_CODE_CACHE: cacheDir };

  it('runs the bundle as CommonJS, then writes its cache for the next launch, which uses it', async () => {
    expect(runWithCodeCache(bundle, env, 0)).toBe('missing');
    expect(globalThis.__codeCacheRuns?.[0]).toEqual({
      filename: bundle,
      dirname: dir,
      builtin: true,
    });
    const cache = codeCachePath(bundle, env)!;
    await vi.waitUntil(() => existsSync(cache), { timeout: 20_000, interval: 10 });
    expect(runWithCodeCache(bundle, env, 0)).toBe('used');
    expect(globalThis.__codeCacheRuns).toHaveLength(2);
    // Written whole, through a temporary file that does not stay behind.
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('compiles from source when the cache does not fit (another V8, a damaged file), and replaces it', async () => {
    // Another source: V8 holds the first one compiled already in this process.
    const other = join(dir, 'other.cjs');
    writeFileSync(other, 'module.exports = { other: true };\n');
    const cache = codeCachePath(other, env)!;
    writeFileSync(cache, 'not a V8 code cache');
    expect(runWithCodeCache(other, env, 0)).toBe('rejected');
    await vi.waitUntil(() => runWithCodeCache(other, env, 0) === 'used', {
      timeout: 20_000,
      interval: 10,
    });
  });

  it('is off with TELFORM_PROVIDER_CODE_CACHE=off, and a cache it cannot write costs nothing but speed', () => {
    expect(runWithCodeCache(bundle, { TELFORM_PROVIDER_CODE_CACHE: 'off' }, 0)).toBe('off');
    const unwritable = join(bundle, 'not-a-dir');
    expect(runWithCodeCache(bundle, { TELFORM_PROVIDER_CODE_CACHE: unwritable }, 0)).toBe(
      'missing',
    );
  });

  it('keys the cache by node version and the bundle, outside the provider folder by default', () => {
    const path = codeCachePath(bundle, { XDG_CACHE_HOME: '/somewhere' })!;
    expect(path.startsWith('/somewhere/telform/provider/')).toBe(true);
    expect(path).toContain(process.version);
  });
});
