import type { KindInfo } from './catalog.js';
import type { DocSchema } from './generate-docs-schema.js';
import { generatedNotice } from './generate-notice.js';

/** tfplugindocs' layout: where pages and example files live, and the front matter of a page. */

export interface ProviderDocsInput {
  /** One provider's part of `terraform providers schema -json`. */
  readonly schemas: {
    readonly provider: DocSchema;
    readonly resource_schemas: Readonly<Record<string, DocSchema>>;
    readonly data_source_schemas: Readonly<Record<string, DocSchema>>;
  };
  /** The catalogue's kinds: their JSON Schemas add value rules and fallback examples. */
  readonly kinds: readonly KindInfo[];
  /** Files under examples/, by path relative to it (`resources/telform_user/resource.tf`). */
  readonly examples: ReadonlyMap<string, string>;
  /** The guides in docs/guides/, for the index. */
  readonly guides: readonly { readonly file: string; readonly title: string }[];
}

export const providerName = 'telform';
const docsSource = 'the provider schema (`terraform providers schema -json`) and examples/';

export type DocType = 'resource' | 'data-source';

/** Where tfplugindocs looks for a type's example files. */
export function examplePaths(type: DocType, typeName: string) {
  const dir = `${type === 'resource' ? 'resources' : 'data-sources'}/${typeName}`;
  return { config: `${dir}/${type}.tf`, importScript: `${dir}/import.sh` };
}

/** The page of a type: `docs/resources/user.md` for `telform_user`. */
export function pagePath(type: DocType, typeName: string): string {
  const dir = type === 'resource' ? 'resources' : 'data-sources';
  return `docs/${dir}/${typeName.replace(/^telform_/, '')}.md`;
}

/** YAML front matter; the generated notice is its first comment, as tfplugindocs puts its own. */
export function frontMatter(title: string, description: string): string[] {
  const text = description.trim() || title;
  return [
    '---',
    `# ${generatedNotice(docsSource)}`,
    `page_title: "${title}"`,
    'subcategory: ""',
    'description: |-',
    ...text.split('\n').map((line) => `  ${line}`),
    '---',
  ];
}
