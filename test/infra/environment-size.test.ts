import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { checkEnvironmentSize, environmentBytes, EnvironmentTooLargeError, LAMBDA_ENVIRONMENT_LIMIT_BYTES, TOKEN_ALLOWANCE_BYTES } from '../../infra/environment-size.js';
import { DEFAULT_AGENTS } from '../../shared/config/defaults.js';

describe('environment size at synth', () => {
  it('counts keys, values and every unresolved token at its allowance', () => {
    const stack = new Stack(new App(), 'Sizes');
    const queue = new sqs.Queue(stack, 'Queue');

    expect(environmentBytes({ A: 'xyz' })).toBe(4);
    expect(environmentBytes({ URL: queue.queueUrl })).toBe(3 + TOKEN_ALLOWANCE_BYTES);
    expect(environmentBytes({ PAIR: `${queue.queueUrl}|${queue.queueArn}` })).toBe(4 + 1 + 2 * TOKEN_ALLOWANCE_BYTES);
  });

  it('passes a normal environment', () => {
    expect(() => checkEnvironmentSize('agent-api', { TABLE_NAME: 'x'.repeat(200), DESK_CONFIG: '{}' })).not.toThrow();
  });

  it('stops at the 4 KB Lambda limit, naming the function and the largest variable (a desk of 40 agents in DESK_CONFIG)', () => {
    const agents = Array.from({ length: 40 }, (_, i) => ({ ...DEFAULT_AGENTS[0]!, id: `agent-${i}`, email: `agent-${i}@support.example.com` }));
    const environment = { TABLE_NAME: 'table', DESK_CONFIG: JSON.stringify({ agents }) };

    expect(environmentBytes(environment)).toBeGreaterThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    expect(() => checkEnvironmentSize('notifier', environment)).toThrow(EnvironmentTooLargeError);
    expect(() => checkEnvironmentSize('notifier', environment)).toThrow(/notifier: .*largest: DESK_CONFIG/);
  });
});
