import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NagFinding } from '../../../infra/nag.js';
import { synthApp, type SynthesisedApp } from '../../support/synth.js';

/*
 * docs/operations.md §11, checked against the synthesised stacks: `--context restoredTableName=…`
 * points every function, and every table permission, at the table restored from point-in-time
 * recovery, and keeps the stateful stack's own table (nothing is deleted by switching). Stub
 * handlers: the bundles are checked in stateless-stack.test.ts.
 */
const RESTORED = 'ticketline-prod-restored-20261201';
let synth: SynthesisedApp;
let stateless: Template;
let stateful: Template;
let findings: NagFinding[];

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

beforeAll(() => {
  synth = synthApp('restore', { stubHandlers: true, context: { stage: 'prod', region: 'eu-west-1', alarmEmail: 'ops@example.com', waf: 'false', restoredTableName: RESTORED } });
  findings = synth.findings;
  stateless = Template.fromStack(synth.built.stateless);
  stateful = Template.fromStack(synth.built.stateful);
}, 600_000);

afterAll(() => synth?.cleanUp());

const appFunctions = () =>
  Object.values(stateless.findResources('AWS::Lambda::Function') as Resources).filter((fn) => (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.TABLE_NAME !== undefined);

describe('the restore switch (restoredTableName)', () => {
  it('points every function at the restored table by name', () => {
    expect(appFunctions()).toHaveLength(8);
    for (const fn of appFunctions()) expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.TABLE_NAME).toBe(RESTORED);
  });

  it('grants table access on the restored table and its indexes only, never on the stateful stack’s table', () => {
    const statements = Object.values(stateless.findResources('AWS::IAM::Policy') as Resources).flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement,
    );
    const tableStatements = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
    expect(tableStatements.length).toBeGreaterThanOrEqual(8);
    for (const statement of tableStatements) {
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(`:table/${RESTORED}`);
      expect(resources).not.toMatch(/ImportValue|Table[0-9A-F]{8}/);
    }
    expect(JSON.stringify(tableStatements)).toContain(`:table/${RESTORED}/index/*`);
  });

  it('keeps the stateful stack’s table (retained, deletion-protected): switching deletes nothing', () => {
    const tables = Object.values(stateful.findResources('AWS::DynamoDB::GlobalTable') as Record<string, { DeletionPolicy?: string; Properties?: { DeletionProtectionEnabled?: boolean; Replicas?: Array<{ DeletionProtectionEnabled?: boolean }> } }>);
    expect(tables).toHaveLength(1);
    expect(tables[0]?.DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(tables[0]?.Properties)).toContain('"DeletionProtectionEnabled":true');
  });

  it('stays cdk-nag clean', () => {
    expect(findings.map((finding) => `${finding.rule} ${finding.path}`)).toEqual([]);
  });
});
