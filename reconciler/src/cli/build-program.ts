import { Command } from 'commander';
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

/**
 * The `telform` command line; teammates' commands register themselves here. Building it runs
 * nothing, so docs/cli.md is generated from the same parser (reconciler/src/cli/cli-reference.ts).
 */
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
