import { describe, expect, it } from 'vitest';
import { renderCsvReport } from '../../src/drift/csv-report.js';
import { hasDrift, type DriftReport } from '../../src/drift/drift-report.js';
import { renderMarkdownReport } from '../../src/drift/markdown-report.js';

const t = '2026-11-22T07:00:00.000Z';
const report: DriftReport = {
  generated_at: t,
  filters: { account_id: 'account_a' },
  summary: { open: 1, resolved: 0, unmanaged: 1 },
  records: [
    {
      id: 'drift_1',
      resource_id: 'user_1',
      kind: 'user',
      account_id: 'account_a',
      fields: [
        { field: 'name', desired: 'Alice, "A"', actual: '=HYPERLINK("http://evil")' },
        { field: 'privileges.admin', desired: false, actual: true },
      ],
      action: 'reported',
      state: 'open',
      first_seen_at: t,
      last_seen_at: t,
      resolved_at: null,
      platform_change: {
        actor: 'console:dana@acme.example',
        at: '2026-11-22T06:55:00.000Z',
        ip: '203.0.113.7',
        event: 'user.update',
      },
    },
  ],
  unmanaged: [
    {
      account_id: 'account_a',
      kind: 'user',
      external_id: 'u-7',
      client_ref: null,
      first_seen_at: t,
      last_seen_at: t,
    },
  ],
};

// A reference RFC 4180 reader, independent of the writer under test.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i++;
    } else cur += ch;
  }
  return rows;
}

describe('renderCsvReport', () => {
  const rows = parseCsv(renderCsvReport(report));
  it('has one row per differing field and one per unmanaged object, after the header', () => {
    expect(rows.map((r) => [r[0], r[7], r[6]])).toEqual([
      ['type', 'field', 'external_id'],
      ['drift', 'name', ''],
      ['drift', 'privileges.admin', ''],
      ['unmanaged', '', 'u-7'],
    ]);
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([15]));
  });
  it('names who changed the platform and when, on every row of the record', () => {
    const at = rows[0]!.indexOf('platform_actor');
    expect(rows[0]!.slice(at)).toEqual(['platform_actor', 'platform_changed_at']);
    expect(rows.slice(1, 3).map((r) => r.slice(at))).toEqual([
      ['console:dana@acme.example', '2026-11-22T06:55:00.000Z'],
      ['console:dana@acme.example', '2026-11-22T06:55:00.000Z'],
    ]);
    // Unmanaged objects have no drift record, so no change to name.
    expect(rows[3]!.slice(at)).toEqual(['', '']);
  });
  it('leaves the columns empty when the log named nobody', () => {
    const unnamed = parseCsv(
      renderCsvReport({
        ...report,
        records: [{ ...report.records[0]!, platform_change: null }],
        unmanaged: [],
      }),
    );
    expect(unnamed[1]!.slice(13)).toEqual(['', '']);
  });
  it('keeps commas and quotes inside values and JSON-encodes them', () => {
    expect(rows[1]![8]).toBe('"Alice, \\"A\\""');
    expect(rows[2]![9]).toBe('true');
  });
  it('defuses a platform value that a spreadsheet would run as a formula', () => {
    expect(rows[1]![9]).toBe('"=HYPERLINK(\\"http://evil\\")"');
    const formula = renderCsvReport({
      ...report,
      records: [{ ...report.records[0]!, fields: [{ field: 'x', desired: 1, actual: -1 }] }],
      unmanaged: [],
    });
    expect(parseCsv(formula)[1]![9]).toBe("'-1");
  });
});

describe('renderMarkdownReport', () => {
  it('states the verdict and shows each field as a table row, pipes escaped', () => {
    const md = renderMarkdownReport({
      ...report,
      records: [
        { ...report.records[0]!, fields: [{ field: 'name', desired: 'a|b', actual: 'c' }] },
      ],
    });
    expect(md).toContain('**1 drifted resource**, 1 unmanaged object, 0 resolved.');
    expect(md).toContain('| `name` | `"a\\|b"` | `"c"` |');
    expect(md).toContain('| `account_a` | user | `u-7` |');
  });
  it.each([
    {
      why: 'a named change shows actor, time, address and event',
      change: report.records[0]!.platform_change,
      want: 'Changed on the platform by `console:dana@acme.example` at 2026-11-22T06:55:00.000Z from `203.0.113.7` (`user.update`).',
    },
    {
      why: 'no address is left out, not shown as null',
      change: { actor: 'partner', at: t, ip: null, event: 'user.delete' },
      want: `Changed on the platform by \`partner\` at ${t} (\`user.delete\`).`,
    },
    {
      why: 'an unnamed change says the log had none, rather than nothing',
      change: null,
      want: 'Changed on the platform by: _not in the activity log_.',
    },
  ])('says who changed it: $why', ({ change, want }) => {
    const md = renderMarkdownReport({
      ...report,
      records: [{ ...report.records[0]!, platform_change: change }],
    });
    expect(md).toContain(want);
  });
  it('says so when there is no drift', () => {
    const md = renderMarkdownReport({
      ...report,
      summary: { open: 0, resolved: 0, unmanaged: 0 },
      records: [],
      unmanaged: [],
    });
    expect(md).toContain('No drift');
  });
  it('stays under the pull-request comment limit and says what it left out', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      ...report.records[0]!,
      resource_id: `user_${i}`,
    }));
    const md = renderMarkdownReport({ ...report, records: many, unmanaged: [] });
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/_\d+ more section\(s\) not shown/);
  });
  it('keeps a value with backticks inside one code span', () => {
    const md = renderMarkdownReport({
      ...report,
      records: [
        { ...report.records[0]!, fields: [{ field: 'name', desired: 'a`b', actual: null }] },
      ],
    });
    expect(md).toContain('| `name` | ``"a`b"`` | _unset_ |');
  });
});

describe('hasDrift', () => {
  it.each([
    { why: 'open drift fails CI', summary: { open: 1, resolved: 0, unmanaged: 0 }, want: true },
    {
      why: 'unmanaged objects fail CI: someone created them outside telform',
      summary: { open: 0, resolved: 0, unmanaged: 2 },
      want: true,
    },
    {
      why: 'only resolved records pass',
      summary: { open: 0, resolved: 5, unmanaged: 0 },
      want: false,
    },
  ])('$why', ({ summary, want }) => {
    expect(hasDrift({ ...report, summary })).toBe(want);
  });
});
