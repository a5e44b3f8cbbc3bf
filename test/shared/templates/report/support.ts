import { readFileSync } from 'node:fs';
import { computeWeeklyReport, type WeeklyReport, type WeeklyReportInput } from '../../../../shared/domain/reporting.js';

/** The fixture week as a computed report: the templates are tested on real report shapes. */
export function fixtureReport(): WeeklyReport {
  const input = JSON.parse(
    readFileSync(new URL('../../../fixtures/report/week-2024-W21.json', import.meta.url), 'utf8'),
  ) as WeeklyReportInput;
  return computeWeeklyReport(input);
}

/** A small RFC 4180 reader, written independently of the writer so a round trip means something. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
