import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperationsServices } from '../../../src/operations-services.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { AesGcmSecretBox } from '../../../src/secrets/aes-gcm-secret-box.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { MemoryPlatformDriver } from '../../drift/memory-platform-driver.js';

describe('createOperationsServices', () => {
  let t: TestDatabase;
  const driver = new MemoryPlatformDriver();
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(async () => t?.dispose());

  it('wires every job with valid schedules, token rotation only when the driver can rotate', async () => {
    const secretBox = new AesGcmSecretBox(randomBytes(32));
    const withRotate = await createOperationsServices({
      db: t.db,
      driver,
      secretBox,
      timezone: 'Europe/Paris',
    });
    const scheduler = new Scheduler(t.db, { replica: 'w', dialect: 'postgres' });
    for (const job of withRotate.jobs) scheduler.register(job);
    expect(scheduler.list().map((j) => [j.name, j.timezone])).toEqual([
      ['drift-scan', 'UTC'],
      ['seat-usage', 'Europe/Paris'],
      ['retention', 'Europe/Paris'],
      ['notification-delivery', 'UTC'],
      ['provisioning-token-rotation', 'Europe/Paris'],
    ]);
    const plain = { ...driver, list: driver.list.bind(driver), read: driver.read.bind(driver) };
    delete (plain as { rotateProvisioningToken?: unknown }).rotateProvisioningToken;
    const without = await createOperationsServices({
      db: t.db,
      driver: plain as typeof driver,
      secretBox,
    });
    expect(without.jobs.map((j) => j.name)).not.toContain('provisioning-token-rotation');
  });
});
