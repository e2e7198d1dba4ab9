import { describe, expect, it } from 'vitest';
import { auditEventName } from '../../src/api/audit-event-name.js';

const cases = [
  {
    reason: 'create of a kind',
    method: 'POST',
    url: '/v1/resources/:kind',
    params: { kind: 'user' },
    want: ['user.create', 'write'],
  },
  {
    reason: 'read of one object',
    method: 'GET',
    url: '/v1/resources/:kind/:id',
    params: { kind: 'user', id: 'u' },
    want: ['user.read', 'read'],
  },
  {
    reason: 'list of a kind',
    method: 'GET',
    url: '/v1/resources/:kind',
    params: { kind: 'webhook' },
    want: ['webhook.list', 'read'],
  },
  {
    reason: 'replace',
    method: 'PUT',
    url: '/v1/resources/:kind/:id',
    params: { kind: 'sms_settings', id: 's' },
    want: ['sms_settings.update', 'write'],
  },
  {
    reason: 'delete',
    method: 'DELETE',
    url: '/v1/resources/:kind/:id',
    params: { kind: 'user', id: 'u' },
    want: ['user.delete', 'write'],
  },
  {
    reason: 'a route per kind names its kind',
    method: 'PUT',
    url: '/v1/resources/user/:id',
    params: { id: 'u' },
    want: ['user.update', 'write'],
  },
  {
    reason: 'a route per kind, listing',
    method: 'GET',
    url: '/v1/resources/sub_account',
    params: {},
    want: ['sub_account.list', 'read'],
  },
  {
    reason: 'a status read is its own event',
    method: 'GET',
    url: '/v1/resources/user/:id/status',
    params: { id: 'u' },
    want: ['user.status', 'read'],
  },
  {
    reason: 'bulk list of every kind',
    method: 'GET',
    url: '/v1/resources',
    params: {},
    want: ['resource.list', 'read'],
  },
  {
    reason: 'tokens are a collection',
    method: 'POST',
    url: '/v1/tokens',
    params: {},
    want: ['token.create', 'write'],
  },
  {
    reason: 'revoking a token',
    method: 'DELETE',
    url: '/v1/tokens/:id',
    params: { id: 't' },
    want: ['token.delete', 'write'],
  },
  {
    reason: 'an operation segment names the event',
    method: 'GET',
    url: '/v1/audit/verify',
    params: {},
    want: ['audit.verify', 'read'],
  },
  {
    reason: 'an action on a collection',
    method: 'POST',
    url: '/v1/drift/scan',
    params: {},
    want: ['drift.scan', 'write'],
  },
  {
    reason: 'platform data under an account',
    method: 'GET',
    url: '/v1/accounts/:id/seat-usage',
    params: { id: 'a' },
    want: ['account.seat_usage', 'read'],
  },
  {
    reason: 'a run of a named job',
    method: 'POST',
    url: '/v1/jobs/:name/run',
    params: { name: 'x' },
    want: ['job.run', 'write'],
  },
  {
    reason: 'a hostile kind param does not become the event name',
    method: 'GET',
    url: '/v1/resources/:kind',
    params: { kind: 'x.y\u0000' },
    want: ['resource.list', 'read'],
  },
];

describe('auditEventName', () => {
  it.each(cases)('$reason: $method $url', ({ method, url, params, want }) => {
    const named = auditEventName({ method, url, params });
    expect([named.event, named.access]).toEqual(want);
  });
});
