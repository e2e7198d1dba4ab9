// The console `npm run build` prebuilds into dist/console: the same bytes as a build from
// source (so it cannot go stale unnoticed), its sources in the freshness list bin/telform.js
// checks, and the bundled daemon serving those files rather than building its own. The same
// build writes dist/pgdata-template, which the bundled daemon copies a new data directory from.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../src/cli/bundle-cli.js';
import { readConsoleBundle, writeConsoleBundle } from '../../src/api/console/console-assets.js';
import { buildConsoleBundle, consoleAppDir } from '../../src/api/console/console-bundle.js';
import { isCurrentTemplate, PGDATA_TEMPLATE } from '../../src/store/pgdata-template.js';
import { spawnServe, type ServeProcess } from '../cli/serve-process.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so the bundle finds node_modules as an installed package would.
const out = join(root, '.gen', `console-prebuilt-${process.pid}`);
let serve: ServeProcess | undefined;

beforeAll(async () => {
  await bundleCli(join(out, 'dist'));
}, 240_000);
afterAll(async () => {
  await serve?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('the prebuilt console', () => {
  it('is byte for byte what a build from the sources gives', async () => {
    const prebuilt = await readConsoleBundle(join(out, 'dist', 'console'));
    const fresh = await buildConsoleBundle();
    expect(prebuilt.js.name).toBe(fresh.js.name);
    expect(prebuilt.css.name).toBe(fresh.css.name);
    expect(prebuilt.js.text === fresh.js.text).toBe(true);
    expect(prebuilt.css.text === fresh.css.text).toBe(true);
    expect(readdirSync(join(out, 'dist', 'console')).sort()).toEqual(
      [fresh.css.name, fresh.js.name, 'manifest.json'].sort(),
    );
  });

  it("lists every console source among the bundle's inputs, so a newer one is noticed", async () => {
    const { inputs } = JSON.parse(
      await readFile(join(out, 'dist', 'cli', 'inputs.json'), 'utf8'),
    ) as { inputs: string[] };
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)],
      );
    const want = sources(join(consoleAppDir, 'src'))
      .filter((f) => !f.endsWith('.d.ts'))
      .map((f) => relative(root, f));
    expect(want.length).toBeGreaterThan(10);
    expect(inputs).toEqual(expect.arrayContaining(want));
  });

  it('is what the bundled daemon serves (it builds nothing itself), as the template is what it copies', async () => {
    // A marker no initdb writes: the daemon's new pgdata holds it only if copied from dist/.
    const template = join(out, 'dist', PGDATA_TEMPLATE);
    expect(isCurrentTemplate(template)).toBe(true);
    writeFileSync(join(template, 'telform-built-marker'), '');
    // A marked bundle in place of the real one: only a daemon reading dist/console shows it.
    const dir = join(out, 'dist', 'console');
    rmSync(dir, { recursive: true });
    const marked = await buildConsoleBundle();
    const js = { name: 'app-prebuiltmarker1.js', text: `/* marker */${marked.js.text}` };
    await writeConsoleBundle(dir, { js, css: { ...marked.css, name: 'app-prebuiltmarker2.css' } });
    const state = join(out, 'state');
    mkdirSync(state, { recursive: true });
    serve = await spawnServe(process.execPath, [join(out, 'dist', 'cli', 'telform.mjs')], state);
    const page = await (await fetch(`${serve.apiUrl}/ui/audit`)).text();
    expect(page).toContain('/ui/assets/app-prebuiltmarker1.js');
    expect(page).toContain('/ui/assets/app-prebuiltmarker2.css');
    const served = await fetch(`${serve.apiUrl}/ui/assets/app-prebuiltmarker1.js`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect((await served.text()) === js.text).toBe(true);
    expect(existsSync(join(state, 'pgdata', 'telform-built-marker'))).toBe(true);
  }, 120_000);
});
