// /openapi.json of the full daemon (every route plugin registered), checked by tools telform
// did not write: swagger-parser (schema validity, $refs) and Redocly's recommended rules; then
// the rules the generators of partners' clients rely on, and that the headers the API really
// sends are the ones the document promises.
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { buildServices, type Services } from '../../src/services.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { createPostgresDatabase } from '../support/databases.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is plain JSON */
let services: Services;
let app: FastifyInstance;
let doc: any;
let token: string;
let pg: { url: string; drop(): Promise<void> };
const dir = mkdtempSync(join(tmpdir(), 'telform-openapi-'));

beforeAll(async () => {
  pg = await createPostgresDatabase();
  services = await buildServices({
    databaseUrl: pg.url,
    dataDir: dir,
    driver: new MemoryPlatformDriver(),
    logger: false,
    env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  app = buildApp(services.api);
  await app.ready();
  token = (await services.api.tokens.create({ name: 'openapi', role: 'admin', createdBy: 'test' }))
    .token;
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const operations = () =>
  Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, op]) => ({ path, method, op })),
  );

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 that swagger-parser validates (structure and every $ref)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it("has no problem at all under Redocly's recommended rules, warnings included", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    const found = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
    );
    expect(found).toEqual([]);
  });

  it('gives every operation a unique operationId, a summary and tags (a new route without them fails here)', () => {
    const ids = new Set<string>();
    const missing: string[] = [];
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      if (typeof op.summary !== 'string' || op.summary === '') missing.push(`${where}: summary`);
      if (!Array.isArray(op.tags) || op.tags.length === 0) missing.push(`${where}: tags`);
      if (typeof op.operationId !== 'string') missing.push(`${where}: operationId`);
      else if (ids.has(op.operationId)) missing.push(`${where}: duplicate ${op.operationId}`);
      ids.add(op.operationId);
    }
    expect(missing).toEqual([]);
    // Routes from every plugin are in: resources, drift, jobs, notifications, tokens, console.
    expect(operations().length).toBeGreaterThan(140);
  });

  it('names servers, the bearer token and the console cookie; public routes need neither', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.console_session).toMatchObject({ in: 'cookie' });
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    // A cookie may read, never write.
    expect(doc.paths['/v1/drift'].get.security).toContainEqual({ console_session: [] });
    expect(JSON.stringify(doc.paths['/v1/tokens'].post.security ?? doc.security)).not.toContain(
      'console_session',
    );
  });

  it('documents the request headers of writes and a problem response per status', () => {
    const put = doc.paths['/v1/resources/user/{id}'].put;
    const headerNames = put.parameters
      .filter((p: any) => p.in === 'header')
      .map((p: any) => p.name);
    expect(headerNames).toEqual(expect.arrayContaining(['If-Match', 'Idempotency-Key']));
    expect(put.parameters).toContainEqual({ $ref: '#/components/parameters/XRequestId' });
    for (const status of ['400', '401', '403', '404', '412', '413', '415', '422', '429', '5XX'])
      expect(put.responses, status).toHaveProperty([status]);
    expect(doc.components.responses.Problem429.headers).toHaveProperty(['Retry-After']);
    expect(doc.components.responses.Problem422.description).toContain('validation_failed');
  });
});

// What the API sends, compared with what the document says of that operation and status.
const sentHeaders = [
  'etag',
  'x-request-id',
  'idempotent-replayed',
  'x-ratelimit-limit',
  'retry-after',
];
function documentedHeaders(path: string, method: string, status: number): string[] {
  const responses = doc.paths[path][method].responses;
  let response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (response?.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
  return Object.keys(response?.headers ?? {}).map((h) => h.toLowerCase());
}

describe('headers sent are headers documented', () => {
  const auth = () => ({ authorization: `Bearer ${token}` });
  const cases = [
    {
      why: 'a create answers with ETag, the request id, rate-limit headers and (on a retry) Idempotent-Replayed',
      method: 'POST',
      url: '/v1/resources/account',
      path: '/v1/resources/account',
      headers: { 'idempotency-key': 'openapi-1' },
      payload: { name: 'Doc', email: 'doc@example.com' },
      repeat: true,
    },
    {
      why: 'a read of a resource that is not there is a problem with the request id',
      method: 'GET',
      url: '/v1/resources/user/nope',
      path: '/v1/resources/user/{id}',
    },
    {
      why: 'a public probe has no rate-limit headers but still the request id',
      method: 'GET',
      url: '/healthz',
      path: '/healthz',
    },
  ] as const;
  for (const c of cases) {
    it(c.why, async () => {
      const send = () =>
        app.inject({
          method: c.method,
          url: c.url,
          headers: { ...auth(), ...('headers' in c ? c.headers : {}) },
          ...('payload' in c ? { payload: c.payload } : {}),
        });
      let res = await send();
      if ('repeat' in c) res = await send();
      expect(res.headers['x-request-id']).toBeDefined();
      const documented = documentedHeaders(c.path, c.method.toLowerCase(), res.statusCode);
      const sent = sentHeaders.filter((h) => res.headers[h] !== undefined);
      expect(documented, `${res.statusCode} ${res.body}`).toEqual(expect.arrayContaining(sent));
    });
  }
});
