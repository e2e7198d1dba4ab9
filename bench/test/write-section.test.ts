import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docHeader, replaceSection, writeSection } from '../write-section.js';

const section = (name: string, text: string) =>
  `<!-- bench:${name} -->\n${text}<!-- /bench:${name} -->\n`;
const doc = (...parts: string[]) => docHeader + parts.join('\n');

describe('replaceSection', () => {
  it.each([
    {
      why: 'a section run again is replaced in place; its neighbours are untouched',
      before: doc(section('a', 'A1\n'), section('b', 'B1\n'), section('c', 'C1\n')),
      name: 'b',
      content: 'B2\n',
      after: doc(section('a', 'A1\n'), section('b', 'B2\n'), section('c', 'C1\n')),
    },
    {
      why: 'a hand edit inside another section survives',
      before: doc(section('a', 'A1, edited by hand\n'), section('b', 'B1\n')),
      name: 'b',
      content: 'B2\n',
      after: doc(section('a', 'A1, edited by hand\n'), section('b', 'B2\n')),
    },
    {
      why: 'replacement patterns in results ($&, $1) are text, not regex substitutions',
      before: doc(section('a', 'A1\n')),
      name: 'a',
      content: 'costs $& and $1\n',
      after: doc(section('a', 'costs $& and $1\n')),
    },
    {
      why: 'a new benchmark lands in name order between the others',
      before: doc(section('a', 'A\n'), section('c', 'C\n')),
      name: 'b',
      content: 'B\n',
      after: doc(section('a', 'A\n'), section('b', 'B\n'), section('c', 'C\n')),
    },
    {
      why: 'a new benchmark sorting last is appended after a blank line',
      before: doc(section('a', 'A\n')),
      name: 'z',
      content: 'Z',
      after: doc(section('a', 'A\n'), section('z', 'Z\n')),
    },
    {
      why: 'an empty or missing file gets the header and the section',
      before: '',
      name: 'a',
      content: 'A\n',
      after: doc(section('a', 'A\n')),
    },
    {
      why: 'an outdated header is replaced by the current one',
      before: `# Old title\n\nold words\n\n${section('a', 'A\n')}`,
      name: 'a',
      content: 'A2\n',
      after: doc(section('a', 'A2\n')),
    },
  ])('$why', ({ before, name, content, after }) => {
    expect(replaceSection(before, name, content)).toBe(after);
  });

  it.each([
    {
      why: 'a section without its closing marker (a bad hand edit) is not guessed at',
      before: doc('<!-- bench:a -->\nA\n'),
      name: 'a',
      err: /section a has no closing marker <!-- \/bench:a -->/,
    },
    {
      why: 'a name with a space could never be matched again',
      before: '',
      name: 'two words',
      err: /benchmark name "two words"/,
    },
  ])('refuses $why', ({ before, name, err }) => {
    expect(() => replaceSection(before, name, 'x\n')).toThrow(err);
  });
});

describe('writeSection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telform-bench-doc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-reads the file, so overlapping runs keep each other’s sections; no temp file is left', () => {
    const path = join(dir, 'benchmarks.md');
    writeSection(path, 'b', 'B from run 1\n');
    // Another run (or an editor) changes the file after run 1 started.
    writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), 'a', 'A from run 2\n'));
    writeSection(path, 'c', 'C from run 1\n');
    expect(readFileSync(path, 'utf8')).toBe(
      doc(
        section('a', 'A from run 2\n'),
        section('b', 'B from run 1\n'),
        section('c', 'C from run 1\n'),
      ),
    );
    expect(readdirSync(dir)).toEqual(['benchmarks.md']);
  });
});
