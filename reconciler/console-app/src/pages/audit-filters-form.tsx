import { timeRanges } from '../time-ranges.js';

type Changes = Readonly<Record<string, string | undefined>>;

export interface AuditFiltersProps {
  readonly params: URLSearchParams;
  /** Applies filter changes (they go into the address). */
  readonly onChange: (changes: Changes) => void;
  /** Event names seen so far, offered by the event picker (with their `kind.*` families). */
  readonly seenEvents?: readonly string[];
}

const cleared: Changes = {
  range: undefined,
  from: undefined,
  to: undefined,
  event: undefined,
  access: undefined,
  resource: undefined,
  actor: undefined,
  outcome: undefined,
  ip: undefined,
};

/** The filter under every column: text filters apply on Enter or when leaving the field. */
function TextFilter(props: {
  readonly name: string;
  readonly label: string;
  readonly hint: string;
  readonly params: URLSearchParams;
  readonly onChange: (changes: Changes) => void;
  readonly list?: string;
}) {
  return (
    <label>
      {props.label}
      <input
        type="search"
        name={props.name}
        list={props.list}
        placeholder={props.hint}
        // Uncontrolled: rows arriving while the user types must not reset the field. The key
        // remounts it when the address changes (Clear Filters, Back).
        key={props.params.get(props.name) ?? ''}
        defaultValue={props.params.get(props.name) ?? ''}
        onChange={(e) => props.onChange({ [props.name]: e.currentTarget.value.trim() })}
      />
    </label>
  );
}

/** Audit filters: time range (ready-made or custom), events with Reads/Writes, prefixes, outcome, IP. */
export function AuditFilters(props: AuditFiltersProps) {
  const { params, onChange } = props;
  const range = params.get('range') ?? (params.get('from') || params.get('to') ? 'custom' : '');
  const access = params.get('access');
  const families = [...new Set((props.seenEvents ?? []).map((e) => `${e.split('.')[0]}.*`))];
  const options = [...new Set([...(props.seenEvents ?? []), ...families])].sort();
  const toggle = (which: 'read' | 'write') => {
    // Both pressed (the default) is no filter; pressing off one leaves the other.
    const other = which === 'read' ? 'write' : 'read';
    if (access === null) onChange({ access: other });
    else if (access === other) onChange({ access: undefined });
    // Turning off the only one still on would show nothing: it stays on.
  };
  return (
    <form
      class="filters"
      aria-label="Audit filters"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const changes: Record<string, string> = {};
        for (const key of ['event', 'resource', 'actor', 'ip'])
          changes[key] = String(data.get(key) ?? '').trim();
        onChange(changes);
      }}
    >
      <label>
        Time range
        <select
          name="range"
          value={range}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value === 'custom') onChange({ range: undefined });
            else onChange({ range: value || undefined, from: undefined, to: undefined });
          }}
        >
          <option value="">Any time</option>
          {Object.entries(timeRanges).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {range === 'custom' || params.get('from') || params.get('to') ? (
        <>
          <label>
            From
            <input
              type="datetime-local"
              name="from"
              value={params.get('from') ?? ''}
              onChange={(e) => onChange({ range: undefined, from: e.currentTarget.value })}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              name="to"
              value={params.get('to') ?? ''}
              onChange={(e) => onChange({ range: undefined, to: e.currentTarget.value })}
            />
          </label>
        </>
      ) : null}
      <TextFilter
        name="event"
        label="Events"
        hint="user.create, seat.*"
        params={params}
        onChange={onChange}
        list="audit-events"
      />
      <datalist id="audit-events">
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <fieldset class="toggles">
        <legend>Access</legend>
        <button type="button" aria-pressed={access !== 'write'} onClick={() => toggle('read')}>
          Reads
        </button>
        <button type="button" aria-pressed={access !== 'read'} onClick={() => toggle('write')}>
          Writes
        </button>
      </fieldset>
      <TextFilter
        name="resource"
        label="Resource"
        hint="user/ (prefix)"
        params={params}
        onChange={onChange}
      />
      <TextFilter name="actor" label="Actor" hint="prefix" params={params} onChange={onChange} />
      <label>
        Outcome
        <select
          name="outcome"
          value={params.get('outcome') ?? ''}
          onChange={(e) => onChange({ outcome: e.currentTarget.value || undefined })}
        >
          <option value="">Any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </select>
      </label>
      <TextFilter
        name="ip"
        label="IP"
        hint="part, e.g. 10.1."
        params={params}
        onChange={onChange}
      />
      <div class="filter-buttons">
        <button type="submit">Apply</button>
        <button type="button" onClick={() => onChange(cleared)}>
          Clear Filters
        </button>
      </div>
    </form>
  );
}
