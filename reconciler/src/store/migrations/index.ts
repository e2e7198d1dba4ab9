import type { Migration } from 'kysely';
import * as m0001 from './0001-resources.js';
import * as m0002 from './0002-tokens.js';
import * as m0003 from './0003-job-runs.js';
import * as m0004 from './0004-audit-events.js';
import * as m0005 from './0005-drift.js';
import * as m0006 from './0006-notifications.js';
import * as m0007 from './0007-resources-root-order.js';
import * as m0008 from './0008-audit-checkpoint.js';
import * as m0009 from './0009-drift-scan-indexes.js';
import * as m0010 from './0010-token-epoch.js';
import * as m0011 from './0011-drift-platform-change.js';
import * as m0012 from './0012-observed-digest.js';
import * as m0013 from './0013-gauge-indexes.js';
import * as m0014 from './0014-resources-changed-by.js';
import * as m0015 from './0015-audit-head-prev-hash.js';
import * as m0016 from './0016-drift-account-key.js';
import * as m0017 from './0017-resources-root-external.js';

/**
 * Every migration, in order. Static imports (not a folder scan) so that bundles and tsx agree.
 * Numbers are claimed: 0002 tokens, 0003 job runs, 0004 audit events, 0005 drift records.
 */
export const migrations: Record<string, Migration> = {
  '0001-resources': m0001,
  '0002-tokens': m0002,
  '0003-job-runs': m0003,
  '0004-audit-events': m0004,
  '0005-drift': m0005,
  '0006-notifications': m0006,
  '0007-resources-root-order': m0007,
  '0008-audit-checkpoint': m0008,
  '0009-drift-scan-indexes': m0009,
  '0010-token-epoch': m0010,
  '0011-drift-platform-change': m0011,
  '0012-observed-digest': m0012,
  '0013-gauge-indexes': m0013,
  '0014-resources-changed-by': m0014,
  '0015-audit-head-prev-hash': m0015,
  '0016-drift-account-key': m0016,
  '0017-resources-root-external': m0017,
};
