#!/usr/bin/env -S npx tsx
import { buildApp } from '../build-app.js';

// The CDK CLI's entry point (cdk.json "app"). Context comes from cdk.json and --context.
const { app } = buildApp();
app.synth();
