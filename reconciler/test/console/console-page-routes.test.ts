// The console's page, files and session answers: the console CSP on every one of them (errors
// included), never cached except the content-hashed files, which are cached for good.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleAssets } from '../../src/api/console/console-assets.js';
import { consoleCsp } from '../../src/api/console/console-csp.js';
import { IMMUTABLE } from '../../src/api/console/console-page-routes.js';
import { sessionHeader, startConsoleApp, type ConsoleApp } from './support/console-app.js';

let c: ConsoleApp;
let auditor: string;
let files: { js: string; css: string };

beforeAll(async () => {
  c = await startConsoleApp();
  auditor = await c.token('auditor');
  const bundle = await consoleAssets();
  files = { js: bundle.js.name, css: bundle.css.name };
}, 60_000);
afterAll(() => c?.close());

describe('console page and files', () => {
  const cases: {
    reason: string;
    method?: 'GET' | 'POST';
    url: () => string;
    status: number;
    type: RegExp;
    cache: string;
    signedIn?: boolean;
  }[] = [
    {
      reason: 'the console root',
      url: () => '/ui',
      status: 200,
      type: /text\/html/,
      cache: 'no-store',
    },
    {
      reason: 'a deep link with filters answers the same page',
      url: () => '/ui/audit?actor=ci-&outcome=failure',
      status: 200,
      type: /text\/html/,
      cache: 'no-store',
    },
    {
      reason: 'the script, named by its hash',
      url: () => `/ui/assets/${files.js}`,
      status: 200,
      type: /text\/javascript/,
      cache: IMMUTABLE,
    },
    {
      reason: 'the stylesheet, named by its hash',
      url: () => `/ui/assets/${files.css}`,
      status: 200,
      type: /text\/css/,
      cache: IMMUTABLE,
    },
    {
      reason:
        "an old build's file is a 404, never the page (a cached page must not get HTML as script)",
      url: () => '/ui/assets/app-0000000000000000.js',
      status: 404,
      type: /problem\+json/,
      cache: 'no-store',
    },
    {
      reason: 'who is signed in: nobody',
      url: () => '/ui/session',
      status: 401,
      type: /problem\+json/,
      cache: 'no-store',
    },
    {
      reason: 'who is signed in: the auditor',
      url: () => '/ui/session',
      signedIn: true,
      status: 200,
      type: /application\/json/,
      cache: 'no-store',
    },
    {
      reason: 'sign-in refused',
      method: 'POST',
      url: () => '/ui/session',
      status: 422,
      type: /problem\+json/,
      cache: 'no-store',
    },
    {
      reason: 'sign-out',
      method: 'POST',
      url: () => '/ui/sign-out',
      status: 204,
      type: /.*/,
      cache: 'no-store',
    },
  ];
  it.each(cases)('$reason: $status, CSP, cache $cache', async (t) => {
    const res = await c.app.inject({
      method: t.method ?? 'GET',
      url: t.url(),
      ...(t.signedIn ? { headers: sessionHeader(auditor) } : {}),
      ...(t.method === 'POST' ? { payload: {} } : {}),
    });
    expect(res.statusCode).toBe(t.status);
    expect(String(res.headers['content-type'] ?? '')).toMatch(t.type);
    expect(res.headers['cache-control']).toBe(t.cache);
    // The page's policy on /ui, helmet's stricter one (nothing may load) on the JSON answers.
    const csp = String(res.headers['content-security-policy']);
    if (t.url().startsWith('/ui/session') || t.url() === '/ui/sign-out')
      expect(csp).toMatch(/default-src 'none'/);
    else expect(csp).toBe(consoleCsp);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('names the current hashed files in the page, and each name is its content hash', async () => {
    const html = (await c.app.inject({ url: '/ui' })).body;
    expect(html).toContain(`<script type="module" src="/ui/assets/${files.js}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/ui/assets/${files.css}">`);
    expect(html).not.toMatch(/<script>|<style>|style=|https?:\/\//);
    for (const name of [files.js, files.css]) {
      const body = (await c.app.inject({ url: `/ui/assets/${name}` })).body;
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
      expect(name).toMatch(new RegExp(`^app-${hash}\\.(js|css)$`));
    }
  });

  it('keeps API answers the console reads out of caches too', async () => {
    for (const url of ['/v1/accounts', '/v1/drift/history', '/v1/audit']) {
      const res = await c.app.inject({ url, headers: sessionHeader(auditor) });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });
});
