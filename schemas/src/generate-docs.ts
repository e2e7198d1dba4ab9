import type { KindInfo } from './catalog.js';
import { providerIndex } from './generate-docs-index.js';
import { kindExample, kindImportScript } from './generate-docs-examples.js';
import { schemaSection, type DocSchema } from './generate-docs-schema.js';
import { HclExpression, hclBlock } from './generate-hcl.js';
import type { GeneratedFile } from './generate-notice.js';
import {
  examplePaths,
  frontMatter,
  pagePath,
  providerName,
  type DocType,
  type ProviderDocsInput,
} from './generate-docs-layout.js';

/**
 * The provider's registry docs in the layout tfplugindocs writes (docs/index.md,
 * docs/resources/<name>.md, docs/data-sources/<name>.md, names without the `telform_` prefix),
 * from the provider's whole schema, so every type it serves gets a page, hand-written or
 * generated from a kind. Examples come from examples/ at tfplugindocs' conventional paths.
 */

const fence = (lang: string, text: string) => ['```' + lang, text.replace(/\n*$/, ''), '```'];

/** `terraform import <address> <id>` lines of an import script. */
export function importCommands(script: string): { address: string; id: string }[] {
  return [...script.matchAll(/^terraform import (\S+) (\S+)$/gm)].map((m) => ({
    address: m[1]!,
    id: m[2]!,
  }));
}

function importSection(script: string): string[] {
  const commands = importCommands(script);
  const first = commands[0];
  const out = [
    '## Import',
    '',
    'Import is supported using the following syntax:',
    '',
    ...fence('shell', script),
  ];
  if (first) {
    out.push(
      '',
      'In Terraform 1.5 and later, an `import` block takes the same ids, also with `terraform plan -generate-config-out`:',
      '',
      ...fence(
        'terraform',
        hclBlock(['import'], { to: new HclExpression(first.address), id: first.id }),
      ),
    );
  }
  if (commands.some((c) => c.id.startsWith('platform:'))) {
    out.push(
      '',
      `A platform reference adopts an object that exists on the platform only (made in the vendor's console, or before telform) and changes nothing there: telform stores what the platform holds as the desired state, references become telform ids, and write-only attributes stay as the platform has them until the configuration sets them. See [Adopting existing accounts](../guides/adopting-existing-accounts.md).`,
    );
  }
  return out;
}

function page(
  type: DocType,
  typeName: string,
  schema: DocSchema,
  kind: KindInfo | undefined,
  examples: ReadonlyMap<string, string>,
): GeneratedFile {
  const what = type === 'resource' ? 'Resource' : 'Data Source';
  const description = schema.block.description ?? '';
  const paths = examplePaths(type, typeName);
  const example = examples.get(paths.config) ?? (kind ? kindExample(kind) : undefined);
  const importScript =
    type === 'resource'
      ? (examples.get(paths.importScript) ?? (kind ? kindImportScript(kind) : undefined))
      : undefined;
  const notes = [
    kind?.singleton ? 'An account has at most one of these.' : '',
    type === 'data-source'
      ? 'Read-only data reported by the platform or the daemon: it is never created, changed or deleted.'
      : '',
  ].filter(Boolean);
  const out = [
    ...frontMatter(`${typeName} ${what} - ${providerName}`, description),
    '',
    `# ${typeName} (${what})`,
    '',
    description,
    ...(notes.length > 0 ? ['', notes.join(' ')] : []),
    ...(example ? ['', '## Example Usage', '', ...fence('terraform', example)] : []),
    '',
    ...schemaSection(schema, kind?.schema),
    ...(importScript ? ['', ...importSection(importScript)] : []),
  ];
  return { path: pagePath(type, typeName), content: out.join('\n') + '\n' };
}

export function generateProviderDocs(input: ProviderDocsInput): GeneratedFile[] {
  const kindOf = (typeName: string) => input.kinds.find((k) => `telform_${k.kind}` === typeName);
  const pages = (type: DocType, schemas: Readonly<Record<string, DocSchema>>) =>
    Object.keys(schemas)
      .sort()
      .map((name) => page(type, name, schemas[name]!, kindOf(name), input.examples));
  const resources = pages('resource', input.schemas.resource_schemas);
  const dataSources = pages('data-source', input.schemas.data_source_schemas);
  return [providerIndex(input), ...resources, ...dataSources];
}
