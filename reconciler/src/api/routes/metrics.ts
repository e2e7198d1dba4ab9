import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';

export interface MetricsRoutesOptions {
  readonly metrics: Metrics;
}

/** `/metrics` in Prometheus text format. */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, { metrics }) => {
  app.get('/metrics', {
    schema: { tags: ['operations'], summary: 'Prometheus metrics' },
    handler: async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  });
};
