/** A refusal's field errors, as the API and the store give them. */
export interface FieldMessage {
  readonly field: string;
  readonly message: string;
}

/**
 * One line for a refusal: the summary, then each field error not already in it. A field's
 * message names its field already (`limit must be <= 1000`), and a validation problem's detail
 * often repeats every message; printing both said everything twice.
 */
export function problemMessage(summary: string, errors: readonly FieldMessage[] = []): string {
  const extra = errors
    .map((e) => (e.message.startsWith(e.field) ? e.message : `${e.field}: ${e.message}`))
    .filter((text) => !summary.includes(text));
  return extra.length > 0 ? `${summary} (${extra.join('; ')})` : summary;
}
