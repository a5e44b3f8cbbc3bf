import { describe, expect, it } from 'vitest';
import { buildsFunction, importAlone, sdkPackagesIn } from '../support/bundle.js';

/**
 * inbound-email reaches its table, queue and mail bucket over signed HTTP so that its bundle stays
 * within 600 KB (docs/performance.md, "inbound-email, round six"). One import of an SDK client on
 * its path (the S3 client, lib-storage) would quietly put ~370 KB back: this test builds the
 * function as a deploy does and looks inside.
 */
describe('the inbound-email bundle', () => {
  const bundle = buildsFunction('inbound-email');

  it('holds no AWS SDK client, no @smithy runtime and no credential chain', () => {
    expect(sdkPackagesIn(bundle.current)).toEqual([]);
    expect(bundle.current.byPackage.map(([name]) => name)).toEqual(expect.arrayContaining(['aws4fetch', 'postal-mime']));
  });

  it("stays within issue 18's 600 KB goal", () => {
    const kilobytes = bundle.current.bytes / 1000;
    expect(kilobytes, `inbound-email's bundle is ${kilobytes.toFixed(1)} KB, over its 600 KB goal`).toBeLessThanOrEqual(600);
  });

  it('loads on its own, from an empty directory, without touching the network', () => {
    expect(importAlone(bundle.current)).toEqual({ stdout: 'function', stderr: '' });
  });
});
