import { ApiError } from '../client/api-resource.js';
import type { Diagnostics } from '../diag/diagnostics.js';

/** An API failure as diagnostics: one per field error (on its attribute), else one overall. */
export function apiErrorDiagnostics(err: unknown, summary: string, diagnostics: Diagnostics): void {
  if (!(err instanceof ApiError)) throw err;
  if (err.errors.length === 0) {
    diagnostics.addError(summary, `${err.message} (${err.code}).`);
    return;
  }
  for (const e of err.errors)
    diagnostics.addAttributeError(e.field, summary, `${e.message} (rule "${e.rule}").`);
}
