import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { idleMonthlyCost, idleStage, total, type IdlePrices } from '../../cost/model.js';

const prices = JSON.parse(readFileSync('cost/prices-2026-11.json', 'utf8')) as IdlePrices;

describe('idle monthly cost', () => {
  it('keeps an idle prod desk with WAF on under $10 a month (always-free allowances counted)', () => {
    const rows = idleMonthlyCost(idleStage('prod'), prices, { withAlwaysFree: true });

    expect(rows.find((row) => row.service === 'AWS WAF')?.usd).toBe(6);
    expect(total(rows)).toBeLessThan(10);
  });

  it('names every fixed part, and costs more at list price than with the allowances', () => {
    const list = idleMonthlyCost(idleStage('prod'), prices, { withAlwaysFree: false });

    expect(list.map((row) => row.service)).toEqual(expect.arrayContaining(['AWS WAF', 'CloudWatch alarms', 'CloudWatch dashboard', 'KMS', 'Secrets Manager', 'SQS']));
    expect(list.find((row) => row.service === 'CloudWatch dashboard')?.usd).toBe(3);
    expect(total(list)).toBeGreaterThan(total(idleMonthlyCost(idleStage('prod'), prices, { withAlwaysFree: true })));
  });

  it('has no WAF in dev unless asked for', () => {
    expect(idleMonthlyCost(idleStage('dev'), prices, { withAlwaysFree: true }).find((row) => row.service === 'AWS WAF')?.usd).toBe(0);
    expect(idleMonthlyCost(idleStage('dev', true), prices, { withAlwaysFree: true }).find((row) => row.service === 'AWS WAF')?.usd).toBe(6);
  });
});
