import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/generate.js';

describe('generated code', () => {
  it('compiles under the repository tsconfig: types, CDKTF constructs and the example using them', () => {
    // examples/tsconfig.json extends the root one (strict, NodeNext, noImplicitOverride) and
    // includes schemas/generated, so the constructs are checked even where nothing imports them.
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', 'examples/tsconfig.json'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr, 'tsc -p examples/tsconfig.json').toBe('');
    expect(run.status).toBe(0);
  });
});
