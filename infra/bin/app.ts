#!/usr/bin/env -S npx tsx
import { buildApp } from '../build-app.js';
import { InfraConfigError } from '../config.js';
import { ConsoleNotBuiltError } from '../constructs/front-door.js';
import { EnvironmentTooLargeError } from '../environment-size.js';

// The CDK CLI's entry point (cdk.json "app"). Context comes from cdk.json and --context.
try {
  buildApp().app.synth();
} catch (error) {
  // A configuration mistake is not a crash: print the listed problems, not a stack trace.
  if (!(error instanceof InfraConfigError || error instanceof ConsoleNotBuiltError || error instanceof EnvironmentTooLargeError)) throw error;
  console.error(error.message);
  process.exit(1);
}
