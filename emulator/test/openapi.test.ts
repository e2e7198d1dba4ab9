import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('is served without a key and documents bearer authentication', async () => {
    const r = await t.call('GET', '/openapi.json', undefined, '');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(r.body.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
    });
    expect(r.body.info.description).toContain('Authorization: Bearer');
  });

  it('carries the attribute schema of every kind', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const kind of ['account', 'user', 'seat', 'webhook', 'provisioning', 'seat_usage']) {
      expect(doc.components.schemas[kind]?.properties, kind).toBeTypeOf('object');
    }
    expect(doc.components.schemas.user.properties.password.writeOnly).toBe(true);
  });

  it('describes every API route with a summary, and requires the key on each', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[] }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    const api = ops.filter((o) => o.path.startsWith('/v1/') || o.path.startsWith('/_emulator/'));
    expect(api.length).toBeGreaterThan(25);
    for (const { path, method, op } of api) {
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
  });
});
