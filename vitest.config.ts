import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: the suite must pass on a busy 2-core machine, where a synth, a DynamoDB Local start or
    // a browser launch takes minutes. A timeout only bounds a hang; no test asserts on speed.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 2,
    restoreMocks: true,
    // The lockfile pins an SDK that supports Node 20 (docs/operations.md); its reminder is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
