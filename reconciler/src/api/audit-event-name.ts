/** What the audit hook knows about a call before it is answered. */
export interface RouteCall {
  readonly method: string;
  /** The route pattern, such as `/v1/resources/:kind/:id`. */
  readonly url: string;
  readonly params: Readonly<Record<string, string | undefined>>;
}

export interface AuditNaming {
  /** `user.create`, `token.list`, `audit.verify`, `drift.scan`. */
  readonly event: string;
  readonly access: 'read' | 'write';
  /** Lower-case kind or collection, such as `user` or `token`. */
  readonly noun: string;
}

const verbs: Readonly<Record<string, string>> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};

/**
 * Names an API call for the audit trail from its route: the kind (`:kind` param, else the
 * first path segment, singular) and a verb from the method (`read` for one object, `list` for a
 * collection). A static segment after the first one names the operation itself:
 * `GET /v1/audit/verify` is `audit.verify`, `POST /v1/drift/scan` is `drift.scan`.
 */
export function auditEventName(call: RouteCall): AuditNaming {
  const method = call.method.toUpperCase();
  const access = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  const segments = call.url
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '' && s !== 'v1');
  const statics = segments.filter((s) => !s.startsWith(':')).map(snake);
  // `/v1/resources/user/:id` (a route per kind) or `/v1/resources/:kind/:id`.
  const param = call.params.kind;
  const fromParam = param !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(param) ? param : undefined;
  const fromPath = statics[0] === 'resources' && statics.length > 1 ? statics[1] : undefined;
  const noun = fromParam ?? fromPath ?? singular(statics[0] ?? 'api');
  const operation = statics.slice(fromPath !== undefined ? 2 : 1);
  if (operation.length > 0) return { event: [noun, ...operation].join('.'), access, noun };
  const last = segments.at(-1) ?? '';
  const verb = verbs[method] ?? (last.startsWith(':') && last !== ':kind' ? 'read' : 'list');
  return { event: `${noun}.${verb}`, access, noun };
}

function snake(segment: string): string {
  return segment.replace(/-/g, '_').toLowerCase();
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss') && word !== 'status') return word.slice(0, -1);
  return word;
}
