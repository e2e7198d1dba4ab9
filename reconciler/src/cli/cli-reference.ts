import type { Argument, Command, Option } from 'commander';
import { generatedNotice } from '@telform/schemas';
import { exitCodeMeanings, exitCodes } from './exit-codes.js';

/**
 * docs/cli.md, read from the `telform` parser itself (every command, argument and option as
 * `--help` shows them) and from exit-codes.ts, so the page cannot fall behind the CLI. Lists, not
 * tables: prettier checks the page and would realign a table.
 */

/** Every command under `program`, depth first, with its words (`['drift', 'policy', 'set']`). */
export function commandsOf(
  program: Command,
  words: readonly string[] = [],
): { words: string[]; command: Command }[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((command) => {
      const path = [...words, command.name()];
      return [{ words: path, command }, ...commandsOf(command, path)];
    });
}

/** Commander's descriptions are sentence fragments; the page writes them as sentences. */
const sentence = (text: string) => {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const code = (text: string) => `\`${text}\``;

/** Help text as Markdown prose: `<dir>` would otherwise be read as an HTML tag and vanish. */
const prose = (text: string) => text.replace(/[<>]/g, (c) => `\\${c}`);

function optionLine(option: Option): string {
  const notes: string[] = [];
  if (option.mandatory) notes.push('required');
  if (option.argChoices) notes.push(`one of ${option.argChoices.map(code).join(', ')}`);
  if (![undefined, false, ''].includes(option.defaultValue as string | undefined)) {
    notes.push(`default ${code(String(option.defaultValue))}`);
  }
  if (option.envVar) notes.push(`or ${code(option.envVar)}`);
  const extra = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `- ${code(option.flags)}${extra}: ${prose(option.description)}`;
}

function argumentLine(argument: Argument): string {
  const shown = argument.required ? `<${argument.name()}>` : `[${argument.name()}]`;
  return `- ${code(shown)}${argument.description ? `: ${prose(argument.description)}` : ''}`;
}

/** What `--help` adds after the options (`addHelpText('after', ...)`): notes worth a page too. */
function helpNotes(command: Command): string {
  let full = '';
  command.configureOutput({ writeOut: (text) => void (full += text) });
  command.outputHelp();
  return full.replace(command.helpInformation(), '').trim();
}

function commandSection(words: readonly string[], command: Command): string[] {
  const name = `telform ${words.join(' ')}`;
  const options = command.options.filter((o) => !o.hidden);
  const args = command.registeredArguments;
  const subcommands = command.commands.filter((c) => c.name() !== 'help');
  const notes = helpNotes(command);
  return [
    `### ${code(name)}`,
    '',
    prose(sentence(command.description())),
    '',
    '```',
    `${name} ${command.usage()}`,
    '```',
    ...(args.some((a) => a.description) ? ['', ...args.map(argumentLine)] : []),
    ...(options.length > 0 ? ['', ...options.map(optionLine)] : []),
    ...(notes ? ['', prose(notes)] : []),
    ...(subcommands.length > 0
      ? ['', `Commands: ${subcommands.map((c) => code(`${name} ${c.name()}`)).join(', ')}.`]
      : []),
    '',
  ];
}

export function cliReference(program: Command): string {
  const commands = commandsOf(program);
  const formats = commands.flatMap(({ words, command }) => {
    const format = command.options.find((o) => o.long === '--format');
    const name = code(`telform ${words.join(' ')}`);
    // A command still on its own flag is listed as it is rather than hidden.
    const json = command.options.find((o) => o.long === '--json');
    if (!format) return json ? [`- ${name}: ${code('--json')}: ${prose(json.description)}`] : [];
    if (!format.argChoices) return [`- ${name}: ${format.description}`];
    const choices = format.argChoices.map(code).join(', ');
    return [`- ${name}: ${choices} (default ${code(String(format.defaultValue))})`];
  });
  const names = Object.keys(exitCodes) as (keyof typeof exitCodes)[];
  const out = [
    `<!-- ${generatedNotice('the `telform` command parser (reconciler/src/cli) and reconciler/src/cli/exit-codes.ts')} -->`,
    '',
    '# The `telform` command',
    '',
    sentence(program.description()),
    'Every command takes `--help`; `telform --version` (`-V`) prints the version.',
    'Commands that talk to a running daemon use `TELFORM_ENDPOINT` and `TELFORM_TOKEN`; the',
    'others read the same settings as `telform serve` (see the README\'s "Configuration").',
    '',
    '## Output formats',
    '',
    'Commands that print data take one flag for its shape, `--format <format>`, with the choices',
    'below; any other value is a usage error (exit code 2) before the command runs.',
    'Output meant for scripts is plain: `telform token create` prints the token alone.',
    '',
    ...formats,
    '',
    '## Exit codes',
    '',
    ...names.map((name) => `- ${code(String(exitCodes[name]))}: ${exitCodeMeanings[name]}`),
    '',
    '## Commands',
    '',
    ...commands.flatMap(({ words, command }) => commandSection(words, command)),
  ];
  return out.join('\n').replace(/\n+$/, '\n');
}
