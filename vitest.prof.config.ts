import { defineConfig } from 'vitest/config';

/**
 * Test files that run each in a fresh module graph (vitest's default isolation). Every other file
 * shares its worker's modules with the files before it (`isolate: false`): importing the SDK, zod,
 * the triage rules and the CDK once per worker instead of once per file cut the CPU of a group of
 * 46 unit files from 42 s to 23 s, and of the 27 service files from 156 s to 113 s (docs/performance.md,
 * "The suite's time"). A file belongs here when it changes what other files would see: it stubs
 * an SDK client's class (aws-sdk-client-mock), rewrites process.env, injects faults into the
 * pipeline (the notifier remembers unrecorded sends per process), or starts the local runtime,
 * DynamoDB Local processes or a browser.
 */
const ISOLATED = [
  'test/chaos/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/local/**/*.test.ts',
  'test/shared/adapters/aws-runtime.test.ts',
  'test/shared/adapters/blob-store.test.ts',
  'test/shared/adapters/cognito-identities.test.ts',
  'test/shared/adapters/s3-blob-store.test.ts',
  'test/shared/adapters/sqs-dead-letters.test.ts',
  'test/shared/adapters/sqs-redrive.test.ts',
  'test/shared/adapters/dynamodb/http-transport.test.ts',
];

const common = {
  execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp/suite-prof'],
  // Generous: the suite must pass on a busy 2-core machine, where a synth, a DynamoDB Local start or
  // a browser launch takes minutes. A timeout only bounds a hang; no test asserts on speed.
  testTimeout: 120_000,
  hookTimeout: 600_000,
  pool: 'forks' as const,
  restoreMocks: true,
  // With shared modules a stubbed variable or global must not outlive its test.
  unstubEnvs: true,
  unstubGlobals: true,
  // The lockfile pins an SDK that supports Node 20 (docs/operations.md); its reminder is noise here.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
};

export default defineConfig({
  test: {
    // Runs once for both projects: one DynamoDB Local and one console build for the whole run.
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false, setupFiles: ['test/support/frozen-defaults.ts'] } },
      { test: { ...common, name: 'isolated', include: ISOLATED } },
    ],
  },
});
