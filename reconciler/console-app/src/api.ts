// The console's only way to the daemon: GET on /v1 (the session cookie authenticates), and the
// two session calls. Nothing here can send a write to the API.

/** Who is signed in, as `/ui/session` answers. */
export interface Session {
  readonly name: string;
  readonly role: 'admin' | 'operator' | 'auditor';
  readonly scope_account_id: string | null;
  readonly actions: readonly string[];
}

/** An answer that was not 2xx, with the problem's detail when it had one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  let detail = response.statusText;
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    detail = body.detail ?? body.title ?? detail;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(response.status, detail);
}

/** Request ids of this page's own calls, newest last (bounded): its reads are audited too. */
const ownRequests = new Set<string>();

/** Whether an audit event's request id is one of this page's own reads. */
export function isOwnRequest(requestId: string | null): boolean {
  return requestId !== null && ownRequests.has(requestId);
}

/** GET a /v1 path (with its query) as JSON. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, {
    method: 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const id = response.headers.get('x-request-id');
  if (id) {
    ownRequests.add(id);
    if (ownRequests.size > 1000) ownRequests.delete(ownRequests.values().next().value!);
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/** The signed-in session, or null when there is none. */
export async function currentSession(): Promise<Session | null> {
  const response = await fetch('/ui/session', { credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as Session;
}

/** Exchanges a pasted token for the HttpOnly session cookie. The token is not kept anywhere else. */
export async function signIn(token: string): Promise<Session> {
  const response = await fetch('/ui/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as Session;
}

export async function signOut(): Promise<void> {
  const response = await fetch('/ui/sign-out', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!response.ok) throw await problemOf(response);
}

/** A query string from the set values of `params` (empty ones are left out). */
export function query(params: Readonly<Record<string, string | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}
