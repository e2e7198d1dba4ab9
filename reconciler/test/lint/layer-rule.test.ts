import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages ESLint reports for `code` as if it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths')
    .map((m) => m.message);
}

// Each case is an import a newcomer might write; the rule must tell the allowed from the rest.
const cases = [
  {
    why: 'the store is a foundation: it may not depend on a feature built over it',
    path: 'reconciler/src/store/fixture.ts',
    code: "import type { DriftScanner } from '../drift/drift-scanner.js';\nexport type T = DriftScanner;\n",
    allowed: false,
  },
  {
    why: 'a feature may not reach up into the HTTP edge (the old auth -> api arrow)',
    path: 'reconciler/src/auth/fixture.ts',
    code: "import { problem } from '../api/problem.js';\nexport const p = problem;\n",
    allowed: false,
  },
  {
    why: 'siblings of one layer stay independent (audit and notifications)',
    path: 'reconciler/src/audit/fixture.ts',
    code: "import type { NotificationDispatcher } from '../notifications/notification-dispatcher.js';\nexport type T = NotificationDispatcher;\n",
    allowed: false,
  },
  {
    why: 'the emulator is another process: it may not import the daemon',
    path: 'emulator/src/fixture.ts',
    code: "import { StoreError } from '../../reconciler/src/store/store-error.js';\nexport const e = StoreError;\n",
    allowed: false,
  },
  {
    why: 'downward imports are the normal case: a feature uses the store',
    path: 'reconciler/src/drift/fixture.ts',
    code: "import { StoreError } from '../store/store-error.js';\nexport const e = StoreError;\n",
    allowed: true,
  },
  {
    why: 'the HTTP edge may use any feature',
    path: 'reconciler/src/api/fixture.ts',
    code: "import type { DriftScanner } from '../drift/drift-scanner.js';\nexport type T = DriftScanner;\n",
    allowed: true,
  },
];

describe('layer rule (eslint-layers.js)', () => {
  it.each(cases)('$why', async ({ path, code, allowed }) => {
    const errors = await layerErrors(path, code);
    if (allowed) expect(errors).toEqual([]);
    else
      expect(errors).toEqual([
        expect.stringMatching(/lower layers only|another package's sources/),
      ]);
  });
});
