/**
 * Diagnostics accumulate instead of exceptions, as in terraform-plugin-framework; they become
 * tfplugin6 `Diagnostic` messages with the attribute path Terraform underlines in the config.
 */
import type { JsonSchemaAttribute } from '../protocol/cty-type.js';
import { parseFieldPath, type AttributePath } from './attribute-path.js';

export interface Diagnostic {
  readonly severity: 'ERROR' | 'WARNING';
  readonly summary: string;
  readonly detail: string;
  readonly attribute: AttributePath | null;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  addError(summary: string, detail = ''): void {
    this.items.push({ severity: 'ERROR', summary, detail, attribute: null });
  }

  addWarning(summary: string, detail = ''): void {
    this.items.push({ severity: 'WARNING', summary, detail, attribute: null });
  }

  /**
   * An error on an attribute; `field` is a dotted path such as `privileges.admin`, read
   * against the block's `attributes` when given (see {@link parseFieldPath}).
   */
  addAttributeError(
    field: string,
    summary: string,
    detail = '',
    attributes?: Readonly<Record<string, JsonSchemaAttribute>>,
  ): void {
    const attribute = field ? parseFieldPath(field, attributes) : null;
    this.items.push({ severity: 'ERROR', summary, detail, attribute });
  }

  append(other: Diagnostics): void {
    this.items.push(...other.items);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'ERROR');
  }
}
