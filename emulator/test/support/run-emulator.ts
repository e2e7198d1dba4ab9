// Runs an emulator in its own process for crash tests: node --import tsx run-emulator.ts DIR KEY
import { startEmulator } from '../../src/index.js';

const [dataDir, partnerKey] = process.argv.slice(2);
const emu = await startEmulator({
  port: 0,
  dataDir: dataDir!,
  partnerKey: partnerKey!,
  rateLimit: null,
});
process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
