import { parse, serialize } from 'cookie';

/** Name of the console's sign-in cookie; it holds the API token itself (HttpOnly, Strict). */
export const SESSION_COOKIE = 'telform_session';

/** Eight hours: a working day; signing in again is one paste. */
const MAX_AGE_SECONDS = 8 * 60 * 60;

/** The token in the request's session cookie, or undefined. */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const value = parse(cookieHeader)[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Set-Cookie for a signed-in console. HttpOnly: page scripts never read the token. SameSite
 * Strict: no other site's page can make the browser send it, which with "cookie only on GET
 * of read routes" is the CSRF defence. Secure when the console was reached over https.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  });
}

/** Set-Cookie that removes the session cookie (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: 0,
    expires: new Date(0),
  });
}
