/**
 * The ajv instance the kinds' schemas are compiled with: at build time by
 * generate-validators.ts (standalone code), and in tests that compile a modified schema. Never
 * loaded by the daemon, the emulator or the provider, which run the generated validators.
 */
import { Ajv, Name, _ } from 'ajv';
import type { KeywordCxt } from 'ajv';
import formats from 'ajv-formats';
import { keywordChecks, type KeywordChecks } from './keyword-checks.js';

/**
 * The name the generated module gives the {@link KeywordChecks} it is handed; a telform
 * keyword's code calls `keywords.<check>`.
 */
export const keywordsName = 'keywords';

/**
 * A telform keyword as ajv generated code: it fails when `check(schema, data, parentData)` is
 * false. Code rather than a `validate` function, so that standalone code can emit it; the
 * error is ajv's default for the keyword, which validation-message.ts words.
 */
function checkKeyword(check: keyof KeywordChecks, withParent = false) {
  return (cxt: KeywordCxt) => {
    const fn = cxt.gen.scopeValue('func', {
      ref: keywordChecks[check],
      code: _`${new Name(keywordsName)}.${new Name(check)}`,
    });
    const args = withParent
      ? _`${cxt.schemaCode}, ${cxt.data}, ${cxt.it.parentData}`
      : _`${cxt.schemaCode}, ${cxt.data}`;
    cxt.fail(_`!${fn}(${args})`);
  };
}

/** `source`: keep each validator's code, as standalone code generation needs. */
export function createAjv(options: { source?: boolean } = {}): Ajv {
  // strictRequired cannot see the parent's properties from an if/then branch; the catalogue
  // test checks instead that every required name is a declared property.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    verbose: true,
    code: { source: options.source === true },
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
  for (const keyword of annotations) {
    ajv.addKeyword({ keyword });
  }
  // Computed attributes are never accepted as input: present at all means refused.
  ajv.removeKeyword('readOnly');
  ajv.addKeyword({
    keyword: 'readOnly',
    schemaType: 'boolean',
    code: (cxt: KeywordCxt) => {
      if (cxt.schema === true) cxt.fail();
    },
  });
  ajv.addKeyword({
    keyword: 'x-telform-max-decoded-bytes',
    type: 'string',
    schemaType: 'number',
    code: checkKeyword('fitsDecodedBytes'),
  });
  ajv.addKeyword({
    keyword: 'x-telform-max-image-size',
    type: 'string',
    schemaType: 'object',
    code: checkKeyword('fitsImage'),
  });
  ajv.addKeyword({
    keyword: 'x-telform-image-format-of',
    type: 'string',
    schemaType: 'string',
    code: checkKeyword('matchesImageName', true),
  });
  ajv.addKeyword({
    keyword: 'x-telform-audio-format-of',
    type: 'string',
    schemaType: 'string',
    code: checkKeyword('matchesAudioName', true),
  });
  ajv.addKeyword({
    keyword: 'x-telform-unique-by',
    type: 'array',
    schemaType: 'string',
    code: checkKeyword('uniqueBy'),
  });
  return ajv;
}
