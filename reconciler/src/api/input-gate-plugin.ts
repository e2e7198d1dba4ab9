import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { inspectInput, type InputLimits, type InputProblem } from '@telform/schemas';
import { problem, sendProblem } from './problem.js';

export type InputGateOptions = InputLimits;

/**
 * The daemon's input gate (rules in `inspectInput`): path parameters and query values are
 * checked on request, before authentication looks a token up, and bodies before validation, so
 * that no NUL, lone surrogate, oversized string, non-finite number or deep nesting reaches a
 * validator, the database or a recursive clone. A refusal is a 400 `bad_request` problem whose
 * `errors` name the parameter and the rule. The refused input is dropped from the request, so no
 * later hook (the audit trail records every call) stores any of it.
 */
const plugin: FastifyPluginAsync<InputGateOptions> = async (fastify, limits) => {
  const refuse = (request: FastifyRequest, reply: FastifyReply, problems: InputProblem[]) => {
    request.params = {};
    request.query = {};
    request.body = undefined;
    const detail = problems.map((p) => `${p.location}: ${p.message}`).join('; ');
    return sendProblem(
      reply,
      problem('bad_request', detail, {
        instance: request.url.split('?')[0],
        errors: problems.map(({ field, rule, message }) => ({ field, rule, message })),
      }),
    );
  };
  // Callback hooks (an async one costs a promise per request); a refusal sends the answer and
  // does not call `done`, which ends the request there.
  fastify.addHook('onRequest', (request, reply, done) => {
    const problems = inspectInput({ params: request.params, query: request.query }, limits);
    if (problems.length > 0) refuse(request, reply, problems);
    else done();
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.body === undefined) return done();
    const problems = inspectInput({ body: request.body }, limits);
    if (problems.length > 0) refuse(request, reply, problems);
    else done();
  });
};

export const inputGatePlugin = fp(plugin, { name: 'telform-input-gate', fastify: '5.x' });
