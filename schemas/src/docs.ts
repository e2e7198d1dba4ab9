/** The docs generator's parts, for reconciler/src/cli/generate-docs.ts (not needed at run time). */
export { generateProviderDocs, importCommands } from './generate-docs.js';
export {
  examplePaths,
  pagePath,
  type DocType,
  type ProviderDocsInput,
} from './generate-docs-layout.js';
export { kindExample, kindImportScript } from './generate-docs-examples.js';
export type { DocAttribute, DocSchema } from './generate-docs-schema.js';
