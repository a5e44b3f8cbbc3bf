import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';
import { ensureConsoleBuilt } from './browser.js';

let instances: RunningDynamoDbLocal[] = [];

/**
 * How many in-memory DynamoDB Locals the run starts: one per vitest worker (vitest.config.ts's
 * maxWorkers). DynamoDB Local does all its database work on one SQLite thread, so one instance
 * made the two workers queue behind each other's calls: on a busy machine the shared table-heavy
 * files then waited on a thread that got one share of the CPU for both (docs/performance.md,
 * "The suite's time (round eight)").
 */
export const DYNAMODB_LOCAL_INSTANCES = 2;

/** The run's DynamoDB Locals; each test file creates its own tables in its worker's one (test/support/dynamodb.ts). */
export async function setup(project: TestProject): Promise<void> {
  // Built once here, before the workers: browser test files building it at once would race.
  await ensureConsoleBuilt();
  const started = await Promise.allSettled(Array.from({ length: DYNAMODB_LOCAL_INSTANCES }, () => startDynamoDbLocal()));
  instances = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw failed.reason;
  }
  project.provide('dynamoEndpoints', instances.map((instance) => instance.endpoint));
}

export async function teardown(): Promise<void> {
  await Promise.all(instances.map((instance) => instance.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One per worker: a test file asks `dynamoEndpoint()` (test/support/dynamodb.ts) for its worker's. */
    dynamoEndpoints: string[];
  }
}
