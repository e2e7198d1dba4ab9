import { errors } from '../errors/error-catalogue.js';
import type { Attrs } from '../model/records.js';

/** Splits a request body into the client reference and the schema attributes. */
export function objectBody(body: unknown): { clientRef: string | null; attrs: Attrs } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.badRequest('the body must be a JSON object of attributes', '', 'type');
  }
  const { client_reference: ref, ...attrs } = body as Attrs;
  if (
    ref !== undefined &&
    ref !== null &&
    (typeof ref !== 'string' || ref.length === 0 || ref.length > 200)
  ) {
    throw errors.invalid(
      'client_reference',
      'type',
      'client_reference must be a string of 1 to 200 characters',
    );
  }
  return { clientRef: typeof ref === 'string' ? ref : null, attrs };
}
