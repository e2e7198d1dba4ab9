import type { KindInfo, SchemaNode } from './catalog.js';
import { vendorDocuments, type CoverageItem } from './coverage-behaviours.js';
import type { GeneratedFile } from './generate-notice.js';
import { generatedNotice } from './generate-notice.js';

/** Whether `ref` (`kind` or `kind.a.b`) names a kind, or an attribute of one, in `kinds`. */
function resolves(kinds: ReadonlyMap<string, KindInfo>, ref: string): boolean {
  const [kind, ...path] = ref.split('.');
  let node: SchemaNode | undefined = kinds.get(kind!)?.schema;
  for (const part of path) node = node?.properties?.[part];
  return node !== undefined;
}

const isRoute = (ref: string) => ref.startsWith('`');
const typeOf = (kinds: ReadonlyMap<string, KindInfo>, ref: string) => {
  if (isRoute(ref)) return ref;
  const [kind, ...path] = ref.split('.');
  const info = kinds.get(kind!)!;
  const name = `\`${info.dataSource ? 'data.' : ''}telform_${kind}${path.length ? `.${path.join('.')}` : ''}\``;
  return name;
};

function itemLine(kinds: ReadonlyMap<string, KindInfo>, it: CoverageItem): string {
  const covers = it.covers.map((c) => typeOf(kinds, c)).join(', ');
  const tests = it.tests.map((t) => `\`${t}\``).join(', ');
  const parts = [`- ${it.item}:`, covers ? ` ${covers}` : ' not covered'];
  if (tests) parts.push(`; proved by ${tests}`);
  if (it.leftOut) parts.push(`. Left out: ${it.leftOut}`);
  return `${parts.join('')}.`;
}

/**
 * `docs/coverage.md`: every vendor document item with what covers it and its test (from
 * coverage-behaviours.ts), then every kind of the schemas with the items it covers. Throws when
 * an item names a kind or attribute the schemas do not have, or an item has neither coverage
 * nor a reason, so the page cannot drift from the schemas.
 */
export function generateCoverage(list: readonly KindInfo[]): GeneratedFile {
  const kinds = new Map(list.map((k) => [k.kind, k]));
  const byKind = new Map<string, string[]>();
  const lines = [
    `<!-- ${generatedNotice('schemas/kinds/*.schema.json and schemas/src/coverage-behaviours.ts')} -->`,
    '',
    '# Vendor coverage',
    '',
    'Every item of the five vendor documents (`DESIGN.md` section 3) with the resource,',
    'attribute, data source or route that covers it and the tests that prove it. An item the',
    'project leaves out, wholly or in part, says why.',
  ];
  for (const doc of vendorDocuments) {
    lines.push('', `## ${doc.title} (${doc.file})`, '');
    for (const it of doc.items) {
      for (const ref of it.covers) {
        if (!isRoute(ref) && !resolves(kinds, ref)) {
          throw new Error(`coverage item "${it.item}": ${ref} is not a kind or attribute`);
        }
        if (!isRoute(ref)) {
          const kind = ref.split('.')[0]!;
          byKind.set(kind, [...(byKind.get(kind) ?? []), it.item]);
        }
      }
      if (it.covers.length === 0 && !it.leftOut) {
        throw new Error(`coverage item "${it.item}" has no coverage and no reason`);
      }
      lines.push(itemLine(kinds, it));
    }
  }
  lines.push('', '## By kind', '');
  for (const info of list) {
    const items = [...new Set(byKind.get(info.kind) ?? [])];
    const name = `${info.dataSource ? 'data source' : 'resource'} \`telform_${info.kind}\``;
    lines.push(
      items.length
        ? `- ${name}: ${items.length} item${items.length > 1 ? 's' : ''} (${items.join('; ')}).`
        : `- ${name}: no vendor item of its own (telform's own or shared support).`,
    );
  }
  return { path: 'docs/coverage.md', content: `${lines.join('\n')}\n` };
}
