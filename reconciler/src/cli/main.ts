import { CommanderError } from 'commander';
import { buildProgram } from './build-program.js';
import { exitCodes } from './exit-codes.js';

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
