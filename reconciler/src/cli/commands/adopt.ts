import type { Command } from 'commander';
// The catalog alone: the package's index also loads the validators, which --help never needs.
import { managedKinds } from '@telform/schemas/catalog';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';
import { formatOption } from '../format-option.js';

interface AdoptOptions {
  allAccounts?: boolean;
  kind?: string;
  contents?: boolean;
  tree?: boolean;
  format: 'text' | 'json';
}

interface AdoptAnswer {
  /** Absent with `all_accounts`, which answers `accounts` instead. */
  readonly resource?: { id: string; kind: string };
  readonly accounts?: readonly string[];
  readonly adopted: ReadonlyArray<{
    id: string;
    kind: string;
    platform_ref: string;
    unmanaged_secrets: readonly string[];
  }>;
  readonly platform_calls: number;
}

/**
 * `telform adopt <platform ref>`: takes platform objects under management as they are, through
 * a running daemon (TELFORM_ENDPOINT, TELFORM_TOKEN; `POST /v1/adopt`): one object, an account
 * with everything unmanaged it owns (`--contents`), or its whole tree (`--tree`); with
 * `--all-accounts` instead of a reference, so every root account the token may adopt. Prints one
 * line per adopted object (`<kind> <telform id> <platform ref>`), or the API's JSON (`--format json`).
 */
export function registerAdoptCommand(program: Command, io: CliIo = defaultIo): Command {
  const kinds = managedKinds().map((k) => k.kind);
  return program
    .command('adopt')
    .description('Adopt platform objects telform does not manage yet, without changing them')
    .argument('[platform-ref]', 'platform:<account id>/<object id>, or platform:<account id>')
    .option(
      '--all-accounts',
      'instead of a reference: every root account the token may adopt (with --contents or --tree: all they hold)',
    )
    .option('--kind <kind>', `kind of the object (${kinds.join(', ')}); absent: an account`)
    .option('--contents', 'the account and every unmanaged object it owns')
    .option('--tree', 'the account, its sub-accounts at every depth, and all they own')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (ref: string | undefined, options: AdoptOptions) => {
        if ((ref === undefined) === !options.allAccounts) {
          return io.fail('name one platform reference, or give --all-accounts (not both)');
        }
        if (options.allAccounts && options.kind !== undefined) {
          return io.fail('--all-accounts adopts accounts: --kind does not go with it');
        }
        if (options.contents && options.tree) {
          return io.fail('--contents and --tree exclude each other: --tree includes contents');
        }
        if (options.kind !== undefined && !kinds.includes(options.kind)) {
          return io.fail(
            `--kind must be a managed kind (${kinds.join(', ')}), not "${options.kind}"`,
          );
        }
        const target = apiTarget(io.env, 'adopt');
        const include = options.tree ? 'tree' : options.contents ? 'contents' : 'object';
        const answer = (await target.call('POST', '/v1/adopt', {
          ...(ref === undefined ? { all_accounts: true } : { platform_ref: ref }),
          include,
          ...(options.kind ? { kind: options.kind } : {}),
        })) as AdoptAnswer;
        if (options.format === 'json') return io.out(`${JSON.stringify(answer, null, 2)}\n`);
        const lines = answer.adopted.map((e) => {
          const secrets =
            e.unmanaged_secrets.length > 0
              ? ` (not managed until set: ${e.unmanaged_secrets.join(', ')})`
              : '';
          return `adopted ${e.kind} ${e.id} ${e.platform_ref}${secrets}\n`;
        });
        const what = answer.resource
          ? `${answer.resource.kind} ${answer.resource.id}`
          : `all ${answer.accounts?.length ?? 0} root accounts`;
        const summary =
          answer.adopted.length === 0
            ? `already managed: ${what}\n`
            : `${answer.adopted.length} adopted in ${answer.platform_calls} platform calls${answer.resource ? '' : ` (${what})`}\n`;
        io.out(lines.join('') + summary);
      }),
    );
}
