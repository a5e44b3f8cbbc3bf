import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type IApplyRule } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin: findings are written to
 * `<outdir>/validation-report.json` and an unacknowledged error fails `app.synth()`.
 * Suppressions are CDK acknowledgements (`Validations.of(construct).acknowledge`), each with a reason.
 */

interface PatternAcknowledgement {
  ruleId: string;
  finding: RegExp;
  reason: string;
}
const patternAcknowledgements = new WeakMap<IConstruct, PatternAcknowledgement[]>();

/**
 * The AwsSolutions pack, plus acknowledgements by pattern. cdk-nag 3 matches acknowledgements by
 * exact finding id, and a wildcard resource that crosses stacks is named after the generated
 * CloudFormation export (`Ticketline-dev-Stateful:ExportsOutputFnGetAtt...`), which nobody should
 * hard-code. When a finding matches a pattern registered on its construct or an ancestor, the
 * exact id is acknowledged with the pattern's reason just before the native check reads it, so
 * the audit trail still records every acknowledged finding by its full id.
 */
export class TicketlineChecks extends AwsSolutionsChecks {
  protected override applyRule(params: IApplyRule): void {
    const ruleId = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const original = params.rule;
    const rule: IApplyRule['rule'] = (node) => {
      const result = original(node);
      if (Array.isArray(result)) {
        for (const finding of result) {
          const match = findPattern(node, ruleId, String(finding));
          if (match) Validations.of(node).acknowledge({ id: `${ruleId}[${String(finding)}]`, reason: match.reason });
        }
      }
      return result;
    };
    Object.defineProperty(rule, 'name', { value: original.name });
    super.applyRule({ ...params, rule, ruleSuffixOverride: params.ruleSuffixOverride ?? original.name });
  }
}

function findPattern(node: IConstruct, ruleId: string, finding: string): PatternAcknowledgement | undefined {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    const match = patternAcknowledgements.get(current)?.find((entry) => entry.ruleId === ruleId && entry.finding.test(finding));
    if (match) return match;
  }
  return undefined;
}

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new TicketlineChecks(app, { verbose: true }));
}

/**
 * Acknowledges every finding of a granular rule (IAM5, IAM4) on a construct whose finding text
 * matches the pattern, e.g. the `<table>/index/*` resource of a DynamoDB grant.
 *
 * @example
 * acknowledgeMatching(role, 'AwsSolutions-IAM5', /^Resource::.*\/index\/\*$/, 'Grants include the table indexes.');
 */
export function acknowledgeMatching(scope: IConstruct, ruleId: string, finding: RegExp, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`cdk-nag acknowledgement ${ruleId} needs a real reason, got "${reason}"`);
  patternAcknowledgements.set(scope, [...(patternAcknowledgements.get(scope) ?? []), { ruleId, finding, reason }]);
}

/**
 * Acknowledges one cdk-nag finding on a construct and everything below it. The reason is
 * mandatory: a suppression nobody can explain is a finding.
 *
 * @example
 * acknowledge(bucket, 'AwsSolutions-S1', 'This is the access log bucket itself.');
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`cdk-nag acknowledgement ${id} needs a real reason, got "${reason}"`);
  Validations.of(scope).acknowledge({ id, reason });
}

export interface NagFinding {
  rule: string;
  severity: string;
  path: string;
  description: string;
}

interface ValidationReport {
  pluginReports?: {
    pluginName: string;
    violations?: {
      ruleName: string;
      description: string;
      severity?: string;
      violatingConstructs?: { constructPath?: string }[];
    }[];
  }[];
}

/** The unacknowledged findings of the AwsSolutions pack in a cloud assembly; empty when there is no report. */
export function readNagFindings(assemblyDir: string): NagFinding[] {
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8')) as ValidationReport;
  } catch {
    return [];
  }
  const findings: NagFinding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    if (plugin.pluginName !== 'AwsSolutions') continue;
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? [{}]) {
        findings.push({
          rule: violation.ruleName,
          severity: violation.severity ?? 'unknown',
          path: construct.constructPath ?? '(unknown)',
          description: violation.description,
        });
      }
    }
  }
  return findings;
}
