import { Command, CommanderError } from 'commander';
import { telformVersion } from '@telform/schemas/version';
import { registerAdoptCommand } from './commands/adopt.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerDriftCommand } from './commands/drift.js';
import { registerExportCommand } from './commands/export.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerLimitsCommand } from './commands/limits.js';
import { registerNotificationsCommand } from './commands/notifications.js';
import { registerProviderCommand } from './commands/provider.js';
import { registerSecretsCommand } from './commands/secrets.js';
import { registerTokenCommand } from './commands/token.js';
import { registerWebhookCommand } from './commands/webhook.js';
import { registerEmulatorCommand } from './emulator-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerServeCommand } from './serve-command.js';
import { exitCodes } from './exit-codes.js';

/** The `telform` command line; teammates' commands register themselves here. */
export function buildProgram(): Command {
  const program = new Command('telform')
    .description(
      'Telephony and contact-center account settings as code: reconciler daemon and tools.',
    )
    .version(telformVersion, '-V, --version', 'print the telform version')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerEmulatorCommand(program);
  registerTokenCommand(program);
  registerAuditCommand(program);
  registerDriftCommand(program);
  registerExportCommand(program);
  registerAdoptCommand(program);
  registerJobsCommand(program);
  registerLimitsCommand(program);
  registerNotificationsCommand(program);
  registerWebhookCommand(program);
  registerProviderCommand(program);
  registerSecretsCommand(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message; --help and --version exit 0.
      process.exitCode = err.exitCode === 0 ? exitCodes.success : exitCodes.usage;
      return;
    }
    // Operator-facing: the message only (they name the setting to fix), no stack.
    process.stderr.write(`telform: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

await main();
