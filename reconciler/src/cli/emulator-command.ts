import type { Command } from 'commander';
import { startEmulator } from '@telform/emulator';
import { parseListen } from './parse-listen.js';

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Run the bundled telephony platform emulator on its own.')
    .option('--listen <host:port>', 'emulator address', '127.0.0.1:7421')
    .option('--data-dir <dir>', 'durable emulator state (default: in memory)')
    .option('--partner-key <key>', 'partner API key (TELFORM_PLATFORM_KEY; generated when absent)')
    .action(async (flags: { listen: string; dataDir?: string; partnerKey?: string }) => {
      const { host, port } = parseListen(flags.listen, '--listen');
      const partnerKey = flags.partnerKey ?? process.env.TELFORM_PLATFORM_KEY;
      const emulator = await startEmulator({
        host,
        port,
        ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
        ...(partnerKey ? { partnerKey } : {}),
      });
      process.stdout.write(
        `emulator: ${emulator.url}\n  export TELFORM_PLATFORM_URL=${emulator.url}\n  export TELFORM_PLATFORM_KEY=${emulator.partnerKey}\n`,
      );
      const stop = () => void emulator.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
