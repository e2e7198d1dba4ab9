// The console in a real browser, for what changes under it: who changed a drifted field on the
// platform (Drift and Resource pages, against the API's record), new audit events announced
// without moving the rows shown, and the Audit page at desktop and phone widths.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import { launchBrowser, type Browser } from './support/chromium.js';
import { seedConsole, type SeededConsole } from './support/seed-console.js';

let seed: SeededConsole;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  seed = await seedConsole();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(`${seed.url}/ui/accounts`);
  await page.getByLabel('API token').fill(seed.tokens.auditor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await seed?.dispose();
});

const shownSeqs = (p: Page) =>
  p.$$eval('table tbody tr[data-row-id]', (rows) => rows.map((r) => r.getAttribute('data-row-id')));

async function aliceRecord() {
  const res = await fetch(`${seed.url}/v1/drift?account_id=${seed.acme}&kind=user`, {
    headers: { authorization: `Bearer ${seed.tokens.auditor}` },
  });
  const records = (await res.json()).records as {
    resource_id: string;
    platform_change: { actor: string; at: string; ip: string | null; event: string } | null;
  }[];
  return records.find((r) => r.resource_id === seed.aliceId)!;
}

describe('console, live', () => {
  it("shows who changed a drifted field on the platform, as the API's record says", async () => {
    const change = (await aliceRecord()).platform_change;
    // The seed renames Alice in the vendor's console: the platform's log names that change.
    expect(change).not.toBeNull();
    await page.getByRole('link', { name: 'Drift', exact: true }).click();
    const row = page.locator('tr[data-row-id]', { hasText: seed.aliceId });
    await row.waitFor({ timeout: 20_000 });
    const cell = row.locator('.platform-change');
    expect(await cell.locator('.actor').textContent()).toBe(change!.actor);
    expect(await cell.locator('.event').textContent()).toBe(change!.event);
    expect(await cell.locator('time').getAttribute('datetime')).toBe(change!.at);

    await page.goto(`${seed.url}/ui/resource?kind=user&id=${seed.aliceId}`);
    const drift = page.locator('table', {
      has: page.locator('caption', { hasText: 'Drift records' }),
    });
    await drift.locator('tr[data-row-id]').first().waitFor({ timeout: 20_000 });
    const field = drift.locator('table.fields tr', { hasText: 'name' });
    expect(await field.locator('td.desired').textContent()).toBe('User alice');
    expect(await field.locator('td.actual').textContent()).toBe('Alice (renamed in console)');
    expect(await drift.locator('.platform-change .actor').textContent()).toBe(change!.actor);
  });

  it('announces new events without moving the rows shown, and shows them on request (keyboard)', async () => {
    await page.goto(`${seed.url}/ui/audit?actor=ci-`);
    await page.locator('tr[data-row-id]').first().waitFor({ timeout: 20_000 });
    const before = await shownSeqs(page);
    const audit = new AuditStore(seed.logged.daemon.database.db);
    await audit.record({
      event: 'user.update',
      access: 'write',
      resource: `user/${seed.aliceId}`,
      accountId: seed.acme,
      actor: 'ci-late',
      outcome: 'success',
      ip: '10.9.9.9',
    });
    const notice = page.getByTestId('new-events');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('1 new event since');
    expect(await shownSeqs(page)).toEqual(before);
    await notice.getByRole('button', { name: 'Show new events' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shownSeqs(page), { timeout: 20_000 }).toHaveLength(before.length + 1);
    const after = await shownSeqs(page);
    expect(after.slice(1)).toEqual(before);
    expect(await page.locator('tr[data-row-id]').first().textContent()).toContain('ci-late');
    await notice.waitFor({ state: 'detached', timeout: 20_000 });
  });

  // Readable: no sideways scrolling of the page itself (wide tables scroll in their own box),
  // and the filters and the first row in view. Screenshots land in docs/console/.
  it.each([
    { name: 'audit', width: 1280, height: 900 },
    { name: 'audit-phone', width: 390, height: 844 },
  ])('lays the Audit page out at $width px', async ({ name, width, height }) => {
    await page.setViewportSize({ width, height });
    await page.goto(`${seed.url}/ui/audit?actor=ci-`);
    await page.locator('tr[data-row-id]').first().waitFor({ timeout: 20_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    for (const name of ['range', 'event', 'actor', 'outcome'])
      expect(await page.locator(`[name=${name}]`).isVisible(), name).toBe(true);
    if (process.env.TELFORM_CONSOLE_SCREENSHOTS === '1') {
      const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'console');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    }
  });
});
