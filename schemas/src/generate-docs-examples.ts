import type { KindInfo } from './catalog.js';
import { HclExpression, hclBlock } from './generate-hcl.js';

/**
 * A kind's example configuration and import commands, from its `x-telform.example`: what
 * examples/resources/<type>/resource.tf and import.sh started from, and what a page shows for a
 * new kind until its example files are written.
 */

export const typeNameOf = (info: KindInfo) => `telform_${info.kind}`;

/** An id of the daemon's shape (`<kind>_` + 26 base32 characters) for examples. */
function exampleId(kind: string): string {
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
 * The kind's example as HCL attributes: references become `telform_<kind>.example.id` and
 * secrets come from variables, as a real configuration would write them.
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

/** `resource "telform_<kind>" "example" { ... }` (or the `data` block of a data source). */
export function kindExample(info: KindInfo): string {
  const block = hclBlock(
    [info.dataSource ? 'data' : 'resource', typeNameOf(info), 'example'],
    exampleValues(info),
  );
  return `${block}\n`;
}

/**
 * Import commands: by the telform id, and by platform reference (reconciler/src/adopt's
 * `platform:<account>[/<object>]`, `platform:<account>` for accounts and singletons).
 */
export function kindImportScript(info: KindInfo): string {
  const type = typeNameOf(info);
  const alone = info.kind === 'account' || info.singleton;
  const object = info.kind === 'sub_account' ? 'acc-7' : `${info.kind.replaceAll('_', '-')}-42`;
  const ref = alone ? 'platform:acc-3' : `platform:acc-3/${object}`;
  const what = alone
    ? info.kind === 'account'
      ? 'the account by its platform id'
      : "the account's settings by the account's platform id"
    : `the ${info.kind.replaceAll('_', ' ')} by its account's platform id and its own`;
  return [
    '# By the id telform assigned (the `id` attribute):',
    `terraform import ${type}.example ${exampleId(info.kind)}`,
    '',
    `# Adopting what exists on the platform only: ${what}, as the vendor's console shows them.`,
    `terraform import ${type}.example ${ref}`,
    '',
  ].join('\n');
}
