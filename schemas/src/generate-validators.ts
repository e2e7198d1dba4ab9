/**
 * schemas/generated/validators.ts: every kind's validator as ajv standalone code, one exported
 * function per kind, so that neither the daemon nor a provider launch compiles a schema (ajv
 * took 60-110 ms per kind a launch validated, 220 ms for all at a daemon start). ESM, and its
 * `require` is `runtimeModule`: see validator-runtime.ts.
 */
import * as standalone from 'ajv/dist/standalone/index.js';
import type { KindInfo } from './catalog.js';
import { generatedNotice, type GeneratedFile } from './generate-notice.js';
import { createAjv } from './validator-ajv.js';

export const validatorsPath = 'schemas/generated/validators.ts';

/** The validators of `kinds`, exported under each kind's name. */
export function generateValidators(kinds: readonly KindInfo[]): GeneratedFile {
  const ajv = createAjv();
  const exports: Record<string, string> = {};
  for (const info of kinds) {
    const id = info.schema.$id ?? info.kind;
    ajv.addSchema(info.schema, id);
    exports[info.kind] = id;
  }
  // A CommonJS default export reads as the function or as `{ default }`, by loader.
  // ajv's CommonJS module is the function, and carries itself as `default` too.
  const generate = standalone.default.default;
  const content = [
    `// ${generatedNotice('schemas/kinds/*.schema.json')}`,
    '// @ts-nocheck',
    "import { runtimeModule as require } from '../src/validator-runtime.js';",
    generate(ajv, exports),
    '',
  ].join('\n');
  return { path: validatorsPath, content };
}
