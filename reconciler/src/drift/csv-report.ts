import type { DriftReport } from './drift-report.js';

const header = [
  'type',
  'state',
  'action',
  'account_id',
  'kind',
  'resource_id',
  'external_id',
  'field',
  'desired',
  'actual',
  'first_seen_at',
  'last_seen_at',
  'resolved_at',
  'platform_actor',
  'platform_changed_at',
];

/**
 * RFC 4180 CSV, one row per differing field (so a spreadsheet filter on `field` works) and one
 * row per unmanaged object. Values are JSON so `"1"` and `1` stay distinct.
 */
export function renderCsvReport(report: DriftReport): string {
  const rows: unknown[][] = [header];
  for (const r of report.records) {
    for (const f of r.fields) {
      rows.push([
        'drift',
        r.state,
        r.action,
        r.account_id,
        r.kind,
        r.resource_id,
        '',
        f.field,
        JSON.stringify(f.desired ?? null),
        JSON.stringify(f.actual ?? null),
        r.first_seen_at,
        r.last_seen_at,
        r.resolved_at ?? '',
        r.platform_change?.actor ?? '',
        r.platform_change?.at ?? '',
      ]);
    }
  }
  for (const u of report.unmanaged) {
    const where = [u.account_id, u.kind, '', u.external_id, '', '', ''];
    rows.push([
      'unmanaged',
      'open',
      'reported',
      ...where,
      u.first_seen_at,
      u.last_seen_at,
      '',
      '',
      '',
    ]);
  }
  return rows.map((row) => row.map((v) => cell(String(v))).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string): string {
  // A leading = + - @ makes spreadsheets run the cell as a formula: values come from a
  // platform that anyone with console access can edit, so they are defused with a quote.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
