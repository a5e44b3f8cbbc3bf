import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where the sweeper publishes SLA breaches (Powertools metrics, EMF). */
export const SLA_METRIC = { namespace: 'Ticketline', metricName: 'SlaBreaches' } as const;
/** POWERTOOLS_SERVICE_NAME of every function; Powertools adds it as the `service` dimension. */
export const SERVICE_NAME = 'ticketline';

/** SES reviews an account at 5 % bounces and 0.1 % complaints; alarm well before either. */
export const BOUNCE_RATE_THRESHOLD = 0.04;
export const COMPLAINT_RATE_THRESHOLD = 0.0008;
/** A P1 must be answered in 10 minutes, so inbound mail older than 5 minutes is already late. */
export const INBOUND_AGE_THRESHOLD_SECONDS = 300;

/** API answers 5xx this many times in 5 minutes: something is broken, not one unlucky request. */
export const API_5XX_THRESHOLD = 3;
/** Alarm when a day's sends reach this share of the account's SES 24-hour quota. */
export const SES_QUOTA_SHARE = 0.8;

/** An alarm's name: `Ticketline-<stage>-<what>`, e.g. `Ticketline-prod-InboundDepth`, `Ticketline-prod-sla-sweeperErrors`. */
export function alarmName(stage: string, alarmId: string): string {
  return `Ticketline-${stage}-${alarmId}`;
}

export interface MonitoringProps {
  stage: string;
  /** The HTTP API behind the front door. */
  api: apigw.IHttpApi;
  /** The account's SES 24-hour sending quota (SES console, "Account dashboard"). */
  sesDailyQuota: number;
  alarmEmail?: string;
  functions: Record<string, lambda.IFunction>;
  deadLetterQueues: Record<string, sqs.IQueue>;
  inboundQueue: sqs.IQueue;
  notificationQueue: sqs.IQueue;
  slaBreachAlarmPerHour: number;
}

/**
 * Alarms for what operations must act on, all to one SNS topic, and a dashboard that shows the
 * pipeline from intake to sent mail on one page.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, hence our own key.
    const key = new kms.Key(this, 'TopicKey', {
      description: `Ticketline ${props.stage} operations alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `Ticketline ${props.stage} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);

    const add = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string, comparison = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        // The name the alarm mail's subject carries and docs/operations.md "Reading alarms" lists; the stage keeps stages apart.
        alarmName: alarmName(props.stage, alarmId),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: comparison,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      // ALARM only: an OK mail for every recovered blip teaches people to ignore the topic.
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      add(
        `${name}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        `Messages in the ${name} dead-letter queue: something failed five times. See docs/operations.md "Reading alarms".`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 0, `${name} raised errors in the last 5 minutes.`);
    }
    // Throttling means the account's concurrency ran out (no function reserves any unless configured),
    // so one alarm on the account's Lambda throttles says it; the dashboard shows which function.
    // One alarm instead of one per function: $0.70 a month less while idle (cost/model.ts).
    const throttles = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', period: Duration.minutes(5), statistic: 'Sum' });
    add('LambdaThrottles', throttles, 0, 'Lambda throttled invocations in the last 5 minutes: the account concurrency is exhausted (see the dashboard for which function).');
    const bounceRate = new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', period: Duration.hours(1), statistic: 'Maximum' });
    const complaintRate = new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', period: Duration.hours(1), statistic: 'Maximum' });
    add('SesBounceRate', bounceRate, BOUNCE_RATE_THRESHOLD, 'SES bounce rate above 4 % (account review at 5 %).', cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    add('SesComplaintRate', complaintRate, COMPLAINT_RATE_THRESHOLD, 'SES complaint rate above 0.08 % (account review at 0.1 %).', cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    const slaBreaches = new cloudwatch.Metric({
      ...SLA_METRIC,
      dimensionsMap: { service: SERVICE_NAME },
      period: Duration.hours(1),
      statistic: 'Sum',
    });
    add('SlaBreachesPerHour', slaBreaches, props.slaBreachAlarmPerHour, `More than ${props.slaBreachAlarmPerHour} SLA breaches in an hour: the desk is understaffed or a queue is stuck.`);
    const inboundAge = props.inboundQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' });
    add('InboundOldestMessageAge', inboundAge, INBOUND_AGE_THRESHOLD_SECONDS, 'Inbound mail has waited more than 5 minutes: inbound-email is failing or throttled.');

    const api5xx = props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' });
    add('Api5xx', api5xx, API_5XX_THRESHOLD, `The HTTP API answered 5xx at least ${API_5XX_THRESHOLD} times in 5 minutes.`, cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    const sends = new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Send', period: Duration.days(1), statistic: 'Sum' });
    add(
      'SesDailyQuota',
      sends,
      Math.floor(props.sesDailyQuota * SES_QUOTA_SHARE),
      `SES sends in the last day reached ${SES_QUOTA_SHARE * 100} % of the ${props.sesDailyQuota}/day quota: ask AWS for more before mail is refused.`,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    const notificationAge = props.notificationQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' });
    add('NotificationOldestMessageAge', notificationAge, INBOUND_AGE_THRESHOLD_SECONDS, 'Customer and staff mail has waited more than 5 minutes: the notifier is failing, throttled or SES is refusing.');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `Ticketline-${props.stage}` });
    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Invocations', left: fns.map(([, fn]) => fn.metricInvocations({ period: Duration.minutes(5) })), width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Errors', left: fns.map(([, fn]) => fn.metricErrors({ period: Duration.minutes(5) })), width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Throttles', left: fns.map(([, fn]) => fn.metricThrottles({ period: Duration.minutes(5) })), width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Duration p95', left: fns.map(([, fn]) => fn.metricDuration({ period: Duration.minutes(5), statistic: 'p95' })), width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Queues',
        left: [
          props.inboundQueue.metricApproximateNumberOfMessagesVisible({ label: 'inbound visible' }),
          props.notificationQueue.metricApproximateNumberOfMessagesVisible({ label: 'notifications visible' }),
          ...Object.entries(props.deadLetterQueues).map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ label: `${name} DLQ` })),
        ],
        right: [inboundAge, notificationAge],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'SES reputation', left: [bounceRate, complaintRate], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'API 5xx and SES sends', left: [api5xx], right: [sends], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'SLA breaches per hour', left: [slaBreaches], width: 12 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }
}
