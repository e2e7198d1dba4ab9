import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/driver/platform-driver.js';
import { defaultRequeueDelays, failureOutcome } from '../../src/reconcile/failure-outcome.js';

const backoff = { baseMs: 500, capMs: 30_000, random: () => 0.5 };
const existing = { accountExternalId: 'acc-3', externalId: 'u-264' };

describe('failureOutcome for conflicts', () => {
  it.each([
    {
      why: 'a create that meets the same object on the platform says how to adopt it',
      err: new PlatformError('conflict', 'login "alice" is taken by u-264', { existing }),
      create: { kind: 'user' },
      reason: 'AlreadyExists',
      says: [
        'already exists on the platform as platform:acc-3/u-264',
        // The address quoted: unquoted, a shell reads `<name>` as a redirection.
        "\n  terraform import 'telform_user.<name>' platform:acc-3/u-264\n",
        // A block as HCL has it, one attribute a line (a one-line block holds one at most).
        '\nimport {\n  to = telform_user.<name>\n  id = "platform:acc-3/u-264"\n}\n',
        '\nor, without Terraform: telform adopt platform:acc-3/u-264 --kind user\n',
        "where <name> stands for this resource's name",
      ],
      requeue: null,
    },
    {
      why: 'a root account is named by its own id alone, as import by platform reference reads it',
      err: new PlatformError('conflict', 'name "Acme" is taken by acc-9', {
        existing: { accountExternalId: null, externalId: 'acc-9' },
      }),
      create: { kind: 'account' },
      reason: 'AlreadyExists',
      says: [
        "\n  terraform import 'telform_account.<name>' platform:acc-9\n",
        '\n  id = "platform:acc-9"\n',
      ],
      requeue: null,
    },
    {
      why: 'an update into a taken value is a plain conflict: there is nothing to adopt',
      err: new PlatformError('conflict', 'login "alice" is taken by u-264', { existing }),
      create: undefined,
      reason: 'Conflict',
      says: ['taken by u-264'],
      requeue: defaultRequeueDelays.conflictMs,
    },
    {
      why: 'a conflict without an existing object (a limit) stays a Conflict on create too',
      err: new PlatformError('conflict', 'seat limit reached'),
      create: { kind: 'seat' },
      reason: 'Conflict',
      says: ['seat limit reached'],
      requeue: defaultRequeueDelays.conflictMs,
    },
  ])('$why', ({ err, create, reason, says, requeue }) => {
    const out = failureOutcome(err, 0, backoff, defaultRequeueDelays, create);
    expect(out.reason).toBe(reason);
    for (const text of says) expect(out.message).toContain(text);
    expect(out.requeueAfterMs).toBe(requeue);
  });
});
