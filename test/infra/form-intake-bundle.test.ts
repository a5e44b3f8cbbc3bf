import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildsFunction, importAlone, sdkPackagesIn } from '../support/bundle.js';

/**
 * form-intake reaches its table and queue over signed HTTP so that its bundle and cold start carry
 * no AWS SDK client (docs/performance.md). One import of an SDK client anywhere on its path would
 * quietly put ~245 KB back, and the whole `TableStore` another 20 KB of record families it never
 * calls: this test builds the function as a deploy does and looks inside.
 */
describe('the form-intake bundle', () => {
  const bundle = buildsFunction('form-intake');

  it('holds no AWS SDK client, no @smithy runtime and no credential chain', () => {
    expect(sdkPackagesIn(bundle.current)).toEqual([]);
    expect(bundle.current.byPackage.map(([name]) => name)).toEqual(expect.arrayContaining(['aws4fetch', '@aws-sdk/util-dynamodb']));
  });

  it("stays within issue 18's 250 KB goal", () => {
    // What grows it: triage rules and classification code (every classifying function carries
    // them), the form page, config defaults. docs/performance.md ("form-intake under 250 KB") lists
    // what it is made of; `npm run bench -- --only cold-start` prints the figure beside its goal.
    const kilobytes = bundle.current.bytes / 1000;
    expect(kilobytes, `form-intake's bundle is ${kilobytes.toFixed(1)} KB, over its 250 KB goal`).toBeLessThanOrEqual(250);
  });

  it('holds only the record families intake and the runtime use, not the whole store', () => {
    const bytes = (family: string) => bundle.current.byFile.get(`shared/adapters/dynamodb/${family}`) ?? 0;
    for (const family of ['intake-store.ts', 'tickets.ts', 'requests.ts', 'limits.ts', 'directory.ts', 'settings.ts']) expect(bytes(family)).toBeGreaterThan(0);
    for (const family of ['store.ts', 'notifications.ts', 'suppressions.ts', 'digests.ts', 'presence.ts', 'attention.ts', 'features.ts', 'lookups.ts', 'timers.ts']) {
      expect(bytes(family), family).toBe(0);
    }
  });

  it('holds the reading and creating halves of its families, not their changes, saves or audits', () => {
    // esbuild keeps a class with every method, so these live in classes of their own
    // (TicketTable, DirectoryTable, SettingsTable, SettingsDocumentService): one reference from
    // form-intake's path to any of them brings back about 13 KB. Method names survive minifying.
    const source = readFileSync(bundle.current.file, 'utf8');
    for (const kept of ['createTicket', 'nextSequence', 'listAgentRecords', 'getSettingsDocument']) expect(source, kept).toContain(kept);
    for (const left of ['commitTicketChange', 'getTicketRecords', 'expireTicketRecords', 'putAgentRecord', 'agentLoads', 'seedAgent', 'putSettingsDocument', 'settingsAudit', 'keptWhenLeftOut']) {
      expect(source, left).not.toContain(left);
    }
  });

  it('loads on its own, from an empty directory, without touching the network', () => {
    expect(importAlone(bundle.current)).toEqual({ stdout: 'function', stderr: '' });
  });
});
