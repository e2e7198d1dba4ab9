import { managedKinds } from '@telform/schemas';

/**
 * pino `redact` options for the daemon's logger: credentials in headers, token fields, and every
 * secret attribute of every kind wherever a request body or a resource spec is logged.
 */
export function logRedaction(): { paths: string[]; censor: string } {
  const fixed = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    'token',
    '*.token',
    'password',
    '*.password',
    'secret',
    '*.secret',
  ];
  const attributes = new Set<string>();
  for (const info of managedKinds()) {
    // pino paths cannot express "every item of an array", so `keys[].value` masks `keys` whole.
    for (const path of info.sensitive) attributes.add(path.split('[]')[0]!);
  }
  const scoped = [...attributes].flatMap((path) =>
    ['body', 'spec', 'desired', 'attributes', 'change'].map((root) => `${root}.${path}`),
  );
  return { paths: [...fixed, ...scoped], censor: '[redacted]' };
}
