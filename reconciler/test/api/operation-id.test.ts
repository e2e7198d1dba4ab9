import { describe, expect, it } from 'vitest';
import { operationIdFor } from '../../src/api/openapi/operation-id.js';

describe('operationIdFor', () => {
  const cases = [
    {
      why: 'v1 is left out, fixed segments camel-cased',
      method: 'GET',
      url: '/v1/jobs',
      want: 'getJobs',
    },
    {
      why: 'parameters come last, after By',
      method: 'GET',
      url: '/v1/jobs/:name/runs',
      want: 'getJobsRunsByName',
    },
    {
      why: 'run and runs (two routes) stay distinct',
      method: 'POST',
      url: '/v1/jobs/:name/run',
      want: 'postJobsRunByName',
    },
    {
      why: 'dashes and underscores split words',
      method: 'POST',
      url: '/ui/sign-out',
      want: 'postUiSignOut',
    },
    {
      why: 'snake-case parameters too',
      method: 'PUT',
      url: '/v1/drift/policies/:target_id',
      want: 'putDriftPoliciesByTargetId',
    },
    {
      why: 'several parameters joined with And',
      method: 'GET',
      url: '/v1/a/:x/b/:y',
      want: 'getABByXAndY',
    },
  ];
  for (const c of cases) it(c.why, () => expect(operationIdFor(c.method, c.url)).toBe(c.want));
});
