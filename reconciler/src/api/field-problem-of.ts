import type { FieldProblem } from './problem.js';

/** One issue of fastify's route validation (ajv's error object, the parts used here). */
export interface RouteValidationIssue {
  readonly instancePath?: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  integer: 'an integer',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};
const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)',
  email: 'an email address',
  uri: 'an absolute URI',
  uuid: 'a UUID',
};

const quoted = (values: unknown) =>
  Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
const chars = (n: unknown) => `${String(n)} character${n === 1 ? '' : 's'}`;

// The rule in plain words, never quoting the submitted value (it may be a secret).
function ruleText(issue: RouteValidationIssue): string {
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'enum':
      return `must be one of ${quoted(p.allowedValues)}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type':
      return `must be ${String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return `must be at least ${chars(p.limit)} long`;
    case 'maxLength':
      return `must be at most ${chars(p.limit)} long`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'pattern':
      return `must match the pattern ${String(p.pattern)}`;
    case 'format':
      return `must be ${FORMAT_NAMES[String(p.format)] ?? `in ${String(p.format)} format`}`;
    default:
      return issue.message ?? 'is invalid';
  }
}

/**
 * A route validation issue as a field problem: the dotted field (`limit`, `body.name`), the
 * ajv keyword as the rule, and a sentence naming both (`limit must be <= 10000`).
 */
export function fieldProblemOf(issue: RouteValidationIssue): FieldProblem {
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const path = [issue.instancePath?.replace(/^\//, '').replaceAll('/', '.'), extra]
    .filter((p) => typeof p === 'string' && p !== '')
    .join('.');
  const field = path || '(root)';
  return { field, rule: issue.keyword, message: `${field} ${ruleText(issue)}` };
}
