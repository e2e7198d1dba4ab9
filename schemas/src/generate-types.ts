import { compile } from 'json-schema-to-typescript';
import type { KindInfo } from './catalog.js';
import { generatedNotice, type GeneratedFile } from './generate-notice.js';

export const typesPath = 'schemas/generated/types.ts';

/**
 * TypeScript types for every kind (json-schema-to-typescript), one file, plus `TelformKinds`
 * mapping each kind name to its type. `cwd` resolves cross-file `$ref`s.
 */
export async function generateTypes(
  kinds: readonly KindInfo[],
  cwd: string,
): Promise<GeneratedFile> {
  const declared = new Map<string, string>();
  const parts: string[] = [];
  const roots: string[] = [];
  for (const info of kinds) {
    // compile() annotates the schema it is given; keep the catalogue's copy untouched.
    const schema = structuredClone(info.schema) as unknown as Parameters<typeof compile>[0];
    const code = await compile(schema, info.kind, {
      bannerComment: '',
      cwd,
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      style: { singleQuote: true, printWidth: 100 },
    });
    const names = [...code.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!);
    for (const name of names) {
      const other = declared.get(name);
      if (other) {
        throw new Error(
          `kinds ${other} and ${info.kind} both declare the type ${name}; give one of their titles another name`,
        );
      }
      declared.set(name, info.kind);
    }
    roots.push(`  ${info.kind}: ${names[0]};`);
    parts.push(code.trim());
  }
  const header = `// ${generatedNotice('schemas/kinds/*.schema.json')}`;
  const index = [
    '/** Each kind name and the type of its attributes. */',
    'export interface TelformKinds {',
    ...roots,
    '}',
  ].join('\n');
  return { path: typesPath, content: [header, ...parts, index].join('\n\n') + '\n' };
}
