import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** The public POST routes a stranger can call without an account. */
export const PUBLIC_POST_PREFIXES = ['/tickets', '/status/', '/survey/'] as const;
/** WAF counts requests over a sliding five-minute window. */
export const WAF_WINDOW_SECONDS = 300;

export interface EdgeStackProps extends StackProps {
  stage: string;
  /** Requests per client IP per five minutes to the public POST routes. */
  rateLimit: number;
}

/**
 * What CloudFront needs from us-east-1: the AWS WAF web ACL (CLOUDFRONT scope exists only there).
 * One rule: a rate-based block on the public POST routes (form, status-page replies, survey
 * answers), answered 429 with Retry-After like the application's own limits. Everything else
 * passes: agents are behind Cognito and the pages are cheap to serve.
 */
export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const byteMatch = (field: wafv2.CfnWebACL.FieldToMatchProperty, value: string, constraint: 'EXACTLY' | 'STARTS_WITH'): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: field,
        positionalConstraint: constraint,
        searchString: value,
        // Paths are matched as sent and lower-cased, so /TICKETS counts too.
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const publicPosts: wafv2.CfnWebACL.StatementProperty = {
      andStatement: {
        statements: [
          byteMatch({ method: {} }, 'post', 'EXACTLY'),
          {
            orStatement: {
              statements: PUBLIC_POST_PREFIXES.map((prefix) => byteMatch({ uriPath: {} }, prefix, prefix.endsWith('/') ? 'STARTS_WITH' : 'EXACTLY')),
            },
          },
        ],
      },
    };
    this.webAcl = new wafv2.CfnWebACL(this, 'FrontDoorAcl', {
      name: `ticketline-${props.stage}-front-door`,
      description: `Ticketline ${props.stage}: rate limit on the public POST routes`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ type: 'about:blank', title: 'Too many requests', status: 429, detail: 'Too many requests from your network; try again in a few minutes.' }),
        },
      },
      rules: [
        {
          name: 'public-post-rate',
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.rateLimit,
              evaluationWindowSec: WAF_WINDOW_SECONDS,
              scopeDownStatement: publicPosts,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-requests',
                responseHeaders: [{ name: 'retry-after', value: String(WAF_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `ticketline-${props.stage}-public-post-rate`, sampledRequestsEnabled: true },
        },
      ],
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `ticketline-${props.stage}-front-door`, sampledRequestsEnabled: true },
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
