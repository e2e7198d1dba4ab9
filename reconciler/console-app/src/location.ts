import { useEffect, useState } from 'preact/hooks';

/** The console's address: `/ui/<page>?<filters>`. Every filter and tab lives here. */
export interface ConsoleLocation {
  readonly page: string;
  readonly params: URLSearchParams;
}

function read(): ConsoleLocation {
  const page = location.pathname.replace(/^\/ui\/?/, '').split('/')[0] || 'accounts';
  return { page, params: new URLSearchParams(location.search) };
}

const listeners = new Set<() => void>();

/** Goes to `page` with `params` (empty values dropped); `replace` for filter typing. */
export function navigate(
  page: string,
  params: Readonly<Record<string, string | undefined>> = {},
  replace = false,
): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  const url = `/ui/${page}${text ? `?${text}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** Changes some filters of the current page, keeping the others. */
export function setParams(changes: Readonly<Record<string, string | undefined>>): void {
  const current = read();
  const next: Record<string, string | undefined> = Object.fromEntries(current.params);
  Object.assign(next, changes);
  navigate(current.page, next, true);
}

/** The current address, re-rendering on navigation and on Back/Forward. */
export function useConsoleLocation(): ConsoleLocation {
  const [where, setWhere] = useState(read);
  useEffect(() => {
    const update = () => setWhere(read());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return where;
}

/** Plain object of the current params, for building API queries. */
export function paramsObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params);
}

/** Same-app links (`/ui/...`) change the view without a reload; modified clicks open as usual. */
export function interceptConsoleLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    const href = link?.getAttribute('href');
    if (!link || !href || !href.startsWith('/ui/') || link.hasAttribute('download')) return;
    event.preventDefault();
    const url = new URL(href, location.origin);
    const page = url.pathname.replace(/^\/ui\/?/, '') || 'accounts';
    navigate(page, Object.fromEntries(url.searchParams));
  });
}
