import type { KindInfo } from './catalog.js';
import { referenceIndex } from './generate-docs-index.js';
import { attributeLines, sortLines, type NestedSection } from './generate-docs-schema.js';
import { HclExpression, hclBlock } from './generate-hcl.js';
import { generatedNotice, type GeneratedFile } from './generate-notice.js';

/**
 * Reference pages in the layout Terraform users know from provider docs: example usage,
 * argument reference, attribute reference, import. One page per kind, plus an index.
 */

const typeName = (info: KindInfo) => `telform_${info.kind}`;

/** An id of the daemon's shape (`<kind>_` + 26 base32 characters) for examples. */
export function exampleId(kind: string): string {
  return `${kind}_01jd8x${'0'.repeat(19)}a`;
}

/**
 * Replaces the value at a catalogue attribute path (`a.b`, `keys[].user_id`) wherever the
 * example sets it.
 */
function replaceAt(value: unknown, path: string, make: () => HclExpression): void {
  const [head, ...rest] = path.split('.');
  const each = head!.endsWith('[]');
  const name = each ? head!.slice(0, -2) : head!;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  if (record[name] === undefined) return;
  if (rest.length === 0) {
    record[name] = make();
    return;
  }
  const targets =
    each && Array.isArray(record[name]) ? (record[name] as unknown[]) : [record[name]];
  for (const target of targets) replaceAt(target, rest.join('.'), make);
}

/**
 * The kind's `x-telform.example` as HCL attributes: references become `telform_<kind>.example.id`
 * and secrets come from variables, as a real configuration would write them.
 */
function exampleValues(info: KindInfo): Record<string, unknown> {
  const values = structuredClone(info.example) as Record<string, unknown>;
  for (const ref of info.references) {
    replaceAt(values, ref.attribute, () => new HclExpression(`telform_${ref.kinds[0]}.example.id`));
  }
  for (const secret of info.secrets) {
    const variable = `var.${info.kind}_${secret.replace(/\[\]/g, '').replace(/\./g, '_')}`;
    replaceAt(values, secret, () => new HclExpression(variable));
  }
  if (info.dataSource) {
    return { account_id: values.account_id ?? new HclExpression('telform_account.example.id') };
  }
  return values;
}

function page(info: KindInfo): string {
  const what = info.dataSource ? 'Data Source' : 'Resource';
  const sections: NestedSection[] = [];
  const lines = sortLines(attributeLines(info.schema, '', false, sections));
  const args = lines.filter((l) => (info.dataSource ? l.name === 'account_id' : !l.readOnly));
  const attrs = lines.filter((l) => !args.includes(l));
  const block = hclBlock(
    [info.dataSource ? 'data' : 'resource', typeName(info), 'example'],
    exampleValues(info),
  );
  const notes = [
    info.singleton ? 'An account has at most one of these.' : '',
    info.dataSource
      ? 'Read-only data reported by the platform: it is never created, changed or deleted.'
      : '',
  ].filter(Boolean);
  const out = [
    `<!-- ${generatedNotice(`schemas/kinds/${info.kind}.schema.json`)} -->`,
    '',
    `# ${typeName(info)} (${what})`,
    '',
    info.description,
    ...(notes.length > 0 ? ['', notes.join(' ')] : []),
    '',
    '## Example Usage',
    '',
    '```terraform',
    block,
    '```',
    '',
    '## Argument Reference',
    '',
    'The following arguments are supported:',
    '',
    ...(info.secrets.length > 0 && !info.dataSource
      ? [
          '> **Note:** write-only arguments need Terraform 1.11 or later; their values never enter the',
          '> plan or the state, and telform stores them encrypted and never returns them.',
          '',
        ]
      : []),
    ...args.map((l) => l.line),
    '',
    '## Attribute Reference',
    '',
    info.dataSource
      ? 'The following attributes are exported:'
      : 'In addition to the arguments above, the following attributes are exported:',
    '',
    ...attrs.map((l) => l.line),
  ];
  for (const section of [...sections].sort((a, b) => a.path.localeCompare(b.path))) {
    out.push('', ...section.lines);
  }
  if (!info.dataSource) {
    const id = exampleId(info.kind);
    out.push(
      '',
      '## Import',
      '',
      'Import takes the `id` that telform assigned, as shown by the `id` attribute:',
      '',
      '```shell',
      `terraform import ${typeName(info)}.example ${id}`,
      '```',
      '',
      'or, with Terraform 1.5 and later, an `import` block:',
      '',
      '```terraform',
      hclBlock(['import'], { to: new HclExpression(`${typeName(info)}.example`), id }),
      '```',
      '',
      ...platformImport(info),
    );
  }
  return out.join('\n') + '\n';
}

/**
 * Import by platform reference: what exists on the platform and telform never saw. The form
 * is reconciler/src/adopt/platform-ref.ts's: `platform:<account>` for accounts and singletons.
 */
function platformImport(info: KindInfo): string[] {
  const alone = info.kind === 'account' || info.singleton;
  const ref = alone
    ? 'platform:acc-3'
    : `platform:acc-3/${info.kind === 'sub_account' ? 'acc-7' : `${info.kind.replaceAll('_', '-')}-42`}`;
  const what = alone
    ? info.kind === 'account'
      ? 'the account by its platform id'
      : "the account's settings by the account's platform id"
    : `the ${info.kind.replaceAll('_', ' ')} by its account's platform id and its own`;
  return [
    `An object that already exists on the platform (made in the vendor's console, or before telform) is adopted by a platform reference, ${what}, as the vendor's console shows them:`,
    '',
    '```shell',
    `terraform import ${typeName(info)}.example ${ref}`,
    '```',
    '',
    'Adopting changes nothing on the platform: telform stores what the platform holds as the desired state (references become telform ids) and imports it; `import` blocks take the same reference, also with `terraform plan -generate-config-out`. Write-only attributes are not read back: telform leaves them to the platform until the configuration sets them. See [Adopting existing accounts](../guides/adopting-existing-accounts.md).',
  ];
}

export function generateDocs(kinds: readonly KindInfo[]): GeneratedFile[] {
  const pages = kinds.map((info) => ({
    path: `docs/${info.dataSource ? 'data-sources' : 'resources'}/${info.kind}.md`,
    content: page(info),
  }));
  return [...pages, { path: 'docs/reference.md', content: referenceIndex(kinds) }];
}
