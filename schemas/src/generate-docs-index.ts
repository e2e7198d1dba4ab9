import type { KindInfo } from './catalog.js';
import { HclExpression, hclBlock } from './generate-hcl.js';
import { generatedNotice } from './generate-notice.js';
import { providerBlock } from './generate-provider-block.js';
import { providerSource } from './generate-provider-schema.js';
import { providerConstraint } from './generate-constructs.js';

/** The first sentence of a description, for the index. */
function summary(description: string): string {
  const end = description.search(/\.(\s|$)/);
  return end === -1 ? description : description.slice(0, end + 1);
}

/** `docs/reference.md`: the provider block and a line per resource and data source. */
export function referenceIndex(kinds: readonly KindInfo[]): string {
  // Lists rather than tables: prettier checks this page and would realign a table.
  const row = (info: KindInfo, dir: string) =>
    `- [\`telform_${info.kind}\`](${dir}/${info.kind}.md): ${summary(info.description)}`;
  const providerArgs = Object.entries(providerBlock.block.attributes).map(
    ([name, a]) =>
      `- \`${name}\` (String, Optional${a.sensitive ? ', Sensitive' : ''}) ${a.description}`,
  );
  const setup = [
    'terraform {',
    '  required_providers {',
    '    telform = {',
    `      source  = "${providerSource}"`,
    `      version = "${providerConstraint}"`,
    '    }',
    '  }',
    '}',
    '',
    hclBlock(['provider', 'telform'], {
      endpoint: 'http://127.0.0.1:7420',
      token: new HclExpression('var.telform_token'),
    }),
  ].join('\n');
  const dataSources = kinds.filter((k) => k.dataSource);
  return (
    [
      `<!-- ${generatedNotice('schemas/kinds/*.schema.json')} -->`,
      '',
      '# telform reference',
      '',
      providerBlock.block.description,
      'One provider configuration manages many customer accounts: every account-scoped resource',
      'names its `account_id`, so `for_each` over customers works in a single configuration.',
      '',
      '## Provider configuration',
      '',
      '```terraform',
      setup,
      '```',
      '',
      ...providerArgs,
      '',
      '## Resources',
      '',
      ...kinds.filter((k) => !k.dataSource).map((k) => row(k, 'resources')),
      ...(dataSources.length > 0
        ? ['', '## Data Sources', '', ...dataSources.map((k) => row(k, 'data-sources'))]
        : []),
    ].join('\n') + '\n'
  );
}
