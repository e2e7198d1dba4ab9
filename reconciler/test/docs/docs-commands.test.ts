import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@telform/schemas/generate';
import { buildProgram } from '../../src/cli/build-program.js';

/**
 * What the docs tell a reader to type must exist: every `telform <command>` and its flags in
 * docs/*.md, docs/guides/*.md and the README is checked against the CLI's own parser, and every
 * relative link resolves, so the docs cannot drift from the CLI or from each other.
 */

const program = buildProgram();

/** The words after `telform` of one command line, up to its end (pipe, `&&`, comment). */
function wordsAfter(rest: string): string[] {
  const words: string[] = [];
  for (const word of rest.split(/\s+/)) {
    if (word === '' || /^(\||&&|;|#|>|2>|\)|\\)/.test(word)) break;
    words.push(word.replace(/[),;"]+$/, ''));
  }
  return words;
}

/**
 * Every `telform ...` a reader may type: inline code that starts with it, and shell lines of
 * code blocks (also inside `$(...)` and after `&&`). Prose ("telform stores ...") is no command.
 */
function telformInvocations(text: string): string[][] {
  const out: string[][] = [];
  // Every fence in turn, so that a closing fence never opens a block; shell ones are read.
  for (const [, lang, block] of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    if (!['', 'sh', 'shell', 'bash', 'console'].includes(lang!)) continue;
    const code = block!.replace(/(^|\s)#.*$/gm, '');
    for (const [, rest] of code.matchAll(/(?:^|\s|\$\(|&&\s)(?:npx )?telform (.*)$/gm)) {
      out.push(wordsAfter(rest!));
    }
  }
  const spans = text
    .replace(/```[\s\S]*?```/g, '')
    .split('`')
    .filter((_, i) => i % 2 === 1);
  for (const span of spans) {
    const rest = /^(?:npx )?telform (.+)$/.exec(span)?.[1];
    if (rest) out.push(wordsAfter(rest));
  }
  return out;
}

const findOption = (command: Command, flag: string) =>
  command.options.find(
    (o) => o.long === flag || o.short === flag || o.long === `--no-${flag.slice(2)}`,
  );

/** Why `telform <words>` is not a real invocation, or undefined when it is. */
function invocationProblem(words: readonly string[]): string | undefined {
  let command = program;
  let path = 'telform';
  let i = 0;
  // Descend through subcommands while the words name them.
  for (; i < words.length; i++) {
    const word = words[i]!.replace(/^\[|\]$/g, '');
    if (/^[-<$[]/.test(words[i]!) && !words[i]!.startsWith('[-')) break;
    if (word.startsWith('-')) break;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      if (command.commands.length > 0 && command.registeredArguments.length === 0) {
        // `token create/list/revoke`: each alternative must be a command; nothing after is checked.
        if (word.includes('/')) {
          const missing = word
            .split('/')
            .filter((w) => !command.commands.some((c) => c.name() === w));
          return missing.length > 0
            ? `${path} has no command "${missing.join('", "')}"`
            : undefined;
        }

        return `${path} has no command "${word}" (it has ${command.commands.map((c) => c.name()).join(', ')})`;
      }
      break;
    }
    command = sub;
    path += ` ${word}`;
  }
  for (; i < words.length; i++) {
    const word = words[i]!.replace(/^\[|\]$/g, '');
    if (!/^--?[a-zA-Z]/.test(word)) continue;
    const flag = word.split('=')[0]!;
    if (['-h', '--help'].includes(flag)) continue;
    if (path === 'telform' && ['-V', '--version'].includes(flag)) continue;
    const option = findOption(command, flag);
    if (!option) return `${path} has no option ${flag}`;
    // A value follows a flag that takes one, unless given as --flag=value.
    if ((option.required || option.optional) && !word.includes('=')) i++;
  }
  return undefined;
}

async function markdownFiles(): Promise<string[]> {
  const docs = join(repositoryRoot, 'docs');
  const top = (await readdir(docs)).filter((f) => f.endsWith('.md')).map((f) => join(docs, f));
  const guides = (await readdir(join(docs, 'guides')))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docs, 'guides', f));
  const nested: string[] = [];
  for (const dir of ['resources', 'data-sources']) {
    for (const f of await readdir(join(docs, dir))) nested.push(join(docs, dir, f));
  }
  return [join(repositoryRoot, 'README.md'), ...top, ...guides, ...nested];
}

/** The anchors a page offers: `<a id>` tags and GitHub's slugs of its headings. */
function anchorsOf(page: string): Set<string> {
  const out = new Set([...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
  const prose = page.replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

let files: { path: string; text: string }[];

beforeAll(async () => {
  files = await Promise.all(
    (await markdownFiles()).map(async (path) => ({
      path: relative(repositoryRoot, path),
      text: await readFile(path, 'utf8'),
    })),
  );
});

describe('invocationProblem', () => {
  it.each<{ why: string; line: string; want: RegExp | undefined }>([
    {
      why: 'a real command with its flags',
      line: 'telform token create --role admin --name ci',
      want: undefined,
    },
    { why: 'a value given with =', line: 'telform drift --format=json', want: undefined },
    {
      why: 'a misspelt flag',
      line: 'telform drift --scna',
      want: /telform drift has no option --scna/,
    },
    {
      why: 'a command that does not exist',
      line: 'telform tokens list',
      want: /telform has no command "tokens"/,
    },
    {
      why: 'a subcommand that does not exist',
      line: 'telform drift policy show x',
      want: /has no command "show"/,
    },
    {
      why: 'a flag of another command',
      line: 'telform secrets rekey --scan',
      want: /has no option --scan/,
    },
    {
      why: 'the value of a flag is not a flag',
      line: 'telform drift --kind user --scan',
      want: undefined,
    },
    {
      why: 'placeholders and optional parts',
      line: 'telform drift policy set <target_id> [--mode report]',
      want: undefined,
    },
  ])('$why', ({ line, want }) => {
    const [words] = telformInvocations(`\`${line}\``);
    const problem = invocationProblem(words!);
    if (want === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(want);
  });
});

describe('anchorsOf', () => {
  it.each<{ why: string; page: string; want: string[] }>([
    { why: 'a plain heading', page: '## Exit codes', want: ['exit-codes'] },
    {
      why: 'punctuation and code go, as on GitHub',
      page: '## 2. Reconciler API (`/v1`, bearer token)',
      want: ['2-reconciler-api-v1-bearer-token'],
    },
    {
      why: 'the nested-schema anchors of the pages',
      page: '<a id="nestedatt--x"></a>',
      want: ['nestedatt--x'],
    },
    {
      why: 'a repeated heading gets a number',
      page: '## Import\n\n## Import',
      want: ['import', 'import-1'],
    },
    { why: 'headings inside code are none', page: '```sh\n# a comment\n```', want: [] },
  ])('$why', ({ page, want }) => {
    expect([...anchorsOf(page)]).toEqual(want);
  });
});

describe('the docs', () => {
  it('show only telform commands and flags that the CLI parser has', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const words of telformInvocations(file.text)) {
        checked++;
        const problem = invocationProblem(words);
        if (problem) problems.push(`${file.path}: telform ${words.join(' ')}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked, 'telform invocations found').toBeGreaterThan(50);
  });

  it('link only to files that exist, and to anchors the page has', async () => {
    const broken: string[] = [];
    for (const file of files) {
      // Links in prose only: code (blocks and spans) may hold `](` of a pattern.
      const prose = file.text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [path, anchor] = target!.split('#');
        const resolved = path
          ? join(repositoryRoot, dirname(file.path), path)
          : join(repositoryRoot, file.path);
        const exists = await access(resolved).then(
          () => true,
          () => false,
        );
        if (!exists) broken.push(`${file.path}: ${target}`);
        else if (anchor && !/\.(png|svg)$/.test(resolved)) {
          const page = await readFile(resolved, 'utf8');
          if (!anchorsOf(page).has(anchor)) broken.push(`${file.path}: ${target} (no such anchor)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
