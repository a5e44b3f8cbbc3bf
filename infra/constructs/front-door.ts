import { existsSync } from 'node:fs';
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_BASE_PATH, type ConsoleConfigInput } from '../../shared/config/console.js';
import { consoleCsp, pagesCsp } from '../../shared/http/content-security.js';
import { FRONT_DOOR_HEADER } from '../../shared/http/front-door.js';
import { acknowledge, acknowledgeMatching } from '../nag.js';

/** Paths CloudFront sends to the HTTP API; everything under /console/ comes from the console bucket. */
export const API_PATH_PATTERNS = ['/api/*', '/tickets', '/status/*', '/survey/*'] as const;

export class ConsoleNotBuiltError extends Error {
  override name = 'ConsoleNotBuiltError';
}

export interface FrontDoorProps {
  api: apigw.IHttpApi;
  /** The built agent console (`console/dist`); synth stops when it is missing. */
  distDir: string;
  logRetentionDays: number;
  /** Custom host name and its us-east-1 ACM certificate; otherwise the *.cloudfront.net name. */
  customDomain?: { domainName: string; certificateArn: string };
  /** A WAF web ACL (CLOUDFRONT scope, us-east-1) to attach. */
  webAclArn?: string;
  /**
   * The value CloudFront sends to the API in the `x-ticketline-origin` header; the HTTP functions
   * refuse requests without it, so the API's own execute-api address cannot be used to go around
   * WAF (shared/http/front-door.ts).
   */
  originSecret: string;
  /** Where attachment links point (the mail bucket's hosts), for the console's image previews and uploads. */
  fileOrigins?: readonly string[];
}

/**
 * The desk's single front door: one CloudFront distribution, one origin for people. The agent
 * console is served from a private bucket under /console/; the customer pages (form at /,
 * /tickets, /status/*, /survey/*) and the agent API (/api/*) go to the HTTP API. Same origin
 * for console and API means no CORS and no preflight, and the console's address (the Cognito
 * callback URL) is known from this construct, before the user-pool client exists, so one
 * deploy is enough.
 */
export class FrontDoor extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<custom domain or CloudFront domain>, no trailing slash. */
  readonly origin: string;
  private readonly distDir: string;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    if (!existsSync(props.distDir)) {
      throw new ConsoleNotBuiltError(
        `the agent console is not built (${props.distDir} does not exist): run \`npm run build:console\` first (\`npm run deploy\` and \`npm run synth\` do it)`,
      );
    }
    this.distDir = props.distDir;
    // CloudFront standard logging writes with ACLs, so this bucket keeps object-writer ownership.
    this.logs = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.logs, 'AwsSolutions-S1', 'This bucket receives the front door access logs; logging it into itself would loop.');

    this.bucket = new s3.Bucket(this, 'Assets', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 'bucket/',
      // Build output, reproducible from git: nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Client-side routes of the console (/console/tickets/CS…) are index.html; files keep their path.
    const consoleRoutes = new cloudfront.Function(this, 'ConsoleRoutes', {
      comment: 'Serves index.html for console routes without a file extension',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          "  if (request.uri === '/console') return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };",
          "  if (!/\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = '/console/index.html';",
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });
    // The security headers of both kinds of page; the Content-Security-Policy strings are the ones the local runtime sends.
    const headersPolicy = (id: string, contentSecurityPolicy: string) =>
      new cloudfront.ResponseHeadersPolicy(this, id, {
        comment: `Ticketline ${id}: CSP, HSTS, nosniff, no framing, no referrer`,
        securityHeadersBehavior: {
          contentSecurityPolicy: { contentSecurityPolicy, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
          referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
          strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        },
      });
    const consoleHeaders = headersPolicy('ConsoleHeaders', consoleCsp({ fileOrigins: props.fileOrigins }));
    const pageHeaders = headersPolicy('PageHeaders', pagesCsp({ fileOrigins: props.fileOrigins }));
    const consoleBehavior: cloudfront.BehaviorOptions = {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: consoleHeaders,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      functionAssociations: [{ function: consoleRoutes, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    // apiEndpoint is https://<id>.execute-api.<region>.<suffix>: the origin is its host.
    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // Overwrites any header of this name a viewer sent.
      customHeaders: { [FRONT_DOOR_HEADER]: props.originSecret },
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      responseHeadersPolicy: pageHeaders,
      // Nothing from the API is cached at the edge: every answer is per ticket or per agent.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Everything the viewer sent (Authorization, Idempotency-Key, query) except Host, which API Gateway needs to be its own.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    const certificate = props.customDomain ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: `Ticketline ${Stack.of(this).stackName}: console, customer pages and API on one origin`,
      // The customer form is the home page; anything unknown is the API's 404.
      defaultBehavior: apiBehavior,
      additionalBehaviors: {
        [`${CONSOLE_BASE_PATH}*`]: consoleBehavior,
        '/console': consoleBehavior,
        ...Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      },
      domainNames: props.customDomain ? [props.customDomain.domainName] : undefined,
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cdn/',
      // Europe, North America and Asia edges: cheaper than all, and where the desk's customers are.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      webAclId: props.webAclArn,
    });
    this.origin = props.customDomain ? `https://${props.customDomain.domainName}` : `https://${this.distribution.distributionDomainName}`;

    acknowledge(this.distribution, 'AwsSolutions-CFR1', 'Agents and customers may be in any country; agents are protected by Cognito sign-in with MFA, not geography.');
    if (!props.webAclArn) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'AWS WAF is off for this stage (context waf=false; on by default in prod): the web ACL costs about $6/month; API Gateway throttling and the per-sender limits still apply.',
      );
    }
    if (!props.customDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its *.cloudfront.net certificate, where the minimum TLS version cannot be chosen; a custom domain gets TLSv1.2_2021.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR5',
      'The API origin is API Gateway over HTTPS with TLS 1.2 only (originSslProtocols TLSv1.2); the finding reads the default SSLv3 list of custom origins.',
    );
  }

  /** Uploads the built console under /console/ with the config.json the console reads. */
  publishConsole(config: ConsoleConfigInput): s3deploy.BucketDeployment {
    const upload = new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [s3deploy.Source.asset(this.distDir), s3deploy.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_BASE_PATH.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${CONSOLE_BASE_PATH}*`],
      memoryLimit: 512,
    });
    // The upload function is a stack-level singleton of BucketDeployment, not a child of it.
    const stack = Stack.of(this);
    for (const child of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      acknowledge(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK-managed upload function of BucketDeployment; it runs only during deploys, writes only its own logs with this policy, and its role is not configurable.',
      );
      acknowledgeMatching(
        child,
        'AwsSolutions-IAM5',
        /^(Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*|Resource::.*)$/,
        'CDK-managed upload function of BucketDeployment: reads the staged asset and replaces the console bucket contents; the grants are generated by CDK and scoped to those two buckets.',
      );
      acknowledge(child, 'AwsSolutions-L1', 'CDK-managed upload function of BucketDeployment; its runtime is chosen by the CDK release.');
    }
    return upload;
  }
}
