import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { problem, sendProblem } from '../problem.js';
import { consoleAssets } from './console-assets.js';
import type { ConsoleBundle } from './console-bundle.js';
import { consoleCsp } from './console-csp.js';
import { indexHtml } from './index-html.js';

/** A year: the longest lifetime caches honour; the name changes with every byte anyway. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const types = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

/**
 * The console's page and its two hashed files, with the console's CSP on every answer (errors
 * included). The page names the current files and may change with any build, so it is
 * `no-store`; a hashed file never changes under its name, so it is cached for good. An
 * unknown file under /ui/assets/ (an old build's) is a 404, never the page.
 */
export const consolePageRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-security-policy', consoleCsp).header('cache-control', 'no-store');
  });

  let html: { bundle: ConsoleBundle; text: string } | undefined;
  const page = async (_request: unknown, reply: FastifyReply) => {
    const bundle = await consoleAssets();
    if (html?.bundle !== bundle) html = { bundle, text: indexHtml(bundle) };
    return reply.type('text/html; charset=utf-8').send(html.text);
  };
  app.get('/ui', { schema: { hide: true } }, page);
  app.get('/ui/*', { schema: { hide: true } }, page);

  app.get<{ Params: { file: string } }>(
    '/ui/assets/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      const bundle = await consoleAssets();
      const asset = [bundle.js, bundle.css].find((a) => a.name === request.params.file);
      if (!asset)
        return sendProblem(
          reply,
          problem('not_found', `no console file ${request.params.file} in this build`),
        );
      const ext = asset === bundle.js ? 'js' : 'css';
      return reply.header('cache-control', IMMUTABLE).type(types[ext]).send(asset.text);
    },
  );
};
