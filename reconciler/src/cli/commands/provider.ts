import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { cliAction, defaultIo, type CliIo } from '../cli-target.js';

interface InstallOptions {
  mirror: string;
  cliConfig: string;
}

/**
 * `telform provider install`: lays terraform-provider-telform into a filesystem mirror and writes
 * a Terraform CLI config that uses it, so `terraform init` works with no registry.
 */
export function registerProviderCommand(program: Command, io: CliIo = defaultIo): Command {
  const provider = program
    .command('provider')
    .description('Install the Terraform provider (telform/telform)');
  const home = io.env.HOME ?? homedir();
  provider
    .command('install')
    .description(
      'Bundle the provider into a local filesystem mirror and write a Terraform CLI config for it',
    )
    .option(
      '--mirror <dir>',
      'filesystem mirror directory',
      join(home, '.terraform.d', 'telform-mirror'),
    )
    .option(
      '--cli-config <file>',
      'Terraform CLI config file to write',
      join(home, '.terraform.d', 'telform.tfrc'),
    )
    .action(
      cliAction(io, async (options: InstallOptions) => {
        // Loaded here: bundling needs esbuild, which no other command does.
        const { installProvider } = await import('@telform/provider/install');
        const installed = await installProvider({
          mirror: options.mirror,
          cliConfig: options.cliConfig,
        });
        io.out(
          `installed ${installed.executable}\n` +
            `wrote ${installed.cliConfig}\n\n` +
            `Use it with:\n  export TF_CLI_CONFIG_FILE=${installed.cliConfig}\n  terraform init\n\n` +
            'A configuration initialised with an earlier build of this version needs `terraform init -upgrade`:\n' +
            'its lock file holds the hash of the code it was initialised with.\n',
        );
      }),
    );
  return provider;
}
