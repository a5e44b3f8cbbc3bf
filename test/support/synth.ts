import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp, type TicketlineApp } from '../../infra/build-app.js';
import { readNagFindings, type NagFinding } from '../../infra/nag.js';

/** A handler that bundles in a blink, for stacks whose tests are not about the bundles. */
export const STUB_HANDLER = resolve('test/infra/fixtures/stub-handler.ts');

/** One synthesised cloud assembly in a folder of its own; `cleanUp` removes the folder. */
export interface SynthesisedApp {
  workDir: string;
  /** The cloud assembly (`cdk.out`). */
  assembly: string;
  /** The stand-in console build the front door uploads (one index.html). */
  consoleDist: string;
  built: TicketlineApp;
  /** cdk-nag's findings, as `npm run synth` reports them. */
  findings: NagFinding[];
  cleanUp(): void;
}

/**
 * Synthesises the whole app as `npm run synth` does (cdk-nag on) into a fresh temporary folder,
 * with a stand-in console build, the given CDK context and, with `stubHandlers`, every function's
 * code replaced by a stub (the bundles themselves are checked once, in stateless-stack.test.ts).
 * A failed synth throws with the cdk-nag findings that explain it.
 */
export function synthApp(name: string, options: { context: Record<string, string>; stubHandlers?: boolean }): SynthesisedApp {
  const workDir = mkdtempSync(join(tmpdir(), `ticketline-${name}-`));
  const consoleDist = join(workDir, 'console-dist');
  mkdirSync(consoleDist);
  writeFileSync(join(consoleDist, 'index.html'), '<!doctype html><title>console</title>');
  const assembly = join(workDir, 'cdk.out');
  const built = buildApp({ outdir: assembly, consoleDistDir: consoleDist, context: options.context, ...(options.stubHandlers ? { functionEntry: () => STUB_HANDLER } : {}) });
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
  try {
    built.app.synth();
  } catch (error) {
    // Without an assembly no template test can run: say why once, with the findings.
    const findings = readNagFindings(assembly);
    cleanUp();
    throw new Error(`synth failed; cdk-nag findings:\n${findings.map((f) => `${f.rule} ${f.path}`).join('\n')}`, { cause: error });
  }
  return { workDir, assembly, consoleDist, built, findings: readNagFindings(assembly), cleanUp };
}
