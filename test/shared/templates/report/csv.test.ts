import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, reportToCsv } from '../../../../shared/templates/report/csv.js';
import { fixtureReport, parseCsv } from './support.js';

/** The rows of one `[name]` section, header first. */
function sectionRows(records: string[][], name: string): string[][] {
  const start = records.findIndex((r) => r.length === 1 && r[0] === `[${name}]`);
  if (start === -1) throw new Error(`no section ${name}`);
  const rows: string[][] = [];
  for (const r of records.slice(start + 1)) {
    if (r.length === 1 && r[0] === '') break;
    rows.push(r);
  }
  return rows;
}

describe('csvCell', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvCell('delivery')).toBe('delivery');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-0.24)).toBe('-0.24');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes fields with commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('late delivery, rude reply')).toBe('"late delivery, rude reply"');
    expect(csvCell('he said "no"')).toBe('"he said ""no"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=1+1', '+86 138', '-2', '@SUM(A1)', '  =cmd', '\tx', '\r=1'])('prefixes formula-like text %j with a quote mark', (value) => {
    expect(csvCell(value).replace(/^"/, '').startsWith(`'`)).toBe(true);
  });

  it('does not prefix text that merely contains a formula character', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('user@example.com')).toBe('user@example.com');
  });

  it('reads back as the same text, prefixed only when it would be a formula (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const [[field] = []] = parseCsv(`${csvCell(value)}\r\n`);
        const dangerous = /^\s*[=+\-@]|^[\t\r]/.test(value);

        expect(field ?? '').toBe(dangerous ? `'${value}` : value);
      }),
    );
  });
});

describe('reportToCsv', () => {
  const csv = reportToCsv(fixtureReport());
  const records = parseCsv(csv);

  it('ends every line with CRLF and has no bare line feeds outside quoted fields', () => {
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '');

    expect(outsideQuotes.endsWith('\r\n')).toBe(true);
    expect(/(^|[^\r])\n/.test(outsideQuotes)).toBe(false);
  });

  it('writes one section per table, each with a header', () => {
    const sections = records.filter((r) => r.length === 1 && /^\[.+\]$/.test(r[0] ?? '')).map((r) => r[0]);

    expect(sections).toEqual([
      '[summary]',
      '[totals]',
      '[week_on_week]',
      '[volume_by_channel]',
      '[volume_by_type]',
      '[volume_by_priority]',
      '[volume_by_tag]',
      '[top_problems]',
      '[response_times]',
      '[breaches_by_priority]',
      '[breaches_by_kind]',
      '[breaches_by_priority_and_kind]',
      '[breaches_by_team]',
      '[feature_requests]',
      '[escalation_register]',
      '[satisfaction]',
      '[satisfaction_distribution]',
      '[low_scores]',
      '[anomalies]',
    ]);
  });

  it('keeps every row of a section as wide as its header', () => {
    for (const name of ['week_on_week', 'low_scores', 'response_times', 'volume_by_tag']) {
      const [header = [], ...rows] = sectionRows(records, name);
      for (const row of rows) expect(row, name).toHaveLength(header.length);
    }
  });

  it('writes the figures of the report', () => {
    expect(sectionRows(records, 'week_on_week')).toContainEqual(['satisfactionAverage', '3.43', '3.67', '-0.24', '-6.54']);
    expect(sectionRows(records, 'week_on_week')).toContainEqual(['closed', '3', '0', '3', '']);
    expect(sectionRows(records, 'response_times')).toContainEqual(['first_response', '9', '40', '180', '2']);
    expect(sectionRows(records, 'volume_by_tag').at(-1)).toEqual(['(untagged)', '1']);
  });

  it('neutralises a formula in a customer comment and keeps its text', () => {
    const lowScores = sectionRows(records, 'low_scores');
    const complaint = lowScores.find((r) => r[0] === 'CS20240522001');

    expect(complaint?.[2]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('quotes a QA reason containing a comma so it stays one field', () => {
    const complaint = sectionRows(records, 'low_scores').find((r) => r[0] === 'CS20240522001');

    expect(complaint?.[8]).toBe('late delivery, rude reply');
  });
});
