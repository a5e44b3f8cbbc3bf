import { describe, expect, it } from 'vitest';
import { reportToJson } from '../../../../shared/templates/report/json.js';
import { fixtureReport } from './support.js';

describe('reportToJson', () => {
  it('reads back as the same report', () => {
    const report = fixtureReport();

    expect(JSON.parse(reportToJson(report))).toEqual(report);
  });

  it('is indented and ends with a newline', () => {
    const json = reportToJson(fixtureReport());

    expect(json.startsWith('{\n  "week": "2024-W21"')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});
