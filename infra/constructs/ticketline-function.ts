import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { checkEnvironmentSize } from '../environment-size.js';
import { FUNCTION_SIZING, type FunctionName } from '../functions.js';
import { acknowledge } from '../nag.js';

/**
 * ESM bundles have no `require`; a few CommonJS dependencies (chardet, html-to-text's parser)
 * call it at run time, so the banner restores it from the module's own URL.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ticketlineCreateRequire } from 'node:module';const require = __ticketlineCreateRequire(import.meta.url);";

/**
 * SDK packages reached only through dynamic imports of the default credential chain after its
 * first provider (environment variables, which Lambda always sets): SSO, shared ini files, external
 * processes, web identity tokens, container credentials, and the STS/SSO clients they use.
 */
export const SDK_NEVER_LOADED_ON_LAMBDA = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
];

export interface TicketlineFunctionProps {
  name: FunctionName;
  /** The handler module, normally `functions/<name>/handler.ts`; it must export `handler`. */
  entry: string;
  /** Repository root: package-lock.json and tsconfig.json live there. */
  projectRoot: string;
  stage: string;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  reservedConcurrency?: number;
}

/**
 * One Lambda the way every Ticketline function is built: Node.js 22 on arm64 (cheaper per GB-s
 * and faster to start than x86 for this workload), an ESM bundle from the local esbuild (no
 * Docker) with the AWS SDK v3 clients it uses bundled in, JSON logs into a log group with a retention,
 * and X-Ray tracing. The role starts empty: permissions come only from explicit grants.
 */
export class TicketlineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TicketlineFunctionProps) {
    super(scope, id);
    const sizing = FUNCTION_SIZING[props.name];
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: log writes are scoped to this log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Ticketline ${props.stage} ${props.name}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment = { ...props.environment, NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_LOG_LEVEL: props.logLevel };
    checkEnvironmentSize(props.name, environment);
    this.fn = new NodejsFunction(this, 'Function', {
      description: FUNCTION_SIZING[props.name].description,
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: sizing.memoryMb,
      timeout: Duration.seconds(sizing.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        // Chinese text (opencc's dictionaries, the triage rules, templates) as UTF-8 bytes, not
        // \uXXXX escapes: half the size, and Node.js reads module files as UTF-8 anyway. Passed as
        // an esbuild argument: this aws-cdk-lib declares `charset` but does not hand it to esbuild.
        esbuildArgs: { '--charset': 'utf8' },
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        // Source text in the map only inflates the asset; stack traces need file names and lines.
        sourcesContent: false,
        // The AWS SDK is bundled: measured by `npm run bench` (docs/performance.md), a bundle with
        // its SDK clients tree-shaken in imports in about half the CPU time of the same code loading
        // the runtime's SDK (many CommonJS files, every command), and its versions are the
        // lockfile's, not whatever the runtime ships. Only the credential providers the Lambda
        // runtime never reaches stay external (credentials come from the environment, the first
        // provider of the chain; the others are loaded lazily, by dynamic import, elsewhere).
        externalModules: SDK_NEVER_LOADED_ON_LAMBDA,
        tsconfig: join(props.projectRoot, 'tsconfig.json'),
      },
    });
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Node.js 22 is the project-wide runtime decision (bundles target node22); moving to a newer runtime is a deliberate upgrade, not a drift fix.',
    );
    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'Only the X-Ray tracing actions use Resource *, which X-Ray requires; data permissions are scoped to resources.');
  }
}
