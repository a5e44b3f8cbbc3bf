import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNITS, defaultAssumptions, monthlyCost, total, unitsFromBench, type Prices } from '../../cost/model.js';

const prices = JSON.parse(readFileSync('cost/prices-2026-11.json', 'utf8')) as Prices;
const SERVICES = ['Lambda', 'DynamoDB', 'SQS', 'S3', 'SES receiving', 'SES sending', 'API Gateway', 'CloudWatch'];

describe('cost model', () => {
  it('prices every service the brief names', () => {
    expect(monthlyCost(defaultAssumptions(10_000), DEFAULT_UNITS, prices).map((cost) => cost.service)).toEqual(SERVICES);
  });

  it('charges SES sending exactly the list price per thousand mails sent', () => {
    const assumptions = defaultAssumptions(10_000);
    const ses = monthlyCost(assumptions, DEFAULT_UNITS, prices).find((cost) => cost.service === 'SES sending');
    expect(ses?.usd).toBeCloseTo(((10_000 * assumptions.mailsSentPerTicket) / 1000) * prices.ses.perThousandSent, 2);
  });

  it('grows with volume but less than proportionally, because alarms and idle polling are fixed', () => {
    const small = total(monthlyCost(defaultAssumptions(1_000), DEFAULT_UNITS, prices));
    const large = total(monthlyCost(defaultAssumptions(100_000), DEFAULT_UNITS, prices));
    expect(large).toBeGreaterThan(small);
    expect(large / small).toBeLessThan(100);
  });

  it('costs more DynamoDB when the measured units per ticket are higher', () => {
    const dynamo = (units: typeof DEFAULT_UNITS) => monthlyCost(defaultAssumptions(10_000), units, prices).find((cost) => cost.service === 'DynamoDB')!.usd;
    expect(dynamo({ ...DEFAULT_UNITS, formTicket: { readUnits: 0, writeUnits: 150 } })).toBeGreaterThan(dynamo(DEFAULT_UNITS));
  });

  it('reads units per operation from a bench result and ignores a file without them', () => {
    const bench = {
      at: '2026-11-23T00:00:00Z',
      units: {
        formTicket: { readUnits: 0, writeUnits: 15 },
        acknowledgement: { readUnits: 8, writeUnits: 13 },
        mailTicket: { capacityUnits: 16 },
        reply: { capacityUnits: 8 },
        sweep: [{ open: 1000, due: 20, calls: 64, readUnits: 22, writeUnits: 60, byOperation: { Query: 4 } }],
      },
    };
    expect(unitsFromBench(bench)).toMatchObject({ formTicket: { writeUnits: 15 }, mailTicket: { readUnits: 4, writeUnits: 12 }, perDueTimer: { writeUnits: 3 } });
    expect(unitsFromBench({})).toBeUndefined();
  });
});
