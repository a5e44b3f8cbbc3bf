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
    for (const family of ['store.ts', 'notifications.ts', 'suppressions.ts', 'digests.ts', 'presence.ts', 'attention.ts', 'features.ts']) expect(bytes(family)).toBe(0);
    // A ticket's transaction writes its queue entry and fires its timer with these two families'
    // record builders; their tables (queries, sweeps: about 7 KB) stay out.
    expect(bytes('lookups.ts')).toBeLessThan(1_000);
    expect(bytes('timers.ts')).toBeLessThan(1_000);
  });

  it('loads on its own, from an empty directory, without touching the network', () => {
    expect(importAlone(bundle.current)).toEqual({ stdout: 'function', stderr: '' });
  });
});
