import { getKind, type SchemaNode } from '@telform/schemas';
import { ExportReference, ExportSecret, type ExportDocument } from './export-document.js';
import { secretExpression, variableDescription } from './render-hcl-export.js';
import { escapeTemplate } from './render-json-export.js';

/** Where the generated constructs are imported from when the caller does not say. */
export const defaultConstructsModule = './.gen/providers/telform/index.js';

export interface CdktfExportOptions {
  /** Module of the generated telform constructs (`cdktf get` writes `.gen/providers/telform`). */
  readonly constructsModule?: string;
  /** Name of the synthesized stack (its folder under `cdktf.out/stacks/`). */
  readonly stackName?: string;
}

/**
 * The export as a CDKTF TypeScript app using telform's generated constructs: one construct per
 * resource with the same Terraform address as the HCL export (`overrideLogicalId`) and
 * `importFrom` for its import block, references as `<construct>.id`, secrets from `map(string)`
 * variables. `npx tsx main.ts [outdir]` synthesizes `<outdir>/stacks/<stack>/cdk.tf.json`, its
 * state in that folder (a relative local backend).
 */
export function renderCdktfExport(
  document: ExportDocument,
  header: string,
  options: CdktfExportOptions = {},
): string {
  const module = options.constructsModule ?? defaultConstructsModule;
  const stack = options.stackName ?? 'telform-import';
  const construct = new Map(document.blocks.map((b) => [b.address, `${b.kind}_${b.name}`]));
  const lines = [
    `// ${header}`,
    "import { App, LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';",
    "import type { Construct } from 'constructs';",
    `import * as telform from ${JSON.stringify(module)};`,
    '',
    '/** Everything the exported accounts hold, each resource adopted by its import block. */',
    'export class TelformImportStack extends TerraformStack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    "    new LocalBackend(this, { path: 'terraform.tfstate' });",
    '    // endpoint and token from TELFORM_ENDPOINT and TELFORM_TOKEN',
    "    new telform.provider.TelformProvider(this, 'telform', {});",
  ];
  for (const v of document.variables) {
    const config = `{ type: 'map(string)', sensitive: true, default: {}, description: ${JSON.stringify(variableDescription(v))} }`;
    lines.push(
      `    new TerraformVariable(this, ${JSON.stringify(v.name)}, ${config}).overrideLogicalId(${JSON.stringify(v.name)});`,
    );
  }
  for (const block of document.blocks) {
    const id = construct.get(block.address)!;
    const type = `telform.${camel(block.kind)}.${pascal(block.kind)}`;
    const props = tsValue(getKind(block.kind).schema, block.attributes, 2, construct);
    lines.push(
      `    const ${id} = new ${type}(this, ${JSON.stringify(id)}, ${props});`,
      `    ${id}.overrideLogicalId(${JSON.stringify(block.name)});`,
      `    ${id}.importFrom(${JSON.stringify(block.importId)});`,
    );
  }
  lines.push(
    '  }',
    '}',
    '',
    "const app = new App({ outdir: process.argv[2] ?? 'cdktf.out' });",
    `new TelformImportStack(app, ${JSON.stringify(stack)});`,
    'app.synth();',
    '',
  );
  return lines.join('\n');
}

/** The constructs' property name for an attribute (`e911_address` -> `e911Address`). */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function pascal(name: string): string {
  const c = camel(name);
  return c[0]!.toUpperCase() + c.slice(1);
}

/**
 * A value as a TypeScript expression. Attributes of objects the schema declares are camelCase
 * (as the constructs name them); maps (closed sets of booleans such as privileges) keep their
 * keys. Strings are templates to Terraform, so literal `${` is escaped.
 */
function tsValue(
  node: SchemaNode | undefined,
  value: unknown,
  depth: number,
  constructs: ReadonlyMap<string, string>,
): string {
  if (value instanceof ExportReference) return `${constructs.get(value.address)}.id`;
  if (value instanceof ExportSecret) return JSON.stringify(`\${${secretExpression(value)}}`);
  if (typeof value === 'string') return JSON.stringify(escapeTemplate(value));
  if (Array.isArray(value)) {
    return `[${value.map((item) => tsValue(node?.items, item, depth, constructs)).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const declared = node?.properties !== undefined && node['x-telform-closed-set'] !== true;
    const pad = '  '.repeat(depth + 1);
    const entries = Object.entries(value).map(([key, v]) => {
      const name = declared ? camel(key) : key;
      const shown = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
      return `${pad}${shown}: ${tsValue(node?.properties?.[key], v, depth + 1, constructs)},`;
    });
    return entries.length === 0 ? '{}' : `{\n${entries.join('\n')}\n${'  '.repeat(depth)}}`;
  }
  return JSON.stringify(value);
}
