/**
 * The ajv instance the kind schemas compile with, at build time (`npm run generate` writes its
 * standalone code) and in tests that compile modified schemas. Every telform keyword generates
 * code (`code`, not `validate`) calling `telformKeywords` through `runtimeModule`, so that the
 * standalone output can name it; see validator-runtime.ts.
 */
import { Ajv, _, type CodeKeywordDefinition, type KeywordCxt } from 'ajv';
import formats from 'ajv-formats';
import { TELFORM_KEYWORDS_ID, telformKeywords } from './validator-runtime.js';

type KeywordCheck = keyof typeof telformKeywords;

/** Code that reads telform keyword check `name`, in compiled and in standalone code alike. */
function check(cxt: KeywordCxt, name: KeywordCheck) {
  return cxt.gen.scopeValue('func', {
    ref: telformKeywords[name],
    code: _`require(${TELFORM_KEYWORDS_ID})[${name}]`,
  });
}

/** A keyword failing when `check(schema value, data)` is false. */
function keyword(
  name: string,
  type: 'string' | 'array',
  schemaType: 'number' | 'object' | 'string',
  fn: KeywordCheck,
): CodeKeywordDefinition {
  return {
    keyword: name,
    type,
    schemaType,
    code(cxt: KeywordCxt) {
      cxt.fail(_`!${check(cxt, fn)}(${cxt.schemaValue}, ${cxt.data})`);
    },
  };
}

/** A keyword whose check also reads the sibling property the schema value names. */
function siblingKeyword(name: string, fn: KeywordCheck): CodeKeywordDefinition {
  return {
    keyword: name,
    type: 'string',
    schemaType: 'string',
    code(cxt: KeywordCxt) {
      const parent = cxt.it.parentData;
      const sibling = _`${parent}[${cxt.schemaValue}]`;
      cxt.fail(_`!${check(cxt, fn)}(${sibling}, ${cxt.data})`);
    },
  };
}

/** Source-keeping (`code.source`) ajv with telform's formats, annotations and keywords. */
export function createAjv(): Ajv {
  // strictRequired cannot see the parent's properties from an if/then branch; the catalogue
  // test checks instead that every required name is a declared property.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    verbose: true,
    code: { source: true, esm: true },
  });
  formats.default(ajv);
  // Annotations only: they steer generators and the reconciler, not validation. References
  // are checked by whoever can resolve them: telform ids in the daemon, platform ids in the
  // emulator (the driver hands it resolved values).
  const annotations = [
    'x-telform',
    'x-telform-force-new',
    'x-telform-sensitive',
    'x-telform-references',
    'x-telform-desired-only',
    'x-telform-closed-set',
  ];
  for (const name of annotations) ajv.addKeyword({ keyword: name });
  // Computed attributes are never accepted as input: present at all means refused.
  ajv.removeKeyword('readOnly');
  ajv.addKeyword({
    keyword: 'readOnly',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      if (cxt.schema === true) cxt.fail();
    },
  });
  ajv.addKeyword(keyword('x-telform-max-decoded-bytes', 'string', 'number', 'maxDecodedBytes'));
  ajv.addKeyword(keyword('x-telform-max-image-size', 'string', 'object', 'maxImageSize'));
  ajv.addKeyword(keyword('x-telform-unique-by', 'array', 'string', 'uniqueBy'));
  ajv.addKeyword(siblingKeyword('x-telform-image-format-of', 'imageFormatOf'));
  ajv.addKeyword(siblingKeyword('x-telform-audio-format-of', 'audioFormatOf'));
  return ajv;
}
