import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledge, acknowledgeMatching, addNagChecks, readNagFindings, type NagFinding } from '../../infra/nag.js';

/*
 * The checks themselves, on a deliberately insecure little stack: proves the pack is live (a
 * clean report on the real app means something) and that acknowledgements are as narrow as
 * they claim. One synth for the file.
 */
let outdir: string;
let findings: NagFinding[];
let synthFailed = false;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'ticketline-nag-'));
  const app = new App({ outdir, analyticsReporting: false });
  const stack = new Stack(app, 'Insecure');
  new s3.Bucket(stack, 'Open');
  const quiet = new s3.Bucket(stack, 'Acknowledged', { enforceSSL: true });
  acknowledge(quiet, 'AwsSolutions-S1', 'Access logging deliberately off for this test bucket.');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket-a/reports/*', 'arn:aws:s3:::bucket-b/*'] }));
  acknowledgeMatching(role, 'AwsSolutions-IAM5', /^Resource::.*\/reports\/\*$/, 'Reports prefix only, for this test.');
  addNagChecks(app);
  try {
    app.synth();
  } catch {
    synthFailed = true;
  }
  findings = readNagFindings(outdir);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

const rulesAt = (path: string): string[] => findings.filter((finding) => finding.path.startsWith(path)).map((finding) => finding.rule);

describe('addNagChecks', () => {
  it('fails the synth when a finding is not acknowledged', () => {
    expect(synthFailed).toBe(true);
  });

  it('reports an unencrypted-in-transit, unlogged bucket', () => {
    expect(rulesAt('Insecure/Open/')).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('acknowledge', () => {
  it('silences exactly the acknowledged rule', () => {
    expect(rulesAt('Insecure/Acknowledged/')).not.toContain('AwsSolutions-S1');
  });

  it('refuses an acknowledgement without a real reason', () => {
    const stack = new Stack(new App(), 'Any');

    expect(() => acknowledge(stack, 'AwsSolutions-S1', 'ok')).toThrow('needs a real reason');
  });
});

describe('acknowledgeMatching', () => {
  it('silences the findings that match its pattern and no others', () => {
    const iam5 = rulesAt('Insecure/Role/').filter((rule) => rule.startsWith('AwsSolutions-IAM5'));

    expect(iam5).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket-b/*]']);
  });
});

describe('readNagFindings', () => {
  it('returns nothing for a directory without a report', () => {
    expect(readNagFindings(join(outdir, 'missing'))).toEqual([]);
  });
});
