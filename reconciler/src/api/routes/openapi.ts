import type { FastifyPluginAsync } from 'fastify';

/** `/openapi.json`: the document @fastify/swagger builds from every route's schema. */
export const openapiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', {
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
};
