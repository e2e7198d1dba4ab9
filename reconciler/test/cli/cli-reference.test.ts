import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliReference, commandsOf } from '../../src/cli/cli-reference.js';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { formatOption } from '../../src/cli/format-option.js';

/** docs/cli.md is read from the parser: what each kind of option and command becomes on it. */

function program(): Command {
  const root = new Command('telform').description('the tool');
  const things = root.command('things').description('work with things');
  things
    .command('make <name>')
    .description('make a thing')
    .requiredOption('--size <n>', 'how big')
    .option('--colour <c>', 'which colour', 'blue')
    .addOption(new Option('--key <key>', 'the key').env('THING_KEY'))
    .addOption(formatOption(['text', 'json'], 'text'))
    .addHelpText('after', '\nNotes: THINGS_DIR holds <dir> of them.')
    .action(() => undefined);
  things
    .command('list')
    .description('list things')
    .action(() => undefined);
  return root;
}

describe('cliReference', () => {
  const page = cliReference(program());

  it.each<{ why: string; want: string }>([
    {
      why: 'a required option says so',
      want: '- `--size <n>` (required): how big',
    },
    { why: 'a default is shown as code', want: '- `--colour <c>` (default `blue`): which colour' },
    {
      why: 'an environment variable the option reads',
      want: '- `--key <key>` (or `THING_KEY`): the key',
    },
    {
      why: 'choices come from the shared --format option',
      want: '- `--format <format>` (one of `text`, `json`; default `text`): output format: text, json',
    },
    {
      why: 'every --format is listed in the conventions',
      want: '- `telform things make`: `text`, `json` (default `text`)',
    },
    {
      why: 'the usage line is the parser’s own',
      want: '```\ntelform things make [options] <name>\n```',
    },
    {
      why: 'help notes come along, with <> escaped for Markdown',
      want: 'Notes: THINGS_DIR holds \\<dir\\> of them.',
    },
    {
      why: 'a parent lists its commands',
      want: 'Commands: `telform things make`, `telform things list`.',
    },
  ])('$why', ({ want }) => {
    expect(page).toContain(want);
  });

  it('lists every exit code of exit-codes.ts', () => {
    for (const code of Object.values(exitCodes))
      expect(page).toMatch(new RegExp(`^- \`${code}\`: `, 'm'));
  });

  it("walks every command, depth first, without commander's help command", () => {
    expect(commandsOf(program()).map((c) => c.words.join(' '))).toEqual([
      'things',
      'things make',
      'things list',
    ]);
  });
});
