// The installed provider as Terraform starts it: the launcher runs the CommonJS bundle, answers
// the handshake, and from the second launch on compiles from the V8 code cache it wrote.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { magicCookieKey, magicCookieValue } from '../../src/handshake/handshake-line.js';
import { createSelfSignedCertificate } from '../../src/handshake/self-signed-certificate.js';
import { installProvider, type Installed } from '../../src/install/install-provider.js';

const dir = mkdtempSync(join(tmpdir(), 'telform-installed-'));
const cacheDir = join(dir, 'code-cache');
let installed: Installed;
beforeAll(async () => {
  const options = { mirror: join(dir, 'mirror'), cliConfig: join(dir, 'telform.tfrc') };
  installed = await installProvider(options);
  // A file an earlier telform left there (its ESM bundle) goes on reinstall.
  writeFileSync(join(installed.packageDir, 'provider.mjs'), '// an earlier layout\n');
  installed = await installProvider(options);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the executable; resolves with the handshake line and the stderr seen by then. */
function launch(extra: Record<string, string>): Promise<{ line: string; stderr: string }> {
  const child = spawn(installed.executable, [], {
    env: {
      ...process.env,
      [magicCookieKey]: magicCookieValue,
      PLUGIN_CLIENT_CERT: createSelfSignedCertificate().certPem,
      PLUGIN_PROTOCOL_VERSIONS: '6',
      TELFORM_PROVIDER_CODE_CACHE: cacheDir,
      ...extra,
    },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('\n')) return;
      // Give the cache its write (1 s after start) before the process goes.
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ line: out.split('\n')[0]!, stderr });
      }, 1_500);
    });
    child.once('exit', (code) => {
      if (!out.includes('\n'))
        reject(new Error(`exited with ${code} before the handshake: ${stderr}`));
    });
  });
}

describe('the installed provider', () => {
  it('ships the launcher, the bundle and the protocol, and nothing writes beside them later', async () => {
    expect(readdirSync(installed.packageDir).sort()).toEqual(
      [
        'launch.cjs',
        'protocol.json',
        'provider.cjs',
        installed.executable.split('/').pop()!,
      ].sort(),
    );
  });

  it('answers the handshake, then launches from the code cache it wrote', async () => {
    const first = await launch({ TF_LOG: 'TRACE' });
    expect(first.line).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|/);
    expect(first.stderr).toContain('[TRACE] telform: code cache missing');
    expect(existsSync(cacheDir) && readdirSync(cacheDir).some((f) => f.endsWith('.v8cache'))).toBe(
      true,
    );
    const second = await launch({ TF_LOG: 'TRACE' });
    expect(second.line).toMatch(/^1\|6\|tcp\|/);
    expect(second.stderr).toContain('[TRACE] telform: code cache used');
    // Nothing is written to the provider's folder, whose hash the lock file holds.
    expect(readdirSync(installed.packageDir)).toHaveLength(4);
  });

  it('says nothing on stderr when Terraform did not ask for logs', async () => {
    const quiet = await launch({ TF_LOG: '', TF_LOG_PROVIDER: '' });
    expect(quiet.stderr).toBe('');
  });
});
