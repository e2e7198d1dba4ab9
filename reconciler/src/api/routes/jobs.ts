import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ScopeGuard } from '../../auth/scope.js';
import type { JobRunResult, Scheduler } from '../../jobs/scheduler.js';
import { scopeJobSummary } from '../../jobs/scope-job-summary.js';
import type { Database } from '../../store/database.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';

export interface JobRoutesOptions {
  readonly db: Kysely<Database>;
  readonly scheduler: Scheduler;
  /** Run summaries mix tenants: a scoped token sees only its accounts' rows (scopeJobSummary). */
  readonly scope: ScopeGuard;
  /** Runs shown per job in the list. */
  readonly recentRuns?: number;
}

const timestamp = { type: 'string', format: 'date-time' } as const;
const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    replica: { type: 'string' },
    trigger: { type: 'string', enum: ['scheduled', 'manual'] },
    started_at: timestamp,
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    outcome: { type: 'string', enum: ['running', 'success', 'failure'] },
    summary: { type: 'object', additionalProperties: true },
  },
} as const;
const jobSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    schedule: { type: 'string' },
    timezone: { type: 'string' },
    next_run_at: { type: ['string', 'null'], format: 'date-time' },
    last_runs: { type: 'array', items: runSchema },
  },
} as const;
const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } },
} as const;
const runsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
} as const;

/** `/v1/jobs`: the scheduled jobs with their recent runs, and a way to run one now. */
export const jobRoutes: FastifyPluginAsync<JobRoutesOptions> = async (
  app,
  { db, scheduler, scope, recentRuns = 5 },
) => {
  const visibleTo = async (request: FastifyRequest) => {
    const ids = await scope.accountIds(principalOf(request));
    return ids === null ? null : new Set(ids);
  };
  const runsOf = async (job: string, limit: number, accounts: ReadonlySet<string> | null) =>
    (
      await db
        .selectFrom('job_runs')
        .selectAll()
        .where('job', '=', job)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    ).map((r) => ({
      id: String(r.id),
      replica: r.replica,
      trigger: r.trigger,
      started_at: r.started_at.toISOString(),
      finished_at: r.finished_at?.toISOString() ?? null,
      outcome: r.outcome,
      summary: scopeJobSummary(r.summary, accounts),
    }));
  const known = (name: string) => {
    const job = scheduler.list().find((j) => j.name === name);
    if (!job)
      throw new ProblemError(
        'not_found',
        `no job named ${name}; known: ${scheduler
          .list()
          .map((j) => j.name)
          .join(', ')}`,
      );
    return job;
  };

  app.get(
    '/v1/jobs',
    {
      config: { action: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: 'List scheduled jobs with their last runs',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: jobSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const accounts = await visibleTo(request);
      return {
        items: await Promise.all(
          scheduler.list().map(async (job) => ({
            name: job.name,
            description: job.description,
            schedule: job.schedule,
            timezone: job.timezone,
            next_run_at: job.nextRunAt?.toISOString() ?? null,
            last_runs: await runsOf(job.name, recentRuns, accounts),
          })),
        ),
      };
    },
  );

  app.get<{ Params: { name: string }; Querystring: { limit: number } }>(
    '/v1/jobs/:name/runs',
    {
      config: { action: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: 'Recent runs of a job',
        params: nameParams,
        querystring: runsQuery,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: runSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await runsOf(
        known(request.params.name).name,
        request.query.limit,
        await visibleTo(request),
      ),
    }),
  );

  const runNow = {
    config: { action: 'jobs:run' as const },
    schema: {
      tags: ['jobs'],
      summary: 'Run a job now',
      params: nameParams,
      response: {
        200: {
          type: 'object',
          properties: {
            outcome: { type: 'string' },
            run_id: { type: 'string' },
            summary: { type: 'object', additionalProperties: true },
          },
        },
        409: { $ref: 'telform-problem#' },
        ...problemResponses,
      },
    },
  };
  const handler = async (
    request: { params: { name: string } } & Parameters<typeof principalOf>[0],
  ) => {
    // Jobs act on every account: a token scoped to one partner may watch them, not start them.
    if (principalOf(request).scopeAccountId !== null)
      throw new ProblemError(
        'forbidden',
        'jobs act on every account; a token scoped to one account cannot run them',
      );
    const result: JobRunResult = await scheduler.runNow(known(request.params.name).name);
    if (result.outcome === 'skipped')
      throw new ProblemError('conflict', `job ${request.params.name} did not run: ${result.why}`);
    return { outcome: result.outcome, run_id: result.runId, summary: result.summary };
  };
  app.post<{ Params: { name: string } }>('/v1/jobs/:name/run', runNow, handler);
  app.post<{ Params: { name: string } }>('/v1/jobs/:name/runs', runNow, handler);
};
