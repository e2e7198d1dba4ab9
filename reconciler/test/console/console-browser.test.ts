// The console in a real browser (Debian's chromium via playwright-core) against a real daemon
// with seeded tenants: sign-in, the audit filters against the API, copy-as-JSON, drift,
// tenant isolation, no writes, sign-out.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './support/chromium.js';
import { seedConsole, type SeededConsole } from './support/seed-console.js';

let seed: SeededConsole;
let browser: Browser;
let page: Page;
let seedWindow: { from: string; to: string };
const requests: { method: string; url: string }[] = [];

/** Resolves once the page shows no "Loading…" placeholder: every fetch it made has answered. */
async function settled() {
  await page.waitForFunction(
    () =>
      document.querySelector('main, .sign-in') !== null &&
      !/Loading/.test(document.querySelector('#app')?.textContent ?? 'Loading'),
    undefined,
    { timeout: 20_000 },
  );
}

beforeAll(async () => {
  const started = new Date(Date.now() - 1000).toISOString();
  seed = await seedConsole();
  seedWindow = { from: started, to: new Date(Date.now() + 1).toISOString() };
  // The window must close before any console traffic: the first page load comes after this.
  await new Promise((r) => setTimeout(r, 5));
  browser = await launchBrowser();
  browser.context.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: seed.url,
  });
  page = await browser.context.newPage();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await seed?.dispose();
});

const api = async (path: string, token = seed.tokens.auditor) => {
  const res = await fetch(`${seed.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res;
};
const apiSeqs = async (q: string) =>
  (
    (await (await api(`/v1/audit?limit=100&${q}`)).json()) as { items: { seq: string }[] }
  ).items.map((e) => e.seq);
const shownSeqs = (p: Page) =>
  p.$$eval('table tbody tr[data-row-id]', (rows) => rows.map((r) => r.getAttribute('data-row-id')));

async function signIn(p: Page, token: string) {
  await p.goto(`${seed.url}/ui/accounts`);
  await p.getByLabel('API token').fill(token);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Waits until the audit table shows exactly `want` (the API's answer), or fails with both. */
async function expectRows(p: Page, want: string[]) {
  await expect
    .poll(() => shownSeqs(p), { timeout: 20_000, interval: 100 })
    .toEqual(want.length === 0 ? [] : want);
}

describe('console in the browser', () => {
  it('signs an auditor in with an HttpOnly, SameSite=Strict cookie, never in the page', async () => {
    await signIn(page, seed.tokens.auditor);
    expect(await page.locator('.who').textContent()).toContain('auditor (auditor)');
    const cookies = await browser.context.cookies(seed.url);
    const session = cookies.find((c) => c.name === 'telform_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('telform_session');
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(stored).not.toContain(seed.tokens.auditor);
    expect(page.url()).not.toContain(seed.tokens.auditor);
  });

  // Each case applies one filter through the page's controls and expects exactly the rows the
  // API returns for the same query. Filters are chosen to leave out the console's own reads
  // (actor `auditor`), which arrive between the page's fetch and the test's.
  const cases: {
    reason: string;
    apply: (p: Page) => Promise<void>;
    query: () => string;
  }[] = [
    {
      reason: 'event picker with a family prefix',
      apply: async (p) => {
        await p.getByLabel('Events', { exact: true }).fill('user.*');
        await p.getByLabel('Events', { exact: true }).press('Enter');
      },
      query: () => 'event=user.*',
    },
    {
      reason: 'Writes toggled off leaves reads (of user events)',
      apply: async (p) => p.getByRole('button', { name: 'Writes' }).click(),
      query: () => 'event=user.*&access=read',
    },
    {
      reason: 'resource by prefix',
      apply: async (p) => {
        await p.getByRole('button', { name: 'Clear Filters' }).click();
        await p.getByLabel('Resource').fill('user/');
        await p.getByLabel('Resource').press('Enter');
      },
      query: () => 'resource=user/',
    },
    {
      reason: 'actor by prefix',
      apply: async (p) => {
        await p.getByRole('button', { name: 'Clear Filters' }).click();
        await p.getByLabel('Actor').fill('ci-');
        await p.getByLabel('Actor').press('Enter');
      },
      query: () => 'actor=ci-',
    },
    {
      reason: 'outcome (with the actor filter still on)',
      apply: async (p) => {
        await p.getByLabel('Outcome').selectOption('failure');
      },
      query: () => 'actor=ci-&outcome=failure',
    },
    {
      reason: 'partial IP',
      apply: async (p) => {
        await p.getByRole('button', { name: 'Clear Filters' }).click();
        await p.getByLabel('IP').fill('172.16');
        await p.getByLabel('IP').press('Enter');
      },
      query: () => 'ip=172.16',
    },
    {
      reason: 'ready-made range (last 3 hours) with an event filter',
      apply: async (p) => {
        await p.getByRole('button', { name: 'Clear Filters' }).click();
        await p.getByLabel('Time range').selectOption('last_3h');
        await p.getByLabel('Events', { exact: true }).fill('seat.*');
        await p.getByLabel('Events', { exact: true }).press('Enter');
      },
      query: () => `event=seat.*&from=${new Date(Date.now() - 3 * 3_600_000).toISOString()}`,
    },
    {
      reason: 'custom from/to from the address: the seeding window, closed before the console ran',
      apply: async (p) => {
        await p.goto(
          `${seed.url}/ui/audit?from=${encodeURIComponent(seedWindow.from)}&to=${encodeURIComponent(seedWindow.to)}`,
        );
      },
      query: () => `from=${seedWindow.from}&to=${seedWindow.to}`,
    },
  ];

  it('narrows the audit rows to exactly what the API returns for each filter', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('chain-status').getByText('Audit chain verified').waitFor();
    for (const c of cases) {
      await c.apply(page);
      const want = await apiSeqs(c.query());
      expect(want.length, `${c.reason}: the seed must give this filter rows`).toBeGreaterThan(0);
      await expectRows(page, want);
    }
    // Every filter is in the address: reopening it shows the same rows.
    const address = page.url();
    const before = await shownSeqs(page);
    await page.goto(address);
    await expectRows(page, before as string[]);
  });

  it('exports the filtered set as NDJSON and copies a row as the event JSON', async () => {
    await page.goto(`${seed.url}/ui/audit?actor=ci-`);
    const want = await apiSeqs('actor=ci-');
    await expectRows(page, want);
    const href = await page.getByRole('link', { name: /Export NDJSON/ }).getAttribute('href');
    const exported = await (await page.request.get(`${seed.url}${href}`)).text();
    const lines = exported
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: string });
    expect(lines.map((e) => e.seq).reverse()).toEqual(want);

    const first = page.locator('table tbody tr[data-row-id]').first();
    const seq = await first.getAttribute('data-row-id');
    await first.getByRole('button', { name: /Copy event .* as JSON/ }).click();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as object;
    const items = (
      (await (await api('/v1/audit?actor=ci-')).json()) as { items: { seq: string }[] }
    ).items;
    expect(copied).toEqual(items.find((e) => e.seq === seq));
  });

  it('shows a drift record with desired and actual side by side', async () => {
    await page.getByRole('link', { name: 'Drift' }).click();
    const row = page.locator(`tr[data-row-id]`, { hasText: seed.aliceId });
    await row.waitFor();
    const field = row.locator('table.fields tr', { hasText: 'name' });
    expect(await field.locator('td.desired').textContent()).toBe('User alice');
    expect(await field.locator('td.actual').textContent()).toBe('Alice (renamed in console)');
  });

  it("never shows a scoped auditor another tenant's account, in the DOM or any response", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const bodies: string[] = [];
    const pending: Promise<void>[] = [];
    const collect = (r: Response) => {
      pending.push(
        r.text().then(
          (t) => void bodies.push(`${r.url()}\n${t}`),
          () => {},
        ),
      );
    };
    page.on('response', collect);
    await signIn(page, seed.tokens.acmeAuditor);
    const foreign = [seed.globex, 'Globex'];
    for (const tab of ['Accounts', 'Drift', 'Audit', 'Jobs']) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await page.locator('main h1, main .notice').first().waitFor();
      await settled();
      const html = await page.content();
      for (const f of foreign) expect(html, `${tab} page`).not.toContain(f);
    }
    await page.goto(`${seed.url}/ui/accounts`);
    await page.locator('tr[data-row-id]').first().waitFor();
    expect(await page.locator('tr[data-row-id]').count()).toBe(2); // Acme and Acme Lyon
    page.off('response', collect);
    await Promise.all(pending);
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) for (const f of foreign) expect(body).not.toContain(f);
  });

  it('says why "Load older events" failed, and lets the auditor try again', async () => {
    // The seed has fewer events than a page: the first page is given a cursor, and the first
    // request for the older page fails as an overloaded daemon would.
    let failOlder = true;
    const { next_cursor: cursor } = (await (await api('/v1/audit?actor=ci-&limit=1')).json()) as {
      next_cursor: string;
    };
    await page.route('**/v1/audit?*', async (route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.has('cursor')) {
        if (!failOlder) return route.continue();
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Unavailable', status: 503, detail: 'daemon overloaded' }),
        });
      }
      const real = await route.fetch();
      const body = (await real.json()) as { items: unknown[]; next_cursor: string | null };
      return route.fulfill({ response: real, json: { ...body, next_cursor: cursor } });
    });
    try {
      await page.goto(`${seed.url}/ui/audit?actor=ci-`);
      await settled();
      await page.getByRole('button', { name: 'Load older events' }).click();
      await expect
        .poll(() => page.getByTestId('audit-more-error').textContent(), { timeout: 20_000 })
        .toContain('daemon overloaded');
      failOlder = false;
      await page.getByRole('button', { name: 'Load older events' }).click();
      await page.getByTestId('audit-more-error').waitFor({ state: 'detached', timeout: 20_000 });
    } finally {
      await page.unroute('**/v1/audit?*');
    }
  });

  it('signs out: the cookie is gone and the API refuses the browser', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const cookies = await browser.context.cookies(seed.url);
    expect(cookies.find((c) => c.name === 'telform_session')).toBeUndefined();
    expect((await page.request.get(`${seed.url}/v1/audit`)).status()).toBe(401);
    await page.goto(`${seed.url}/ui/audit`);
    await page.getByLabel('API token').waitFor();
  });

  it('sent no write request to the API, ever', () => {
    const writes = requests.filter(
      (r) =>
        r.method !== 'GET' &&
        r.method !== 'HEAD' &&
        !/\/ui\/(session|sign-out)$/.test(new URL(r.url).pathname),
    );
    expect(requests.length).toBeGreaterThan(20);
    expect(writes).toEqual([]);
  });

  it.runIf(process.env.TELFORM_CONSOLE_SCREENSHOTS === '1')(
    'takes the README screenshots',
    async () => {
      const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'console');
      mkdirSync(dir, { recursive: true });
      await signIn(page, seed.tokens.auditor);
      const shots: [string, string][] = [
        ['accounts', '/ui/accounts'],
        ['drift', '/ui/drift?state=all'],
        ['audit', '/ui/audit?actor=ci-'],
        ['resource', `/ui/resource?kind=user&id=${seed.aliceId}`],
        ['jobs', '/ui/jobs'],
      ];
      for (const [name, path] of shots) {
        await page.goto(`${seed.url}${path}`);
        await settled();
        await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${seed.url}/ui/audit?actor=ci-`);
      await settled();
      await page.screenshot({ path: join(dir, 'audit-phone.png'), fullPage: true });
    },
  );
});
