import type { FastifyReply } from 'fastify';
import { errorCatalogue, type ErrorCode } from './error-catalogue.js';

export const problemContentType = 'application/problem+json';

export interface FieldProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/** RFC 9457 problem details, with telform's stable `code` and per-field `errors`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
}

/** Builds the problem for a catalogue code. `detail` must never carry attribute values. */
export function problem(
  code: ErrorCode,
  detail: string,
  extra: { errors?: readonly FieldProblem[]; instance?: string } = {},
): Problem {
  const entry = errorCatalogue[code];
  return {
    type: `https://telform.dev/problems/${code.replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    code,
    detail,
    ...(extra.instance === undefined ? {} : { instance: extra.instance }),
    ...(extra.errors === undefined ? {} : { errors: extra.errors }),
  };
}

/** An error a handler throws to answer with a problem; the error handler sends it. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: readonly FieldProblem[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(problemContentType).send(body);
}
