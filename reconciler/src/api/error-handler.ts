import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { StoreError } from '../store/store-error.js';
import type { ErrorCode } from './error-catalogue.js';
import { fieldProblemOf, type RouteValidationIssue } from './field-problem-of.js';
import { problem, ProblemError, sendProblem } from './problem.js';

// fastify's own errors, by code, mapped onto the catalogue.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

const byStatus: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The one error handler: every failure leaves as application/problem+json with a stable code. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const instance = request.url.split('?')[0];
  if (error instanceof ProblemError) {
    reply.headers(error.headers);
    return sendProblem(
      reply,
      problem(error.code, error.message, { errors: error.errors, instance }),
    );
  }
  if (error instanceof StoreError) {
    const errors = error.errors.length > 0 ? error.errors : undefined;
    return sendProblem(reply, problem(error.code, error.message, { errors, instance }));
  }
  if (error.validation) {
    const errors = error.validation.map((issue) => fieldProblemOf(issue as RouteValidationIssue));
    const where = error.validationContext ?? 'request';
    const detail = `${where}: ${errors.map((e) => e.message).join('; ')}`;
    return sendProblem(reply, problem('validation_failed', detail, { errors, instance }));
  }
  const mapped = fastifyCodes[error.code] ?? byStatus[error.statusCode ?? 500];
  if (mapped) {
    const headers = error.statusCode === 429 ? retryAfter(reply) : {};
    reply.headers(headers);
    return sendProblem(reply, problem(mapped, error.message, { instance }));
  }
  if ((error.statusCode ?? 500) < 500) {
    return sendProblem(reply, problem('bad_request', error.message, { instance }));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(
    reply,
    problem('internal_error', `the server failed; quote request id ${request.id}`, { instance }),
  );
}

function retryAfter(reply: FastifyReply): Record<string, string> {
  const value = reply.getHeader('retry-after');
  return value === undefined ? {} : { 'retry-after': String(value) };
}

/** Unknown routes, as problem+json. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0];
  return sendProblem(
    reply,
    problem('route_not_found', `no route ${request.method} ${path}`, { instance: path }),
  );
}
