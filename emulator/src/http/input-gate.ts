import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inspectInput, type InputLimits, type InputProblem } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';

/**
 * The emulator's input gate, the same rules as the daemon's (`inspectInput`): path parameters
 * and query values on request, before authentication, fault injection or a route; bodies before
 * validation, so a 2,000-deep body never reaches a recursive clone and a NUL never reaches the
 * journal. A refusal is a 400 `bad_request` naming the field and the rule; the refused input is
 * dropped from the request so the activity log records none of it. Call it before any other
 * hook is added.
 */
export function installInputGate(app: FastifyInstance, limits: InputLimits = {}): void {
  const refuse = (request: FastifyRequest, problems: InputProblem[]) => {
    request.params = {};
    request.query = {};
    request.body = undefined;
    const [first] = problems;
    return errors.badRequest(
      problems.map((p) => `${p.location}: ${p.message}`).join('; '),
      first!.field,
      first!.rule,
    );
  };
  app.addHook('onRequest', async (request) => {
    const problems = inspectInput({ params: request.params, query: request.query }, limits);
    if (problems.length > 0) throw refuse(request, problems);
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    const problems = inspectInput({ body: request.body }, limits);
    if (problems.length > 0) throw refuse(request, problems);
  });
}
