import { HclExpression, hclBlock } from '@telform/schemas';
import {
  ExportReference,
  ExportSecret,
  type ExportDocument,
  type ExportVariable,
} from './export-document.js';

/** What every rendering of an export says about a secret variable. */
export function variableDescription(variable: ExportVariable): string {
  return `${variable.attribute} of telform_${variable.kind} resources, by resource name. Write-only: the platform never returns it, so it is null (not managed, the platform keeps its value) until set here; to send a value, set it and bump ${variable.attribute}_wo_version.`;
}

/** `lookup(var.user_password, "alice", null)`: the secret's value, null when not supplied. */
export function secretExpression(secret: ExportSecret): string {
  return `lookup(var.${secret.variable}, ${JSON.stringify(secret.key)}, null)`;
}

/**
 * The export as one HCL file, laid out as `terraform fmt` leaves it: the provider requirement,
 * one `map(string)` variable per secret attribute, then per resource its `resource` and
 * `import` blocks. `header` is the first line, written as a comment.
 */
export function renderHclExport(document: ExportDocument, header: string): string {
  const parts = [
    [
      'terraform {',
      '  required_providers {',
      '    telform = { source = "telform/telform" }',
      '  }',
      '}',
      '',
      '# endpoint and token from TELFORM_ENDPOINT and TELFORM_TOKEN',
      'provider "telform" {}',
    ].join('\n'),
    ...document.variables.map((v) =>
      hclBlock(['variable', v.name], {
        description: variableDescription(v),
        type: new HclExpression('map(string)'),
        sensitive: true,
        default: new HclExpression('{}'),
      }),
    ),
    ...document.blocks.map((block) =>
      [
        hclBlock(['resource', `telform_${block.kind}`, block.name], hclValues(block.attributes)),
        hclBlock(['import'], { to: new HclExpression(block.address), id: block.importId }),
      ].join('\n'),
    ),
  ];
  return `# ${header}\n${parts.map((p) => `\n${p}\n`).join('')}`;
}

function hclValues(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return hclValue(value) as Record<string, unknown>;
}

function hclValue(value: unknown): unknown {
  if (value instanceof ExportReference) return new HclExpression(`${value.address}.id`);
  if (value instanceof ExportSecret) return new HclExpression(secretExpression(value));
  if (Array.isArray(value)) return value.map(hclValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hclValue(v)]));
  }
  return value;
}
