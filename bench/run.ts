// `npm run bench [-- NAME ...]`: runs the benchmarks in bench/*.bench.ts (all, or those named)
// and rewrites their sections of docs/benchmarks.md, keeping the sections of benchmarks not run
// this time. Each section is written as soon as its benchmark finishes (see write-section.ts).
import { readdirSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './benchmark.js';
import { writeSection } from './write-section.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'docs', 'benchmarks.md');
const only = process.argv.slice(2);

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} x ${cpu}, ${gib} GiB, Linux ${release()}, Node ${process.version}`;
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const all: Benchmark[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Benchmark };
  all.push(mod.default);
}
const names = all.map((b) => b.name);
// A misspelt name among good ones would otherwise be skipped without a word.
const unknown = only.filter((n) => !names.includes(n));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; have: ${names.join(', ')}`);
  process.exit(2);
}
const benches = only.length === 0 ? all : all.filter((b) => only.includes(b.name));

for (const b of benches) {
  console.error(`[bench] ${b.name}: ${b.title}`);
  const started = Date.now();
  const body = await b.run();
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  writeSection(
    out,
    b.name,
    `## ${b.title}\n\nMeasured ${when} UTC on ${machine()}; took ${((Date.now() - started) / 1000).toFixed(1)} s.\n\n${body.trim()}\n\n`,
  );
  console.error(`[bench] wrote section ${b.name} of ${out}`);
}
