#!/usr/bin/env node
// The `telform` command. It runs the esbuild bundle in dist/cli (built by `npm run build`, and by
// npm on `npm install` and `npm pack`): plain JavaScript, so `telform --help` starts at once. In a
// source checkout a bundle older than one of its sources is never run: the TypeScript sources
// run through tsx instead (slower to start, always current) until the next `npm run build`.
import { readFileSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const bundle = new URL('dist/cli/telform.mjs', root);

function bundleIsCurrent() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const { inputs } = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
  for (const input of inputs) {
    // An installed package holds no sources: nothing to be newer than the bundle.
    const source = statSync(fileURLToPath(new URL(input, root)), { throwIfNoEntry: false });
    if (source && source.mtimeMs > built) return false;
  }
  return true;
}

if (bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
