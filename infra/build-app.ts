import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags } from 'aws-cdk-lib';
import { contextToRaw, InfraConfigError, loadInfraConfig, wafEnabled, type InfraConfig } from './config.js';
import type { FunctionName } from './functions.js';
import { addNagChecks } from './nag.js';
import { EdgeStack } from './stacks/edge-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { StatelessStack } from './stacks/stateless-stack.js';

/** The repository root, whatever the current directory. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Feature flags the app is written against. They live in code, not only in cdk.json, so the
 * CLI, `npm run synth` and the template tests all build exactly the same templates.
 */
export const FEATURE_FLAGS: Record<string, unknown> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/aws-sqs:sqsManagedSseEncryptionByDefault': true,
  '@aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021': true,
  // Strong (export/import) references: CloudFormation refuses to delete or change a stateful
  // resource while the stateless stack still uses it, which is the protection we want for data.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

export interface BuildAppOptions {
  /** Context as `--context` would give it: the `ticketline` object and/or single keys. */
  context?: Record<string, unknown>;
  /** Cloud assembly directory; tests pass a temporary one. */
  outdir?: string;
  /** Run the cdk-nag AwsSolutions pack during synth (default true). */
  nag?: boolean;
  /** The built agent console; default `console/dist`. */
  consoleDistDir?: string;
  /** Entry file per function; default `functions/<name>/handler.ts`. */
  functionEntry?: (name: FunctionName) => string;
}

export interface TicketlineApp {
  app: App;
  config: InfraConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
  /** The us-east-1 stack with the WAF web ACL; only when WAF is on for the stage. */
  edge?: EdgeStack;
}

/**
 * Builds the whole Ticketline app: configuration validated first, then the two stacks
 * `Ticketline-<stage>-Stateful` and `Ticketline-<stage>-Stateless`.
 *
 * @example
 * const { app } = buildApp({ context: { stage: 'prod', alarmEmail: 'ops@example.com' } });
 * app.synth();
 */
export function buildApp(options: BuildAppOptions = {}): TicketlineApp {
  const app = new App({
    outdir: options.outdir,
    analyticsReporting: false,
    context: { ...FEATURE_FLAGS, ...options.context },
  });
  const config = loadInfraConfig(contextToRaw((key) => app.node.tryGetContext(key)));
  // Explicit placeholders only when given: otherwise env-agnostic, so synth needs no credentials.
  const env = config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const prefix = `Ticketline-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    config,
    description: `Ticketline ${config.stage}: table, buckets, queues, user pool, SES identity and receipt rules`,
    terminationProtection: config.stage === 'prod',
  });
  let edge: EdgeStack | undefined;
  if (wafEnabled(config)) {
    // CLOUDFRONT-scope web ACLs exist only in us-east-1; CDK passes the ARN across regions itself.
    if (!config.region) {
      throw new InfraConfigError('invalid Ticketline deployment configuration (CDK context):\n  region: required when WAF is on (prod, or waf=true): the web ACL lives in us-east-1 and is referenced across regions', [
        'region: required when WAF is on',
      ]);
    }
    edge = new EdgeStack(app, `${prefix}-Edge`, {
      env: { account: config.account, region: 'us-east-1' },
      crossRegionReferences: config.region !== 'us-east-1',
      stage: config.stage,
      rateLimit: config.wafRateLimit,
      description: `Ticketline ${config.stage}: AWS WAF web ACL of the front door (us-east-1)`,
    });
  }
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    crossRegionReferences: edge !== undefined && config.region !== 'us-east-1',
    webAclArn: edge?.webAcl.attrArn,
    config,
    stateful,
    projectRoot: PROJECT_ROOT,
    consoleDistDir: options.consoleDistDir ?? join(PROJECT_ROOT, 'console', 'dist'),
    functionEntry: options.functionEntry ?? ((name) => join(PROJECT_ROOT, 'functions', name, 'handler.ts')),
    description: `Ticketline ${config.stage}: functions, HTTP API, schedules, alarms, console`,
  });
  stateless.addStackDependency(stateful, 'functions read table, queue and bucket names from the stateful stack');
  Tags.of(app).add('project', 'ticketline');
  Tags.of(app).add('stage', config.stage);
  if (options.nag ?? true) addNagChecks(app);
  if (edge) stateless.addStackDependency(edge, 'the front door attaches the web ACL');
  return { app, config, stateful, stateless, edge };
}
