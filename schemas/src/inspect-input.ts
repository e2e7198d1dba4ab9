/**
 * The rules every request input must meet before any route, validator, clone or database sees
 * it, shared by the daemon and the emulator so both edges refuse the same things:
 *
 * - no NUL character (Postgres refuses it in text and jsonb, so it would surface as a 500);
 * - well-formed Unicode (a lone surrogate cannot be stored as UTF-8);
 * - bounded lengths (path parameters, query values, body strings, object keys);
 * - numbers finite and within ±(2^53 - 1) (`JSON.parse('1e309')` is Infinity, `limit=1e309`
 *   coerces to Infinity, and larger integers lose precision);
 * - bounded JSON nesting, checked without recursion (a recursive clone of a 2,000-deep body
 *   overflows the stack).
 *
 * `inspectInput` never throws and returns at most one problem per input location, the first one
 * found, naming the parameter (a dotted path with `[i]` for array items inside a body).
 */
export interface InputLimits {
  /** Longest path parameter, characters (default 200: ids are far shorter). */
  readonly maxParamLength?: number;
  /** Longest query value, characters (default 1,024). */
  readonly maxQueryLength?: number;
  /** Longest string or object key in a body, characters (default 8 MiB: base64 images). */
  readonly maxStringLength?: number;
  /** Deepest body nesting (default 32; the schemas nest 4 levels). */
  readonly maxDepth?: number;
}

export type InputLocation = 'params' | 'querystring' | 'body';

export interface InputProblem {
  readonly location: InputLocation;
  /** The parameter: a path or query parameter's name, or a dotted path into the body. */
  readonly field: string;
  readonly rule: 'noNulCharacter' | 'wellFormedUnicode' | 'maxLength' | 'finiteNumber' | 'maxDepth';
  readonly message: string;
}

export interface RequestInput {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

const safe = Number.MAX_SAFE_INTEGER;
// A query value spelled as a number (what a validator would coerce), including the spellings
// of infinities and NaN.
const numeric = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|infinity|nan)$/i;

// In unicode mode a surrogate pair reads as one code point, so this matches lone halves only.
const loneSurrogate = /\p{Cs}/u;

const where: Record<InputLocation, string> = {
  params: 'path parameter',
  querystring: 'query parameter',
  body: 'body field',
};

/** The problems of a request's params, query and body; empty when all of it is acceptable. */
export function inspectInput(input: RequestInput, limits: InputLimits = {}): InputProblem[] {
  const problems: InputProblem[] = [];
  const flat = (location: 'params' | 'querystring', value: unknown, max: number) => {
    if (value === null || typeof value !== 'object') return;
    for (const [name, raw] of Object.entries(value)) {
      // A bad name is not echoed: the problem says which location, and that a name is at fault.
      const named = stringProblem(location, '(name)', name, max);
      if (named) return void problems.push(named);
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        const found =
          typeof item === 'string'
            ? (stringProblem(location, name, item, max) ??
              (location === 'querystring' ? numericProblem(name, item) : undefined))
            : undefined;
        if (found) return void problems.push(found);
      }
    }
  };
  flat('params', input.params, limits.maxParamLength ?? 200);
  flat('querystring', input.query, limits.maxQueryLength ?? 1024);
  const body = bodyProblem(
    input.body,
    limits.maxStringLength ?? 8 * 1024 * 1024,
    limits.maxDepth ?? 32,
  );
  if (body) problems.push(body);
  return problems;
}

function stringProblem(
  location: InputLocation,
  field: string,
  value: string,
  max: number,
): InputProblem | undefined {
  const name = `${where[location]} ${field || '(root)'}`;
  if (value.length > max)
    return {
      location,
      field,
      rule: 'maxLength',
      message: `${name} must be at most ${max} characters`,
    };
  if (value.includes('\u0000'))
    return {
      location,
      field,
      rule: 'noNulCharacter',
      message: `${name} must not contain a NUL character (U+0000)`,
    };
  if (loneSurrogate.test(value))
    return {
      location,
      field,
      rule: 'wellFormedUnicode',
      message: `${name} must be well-formed Unicode (it holds a lone surrogate)`,
    };
  return undefined;
}

const numberIsFine = (n: number) => Number.isFinite(n) && Math.abs(n) <= safe;

function numericProblem(field: string, value: string): InputProblem | undefined {
  if (!numeric.test(value.trim()) || numberIsFine(Number(value))) return undefined;
  return {
    location: 'querystring',
    field,
    rule: 'finiteNumber',
    message: `query parameter ${field} must be a finite number within ±${safe}`,
  };
}

/** Walks the body without recursion; stops at the first problem. */
function bodyProblem(body: unknown, maxString: number, maxDepth: number): InputProblem | undefined {
  const stack: [unknown, string, number][] = [[body, '', 0]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    if (typeof node === 'string') {
      const found = stringProblem('body', path, node, maxString);
      if (found) return found;
    } else if (typeof node === 'number') {
      if (!numberIsFine(node))
        return {
          location: 'body',
          field: path || '(root)',
          rule: 'finiteNumber',
          message: `body field ${path || '(root)'} must be a finite number within ±${safe}`,
        };
    } else if (node !== null && typeof node === 'object') {
      if (depth + 1 > maxDepth)
        return {
          location: 'body',
          field: path || '(root)',
          rule: 'maxDepth',
          message: `the body must not nest deeper than ${maxDepth} levels (at ${path || '(root)'})`,
        };
      if (Array.isArray(node)) {
        node.forEach((item, i) => stack.push([item, `${path}[${i}]`, depth + 1]));
        continue;
      }
      for (const [key, value] of Object.entries(node)) {
        const at = path ? `${path}.${key}` : key;
        const keyProblem = stringProblem(
          'body',
          path ? `${path}.(name)` : '(name)',
          key,
          maxString,
        );
        if (keyProblem) return keyProblem;
        stack.push([value, at, depth + 1]);
      }
    }
  }
  return undefined;
}
