import { existsSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeMatching } from '../nag.js';

export interface ConsoleSiteProps {
  /** The built console (`console/dist`); uploaded only when it exists at synth time. */
  distDir: string;
  /** Runtime settings the SPA reads from `/config.json` (API URL, user pool, client id). */
  runtimeConfig: Record<string, string>;
  logRetentionDays: number;
}

/**
 * The agent console: a private bucket readable only by CloudFront through origin access control.
 * Without a built console the bucket and distribution still exist (so CORS and the Cognito
 * callback have a stable origin) and the upload is skipped; `npm run build` in console/ and a
 * redeploy fill it.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployed: boolean;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    // CloudFront standard logging writes with ACLs, so this bucket keeps object-writer ownership.
    const logs = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, 'AwsSolutions-S1', 'This bucket receives the console access logs; logging it into itself would loop.');

    this.bucket = new s3.Bucket(this, 'Assets', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // Build output, reproducible from git: nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Ticketline agent console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      // A single-page app: unknown paths are client-side routes.
      errorResponses: [
        { httpStatus: 403, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.minutes(1) },
        { httpStatus: 404, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.minutes(1) },
      ],
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Agents may work from any country; access is controlled by Cognito sign-in with MFA, not geography.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The distribution serves static, public build files only; every data request goes to the JWT-protected API. A WAF web ACL (about $6/month minimum) can be attached later.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, where the minimum TLS version cannot be chosen; attach a custom domain with TLSv1.2_2021 for production.',
    );

    this.deployed = existsSync(props.distDir);
    if (this.deployed) {
      new s3deploy.BucketDeployment(this, 'Upload', {
        sources: [s3deploy.Source.asset(props.distDir), s3deploy.Source.jsonData('config.json', props.runtimeConfig)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
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
    }
  }
}
