// The provider's entry in an installed package (launch.cjs): runs the bundle beside it through
// the V8 code cache.
import { join } from 'node:path';
import { traceRequested } from '../diag/trace-requested.js';
import { runWithCodeCache } from './run-with-code-cache.js';

const use = runWithCodeCache(join(__dirname, 'provider.cjs'));
if (traceRequested(process.env)) process.stderr.write(`[TRACE] telform: code cache ${use}\n`);
