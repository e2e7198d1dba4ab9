import type { Migration } from 'kysely';
import * as m0001 from './0001-resources.js';

/**
 * Every migration, in order. Static imports (not a folder scan) so that bundles and tsx agree.
 * Numbers are claimed: 0002 tokens, 0003 job runs, 0004 audit events, 0005 drift records.
 */
export const migrations: Record<string, Migration> = {
  '0001-resources': m0001,
};
