import {
  frontMatter,
  pagePath,
  providerName,
  type ProviderDocsInput,
} from './generate-docs-layout.js';
import { schemaSection } from './generate-docs-schema.js';

/** The first sentence of a description, for the lists. */
function summary(description: string | undefined): string {
  const text = description ?? '';
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}

/**
 * docs/index.md, tfplugindocs' provider page: front matter, example usage
 * (examples/provider/provider.tf), the provider block's schema; then, for readers of the
 * repository, a line per resource, data source and guide (the registry lists those itself).
 */
export function providerIndex(input: ProviderDocsInput): { path: string; content: string } {
  const { schemas } = input;
  const description = schemas.provider.block.description ?? '';
  const example = input.examples.get('provider/provider.tf');
  // Lists rather than tables: prettier checks this page and would realign a table.
  const row = (type: 'resource' | 'data-source', name: string, text: string | undefined) =>
    `- [\`${name}\`](${pagePath(type, name).replace(/^docs\//, '')}): ${summary(text)}`;
  const list = (
    type: 'resource' | 'data-source',
    map: ProviderDocsInput['schemas']['resource_schemas'],
  ) =>
    Object.keys(map)
      .sort()
      .map((name) => row(type, name, map[name]!.block.description));
  const out = [
    ...frontMatter(`${providerName} Provider`, description),
    '',
    `# ${providerName} Provider`,
    '',
    description,
    'One provider configuration manages many customer accounts: every account-scoped resource',
    'names its `account_id`, so `for_each` over customers works in a single configuration.',
    ...(example
      ? ['', '## Example Usage', '', '```terraform', example.replace(/\n*$/, ''), '```']
      : []),
    '',
    ...schemaSection(schemas.provider, undefined),
    '',
    '## Resources',
    '',
    ...list('resource', schemas.resource_schemas),
    '',
    '## Data Sources',
    '',
    ...list('data-source', schemas.data_source_schemas),
    ...(input.guides.length > 0
      ? ['', '## Guides', '', ...input.guides.map((g) => `- [${g.title}](guides/${g.file})`)]
      : []),
  ];
  return { path: 'docs/index.md', content: out.join('\n') + '\n' };
}
