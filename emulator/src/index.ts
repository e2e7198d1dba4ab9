export { startEmulator, defaultLimits, defaultRateLimit } from './start-emulator.js';
export type { EmulatorOptions, RunningEmulator } from './start-emulator.js';
export type { RateLimit } from './faults/fault-injector.js';
export type { FaultRule } from './faults/fault-rule.js';
