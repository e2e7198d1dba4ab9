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
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([13]));
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
