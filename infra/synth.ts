import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, PROJECT_ROOT } from './build-app.js';
import { bundleSizes, formatBytes } from './bundle-sizes.js';
import { contextFromArgs } from './cli-context.js';
import { InfraConfigError } from './config.js';
import { ConsoleNotBuiltError } from './constructs/front-door.js';
import { EnvironmentTooLargeError } from './environment-size.js';
import { readNagFindings } from './nag.js';

/**
 * `npm run synth`: synthesises both stacks offline (no credentials, no context look-ups), runs
 * cdk-nag, and prints each function's bundle size. Extra context as with the CDK CLI:
 * `npm run synth -- --context stage=prod --context alarmEmail=ops@example.com`.
 */
process.env.CDK_DISABLE_CLI_TELEMETRY = 'true';
const outdir = join(PROJECT_ROOT, 'cdk.out');
mkdirSync(outdir, { recursive: true });

let built: ReturnType<typeof buildApp>;
try {
  built = buildApp({ outdir, context: contextFromArgs(process.argv.slice(2)) });
} catch (error) {
  // A configuration mistake is not a crash: print the listed problems, not a stack trace.
  if (error instanceof InfraConfigError || error instanceof ConsoleNotBuiltError || error instanceof EnvironmentTooLargeError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const { app, stateless, config } = built;
try {
  app.synth();
} catch (error) {
  const findings = readNagFindings(outdir);
  if (findings.length > 0) {
    console.error(`cdk-nag: ${findings.length} unacknowledged finding(s):`);
    for (const finding of findings) console.error(`  ${finding.rule}  ${finding.path}\n    ${finding.description}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}

const sizes = bundleSizes(stateless, outdir);
writeFileSync(join(outdir, 'bundle-sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
console.log(`\nTicketline-${config.stage}: synthesised to ${outdir}; cdk-nag AwsSolutions: no unacknowledged findings.\n`);
console.log('function          bundle      gzip        source map');
for (const size of sizes) {
  console.log(`${size.name.padEnd(18)}${formatBytes(size.bytes).padEnd(12)}${formatBytes(size.gzipBytes).padEnd(12)}${formatBytes(size.sourceMapBytes)}`);
}
const total = sizes.reduce((sum, size) => sum + size.bytes, 0);
console.log(`${'total'.padEnd(18)}${formatBytes(total)}`);
