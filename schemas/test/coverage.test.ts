import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../src/catalog.js';
import { vendorDocuments } from '../src/coverage-behaviours.js';
import { generateCoverage } from '../src/generate-coverage.js';
import { repositoryRoot } from '../src/generate.js';

// docs/coverage.md itself is guarded by generate.test.ts (regenerated and compared); these
// cases pin what the page promises about the vendor documents.
describe('vendor coverage', () => {
  it('covers the five vendor documents', () => {
    expect(vendorDocuments.map((d) => d.file.slice(0, 3))).toEqual([
      '000',
      '001',
      '002',
      '003',
      '004',
    ]);
  });

  it('names only test files that exist, so "proved by" can be followed', async () => {
    const missing: string[] = [];
    for (const doc of vendorDocuments) {
      for (const item of doc.items) {
        for (const test of item.tests) {
          await access(join(repositoryRoot, test)).catch(() =>
            missing.push(`${item.item}: ${test}`),
          );
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every item is covered by a test, or says why it is left out', () => {
    const bare = vendorDocuments
      .flatMap((d) => d.items)
      .filter((i) => i.tests.length === 0 && !i.leftOut)
      .map((i) => i.item);
    expect(bare).toEqual([]);
  });

  it('refuses an item naming an attribute the schemas do not have', () => {
    // Without the kind the generator cannot resolve `user.dial_in_pin`: a renamed attribute
    // fails generation instead of leaving a stale line on the page.
    const withoutUser = catalog.filter((k) => k.kind !== 'user');
    expect(() => generateCoverage(withoutUser)).toThrow(
      /user\.[a-z_.]+ is not a kind or attribute/,
    );
  });
});
