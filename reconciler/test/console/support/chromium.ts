// Headless Chromium for the console's browser tests: Debian's `chromium` driven by
// playwright-core (which downloads no browser of its own), installed with apt when missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, isolated browser: no network of its own, no GPU, no sandbox (root in CI). */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Debian's chromium when it is missing (the tests run as root, as the CI does). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export interface BrowserOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * A browser on a new, empty profile (`--user-data-dir` in a mkdtemp folder, removed on close):
 * no cookie or storage survives from one test file to the next.
 */
export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'telform-chromium-'));
  // Playwright passes the profile as --user-data-dir itself and refuses it among `args`.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumFlags,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
