import { formatTime, valueText } from '../widgets.js';

export interface FieldDrift {
  readonly field: string;
  readonly desired: unknown;
  readonly actual: unknown;
}

/** The platform's own activity entry for the change that caused a drift record. */
export interface PlatformChange {
  readonly actor: string;
  readonly at: string;
  readonly ip: string | null;
  readonly event: string;
}

/** One drift record as `/v1/drift` returns it. */
export interface DriftRecord {
  readonly id: string;
  readonly resource_id: string;
  readonly kind: string;
  readonly account_id: string;
  readonly fields: FieldDrift[];
  readonly action: string;
  readonly state: string;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
  readonly resolved_at: string | null;
  /** null: the platform's activity log names no change; absent: a daemon without the field. */
  readonly platform_change?: PlatformChange | null;
}

export interface DriftReport {
  readonly summary: { open: number; resolved: number; unmanaged: number };
  readonly records: DriftRecord[];
  readonly next_cursor: string | null;
}

/** Desired and actual values of each drifted field, side by side. */
export function FieldsTable(props: { readonly fields: readonly FieldDrift[] }) {
  return (
    <table class="fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Desired</th>
          <th scope="col">Actual (platform)</th>
        </tr>
      </thead>
      <tbody>
        {props.fields.map((f) => (
          <tr key={f.field}>
            <th scope="row">{f.field}</th>
            <td class="desired">{valueText(f.desired)}</td>
            <td class="actual">{valueText(f.actual)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who changed it on the platform and when, as the platform's activity log says. */
export function PlatformChangeCell(props: { readonly change: PlatformChange | null | undefined }) {
  const c = props.change;
  if (!c) return <span class="muted">not in the platform's activity log</span>;
  return (
    <span class="platform-change">
      <strong class="actor">{c.actor}</strong> <span class="event">{c.event}</span>
      <br />
      <time dateTime={c.at}>{formatTime(c.at)}</time>
      {c.ip ? <span class="ip"> from {c.ip}</span> : null}
    </span>
  );
}
