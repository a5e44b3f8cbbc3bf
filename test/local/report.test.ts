import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoEndpoint } from '../support/dynamodb.js';
import { main, ReportCommandError } from '../../local/report.js';
import { ManualClock, testRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

describe('npm run report', () => {
  it('writes report.json, report.csv and report.html for the given week from the table', async () => {
    const runtime = await testRuntime({ now: '2024-05-21T03:00:00Z' });
    await createTicket(runtime, { description: 'How do I change my password?' });
    const out = mkdtempSync(join(tmpdir(), 'report-out-'));
    const lines: string[] = [];

    const result = await main({
      argv: ['--week', '2024-W21', '--out', out, '--table', runtime.store.tableName],
      endpoint: dynamoEndpoint(),
      env: {},
      log: (line) => lines.push(line),
    });

    expect(result.week).toBe('2024-W21');
    for (const name of ['report.json', 'report.csv', 'report.html']) expect(existsSync(join(out, name))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).totals.created).toBe(1);
    expect(lines[0]).toContain('2024-W21');
  });

  it('takes the last full week when no week is given', async () => {
    const runtime = await testRuntime();
    const out = mkdtempSync(join(tmpdir(), 'report-out-'));
    const result = await main({
      argv: ['--out', out, '--table', runtime.store.tableName],
      endpoint: dynamoEndpoint(),
      env: {},
      clock: new ManualClock(new Date('2024-05-27T01:00:00Z')),
      log: () => undefined,
    });
    expect(result.week).toBe('2024-W21');
  });

  it('refuses a malformed week before touching the table', async () => {
    await expect(main({ argv: ['--week', '2024-21'], env: {}, endpoint: 'http://127.0.0.1:9', log: () => undefined })).rejects.toBeInstanceOf(ReportCommandError);
  });
});
