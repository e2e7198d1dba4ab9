import { ExportReference, ExportSecret, type ExportDocument } from './export-document.js';
import { secretExpression, variableDescription } from './render-hcl-export.js';

/**
 * The export in Terraform's JSON syntax (a `.tf.json` file): the same blocks as the HCL one.
 * Strings in JSON syntax are templates, so literal `${` and `%{` are escaped (`$${`, `%%{`);
 * references and secrets are written as template expressions. `header` goes in the top-level
 * `//` comment property.
 */
export function renderJsonExport(document: ExportDocument, header: string): string {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const block of document.blocks) {
    (resource[`telform_${block.kind}`] ??= {})[block.name] = jsonValue(block.attributes);
  }
  const configuration = {
    '//': header,
    terraform: { required_providers: { telform: { source: 'telform/telform' } } },
    provider: { telform: {} },
    ...(document.variables.length > 0
      ? {
          variable: Object.fromEntries(
            document.variables.map((v) => [
              v.name,
              {
                description: variableDescription(v),
                type: 'map(string)',
                sensitive: true,
                default: {},
              },
            ]),
          ),
        }
      : {}),
    ...(document.blocks.length > 0 ? { resource } : {}),
    ...(document.blocks.length > 0
      ? { import: document.blocks.map((b) => ({ to: b.address, id: b.importId })) }
      : {}),
  };
  return `${JSON.stringify(configuration, null, 2)}\n`;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof ExportReference) return `\${${value.address}.id}`;
  if (value instanceof ExportSecret) return `\${${secretExpression(value)}}`;
  // Most strings hold no template sequence: test before building a replaced copy.
  if (typeof value === 'string') return value.includes('{') ? escapeTemplate(value) : value;
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

/** A literal string as a Terraform template that evaluates to it. */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_m, sigil: string) => `${sigil}${sigil}{`);
}
