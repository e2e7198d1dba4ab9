import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from './api.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: string; readonly status: number }
  | { readonly state: 'ready'; readonly data: T };

/**
 * GETs `path` whenever it (or `version`, to fetch the same path again) changes (null: nothing
 * to fetch); stale answers are dropped.
 */
export function useApi<T>(path: string | null, version = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    getJson<T>(path).then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (err: unknown) =>
        current &&
        setLoaded({
          state: 'error',
          error: err instanceof Error ? err.message : String(err),
          status: err instanceof ApiError ? err.status : 0,
        }),
    );
    return () => {
      current = false;
    };
  }, [path, version]);
  return loaded;
}
