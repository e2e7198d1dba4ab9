import type { DriftRecordView, DriftReport } from './drift-report.js';

/** GitHub refuses comments over 65,536 characters; stay well under with room for a footer. */
const maxChars = 60_000;

/**
 * A report for a pull-request comment: a one-line verdict, one table per drifted resource, then
 * the unmanaged objects. Long reports are cut at a resource boundary and say how much was left out.
 */
export function renderMarkdownReport(report: DriftReport): string {
  const { open, resolved, unmanaged } = report.summary;
  const head = [
    '## telform drift report',
    '',
    open + unmanaged === 0
      ? 'No drift: the platform holds the desired configuration.'
      : `**${open} drifted resource${open === 1 ? '' : 's'}**, ${unmanaged} unmanaged object${unmanaged === 1 ? '' : 's'}, ${resolved} resolved.`,
    '',
    `Generated ${report.generated_at}${filters(report.filters)}.`,
    '',
  ];
  let out = head.join('\n');
  const blocks = report.records.map(recordBlock);
  if (report.unmanaged.length > 0) {
    blocks.push(
      [
        '### Unmanaged objects (left untouched)',
        '',
        '| account | kind | external id | first seen |',
        '| --- | --- | --- | --- |',
        ...report.unmanaged.map(
          (u) =>
            `| ${code(u.account_id)} | ${u.kind} | ${code(u.external_id)} | ${u.first_seen_at} |`,
        ),
        '',
      ].join('\n'),
    );
  }
  for (const [i, block] of blocks.entries()) {
    if (out.length + block.length > maxChars) {
      out += `\n_${blocks.length - i} more section(s) not shown; fetch the JSON or CSV report for all of them._\n`;
      break;
    }
    out += `\n${block}`;
  }
  return out;
}

function recordBlock(r: DriftRecordView): string {
  const status = r.state === 'open' ? `open, ${r.action}` : `resolved ${r.resolved_at ?? ''}`;
  return [
    `### ${r.kind} ${code(r.resource_id)} (${status})`,
    '',
    `Account ${code(r.account_id)}; first seen ${r.first_seen_at}, last seen ${r.last_seen_at}.`,
    '',
    changedBy(r),
    '',
    '| field | desired | actual |',
    '| --- | --- | --- |',
    ...r.fields.map((f) => `| ${code(f.field)} | ${value(f.desired)} | ${value(f.actual)} |`),
    '',
  ].join('\n');
}

function changedBy(r: DriftRecordView): string {
  const c = r.platform_change;
  if (!c) return 'Changed on the platform by: _not in the activity log_.';
  const from = c.ip ? ` from ${code(c.ip)}` : '';
  return `Changed on the platform by ${code(c.actor)} at ${c.at}${from} (${code(c.event)}).`;
}

function filters(f: Readonly<Record<string, string>>): string {
  const parts = Object.entries(f).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}

function value(v: unknown): string {
  return v === null || v === undefined ? '_unset_' : code(JSON.stringify(v));
}

// Inline code with a fence longer than any backtick run inside, pipes escaped for the table.
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `${fence}${pad}${short.replaceAll('|', '\\|').replaceAll('\n', ' ')}${pad}${fence}`;
}
