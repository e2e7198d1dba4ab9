/**
 * Renders attribute values as HCL, laid out the way `terraform fmt` leaves them: consecutive
 * one-line attributes align their `=`, and a multi-line value stands alone.
 */

/** A value written as a raw HCL expression (a reference or a variable), not a literal. */
export class HclExpression {
  constructor(readonly text: string) {}
}

/**
 * A commented-out attribute: `# <key> = <text>` on a line of its own, where the value cannot be
 * written (a write-only secret the daemon never returns) but the user should see where it goes.
 */
export class HclComment {
  constructor(readonly text: string) {}
}

const indentUnit = '  ';

function hclString(value: string): string {
  // Escape template sequences so a literal `${` stays literal.
  return JSON.stringify(value).replace(/([$%])\{/g, (_m, sigil: string) => `${sigil}${sigil}{`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof HclExpression) &&
    !(value instanceof HclComment)
  );
}

/** The value's lines; the first line follows `key = `, the rest carry their own indentation. */
function valueLines(value: unknown, depth: number): string[] {
  if (value instanceof HclExpression) return [value.text];
  if (typeof value === 'string') return [hclString(value)];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (value === null) return ['null'];
  const pad = indentUnit.repeat(depth);
  if (Array.isArray(value)) {
    const items = value.map((item) => valueLines(item, depth + 1));
    if (items.every((lines) => lines.length === 1) && !value.some(isPlainObject)) {
      return [`[${items.map((lines) => lines[0]).join(', ')}]`];
    }
    const inner = items.flatMap((lines) => {
      const all = [`${pad}${indentUnit}${lines[0]}`, ...lines.slice(1)];
      all[all.length - 1] += ',';
      return all;
    });
    return ['[', ...inner, `${pad}]`];
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return ['{}'];
    return ['{', ...hclBody(Object.fromEntries(entries), depth + 1), `${pad}}`];
  }
  throw new Error(`cannot write ${typeof value} as HCL`);
}

/** The lines of a block body (or object) at `depth` levels of indentation. */
export function hclBody(values: Readonly<Record<string, unknown>>, depth: number): string[] {
  const pad = indentUnit.repeat(depth);
  const rendered = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) =>
      v instanceof HclComment
        ? { key, lines: [], comment: v.text }
        : { key, lines: valueLines(v, depth), comment: undefined },
    );
  const out: string[] = [];
  let group: { key: string; line: string }[] = [];
  const flush = () => {
    const width = Math.max(0, ...group.map((g) => g.key.length));
    for (const g of group) out.push(`${pad}${g.key.padEnd(width)} = ${g.line}`);
    group = [];
  };
  for (const { key, lines, comment } of rendered) {
    if (comment !== undefined) {
      flush();
      out.push(`${pad}# ${key} = ${comment}`);
      continue;
    }
    if (lines.length === 1) {
      group.push({ key, line: lines[0]! });
      continue;
    }
    flush();
    out.push(`${pad}${key} = ${lines[0]}`, ...lines.slice(1));
  }
  flush();
  return out;
}

/** A top-level block such as `resource "telform_user" "example" { ... }`. */
export function hclBlock(
  labels: readonly string[],
  values: Readonly<Record<string, unknown>>,
): string {
  const [type, ...rest] = labels;
  const header = [type, ...rest.map((label) => JSON.stringify(label))].join(' ');
  return [`${header} {`, ...hclBody(values, 1), '}'].join('\n');
}
