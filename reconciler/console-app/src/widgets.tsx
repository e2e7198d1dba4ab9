import type { ComponentChildren } from 'preact';
import type { Loaded } from './use-api.js';

/** Shows the loading and error states of `loaded`, or `children(data)` once it is ready. */
export function Async<T>(props: {
  readonly loaded: Loaded<T>;
  readonly what: string;
  readonly children: (data: T) => ComponentChildren;
}) {
  const { loaded } = props;
  if (loaded.state === 'loading')
    return (
      <p class="muted" role="status">
        Loading {props.what}…
      </p>
    );
  if (loaded.state === 'error')
    return (
      <p class="error" role="alert">
        Could not load {props.what}: {loaded.error}
      </p>
    );
  return <>{props.children(loaded.data)}</>;
}

/** Says plainly that the signed-in role may not read something, instead of an empty page. */
export function NotPermitted(props: { readonly role: string; readonly what: string }) {
  return (
    <p class="notice" role="note">
      The {props.role} role may not read {props.what}.
    </p>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false });
}

/** A JSON value as text for a cell: strings bare, everything else as JSON. */
export function valueText(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function resourceHref(resource: string): string | null {
  const match = /^([a-z][a-z0-9_]*)\/([A-Za-z0-9_-]+)$/.exec(resource);
  return match ? `/ui/resource?kind=${match[1]}&id=${encodeURIComponent(match[2]!)}` : null;
}
