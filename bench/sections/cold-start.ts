import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunction, FLOOR_SOURCE, PROJECT_ROOT } from '../bundles.js';
import { median } from '../capacity.js';
import { round, type BenchSection, type Figure, type Goal } from '../section.js';

/** Goals of issue 18: import CPU ÷ the SDK floor module, and bundle sizes. */
const IMPORT_GOALS: Record<string, number> = { 'form-intake': 1.0 };
const DEFAULT_IMPORT_GOAL = 1.5;
const SIZE_GOALS_KB: Record<string, number> = { 'form-intake': 250, 'inbound-email': 600 };

const argument = (argv: string[], name: string, fallback: number): number => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};

/** Newest modification time of the files a bundle is built from. */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['functions', 'shared', 'infra', 'package-lock.json', 'tsconfig.json']) visit(path);
  return newest;
}

/** Resolve hook: SDK packages a bundle imports that this checkout lacks become empty classes (the Lambda runtime has them). */
const STUB_HOOKS = `const stubs = JSON.parse(process.env.TICKETLINE_INIT_STUBS || '{}');
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    const names = stubs[specifier];
    if (!names) throw error;
    const source = names.map((name) => 'export class ' + name + ' { send() { return {}; } }').join('\\n') + '\\nexport default {};';
    return { url: 'data:text/javascript,' + encodeURIComponent(source), shortCircuit: true };
  }
}
`;

/** Import probe: CPU (all threads) and wall time of importing the module named in argv. */
const PROBE = 'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); const u = process.cpuUsage(c); console.log("import", (u.user + u.system) / 1000, performance.now() - t);';

interface Sample {
  cpuMs: number;
  wallMs: number;
}

export const section: BenchSection = {
  name: 'cold-start',
  title: 'Cold start: bundle size and import CPU of each synthesised function',
  order: 10,
  async run(context) {
    const sizesFile = resolve('cdk.out/bundle-sizes.json');
    const forced = context.argv.includes('--synth');
    const stale = !existsSync(sizesFile) || statSync(sizesFile).mtimeMs < newestSource();
    let rebuilt = false;
    if ((forced || stale) && !context.argv.includes('--no-synth')) {
      context.log(`bundles ${existsSync(sizesFile) ? 'older than the sources' : 'missing'}: running \`npm run synth\` ...`);
      const synth = spawnSync('npm', ['run', 'synth'], { stdio: ['ignore', 'ignore', 'inherit'] });
      rebuilt = synth.status === 0;
      if (!rebuilt) context.log(`npm run synth failed (exit ${synth.status}); bundle figures ${existsSync(sizesFile) ? 'are from the last synth' : 'are missing'}`);
    }
    if (!existsSync(sizesFile)) return { figures: [{ key: 'synth', label: 'synth', value: undefined, note: 'npm run synth failed: no bundles to measure' }] };
    const sizes = JSON.parse(readFileSync(sizesFile, 'utf8')) as Array<{ name: string; assetDir: string; bytes: number; gzipBytes: number }>;

    const dir = resolve('cdk.out/bench-import');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const floor = join(dir, 'sdk-floor.mjs');
    writeFileSync(floor, FLOOR_SOURCE);
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, STUB_HOOKS);
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

    // form-intake wired as before round five (SDK clients for its table and queue), built with the
    // same settings and measured in the same rounds: the before of the signed-HTTP decision.
    const variantDir = join(dir, 'form-intake-sdk');
    const variant = await buildFunction(join(PROJECT_ROOT, 'bench/variants/form-intake-sdk.ts'), join(variantDir, 'index.mjs'));

    const stubbed = new Set<string>();
    const stubsOf = (path: string): Record<string, string[]> => {
      const stubs: Record<string, string[]> = {};
      for (const match of readFileSync(path, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*["'](@aws-sdk\/[^"']+)["']/g)) {
        const names = (match[1] ?? '').split(',').map((part) => part.trim().split(/\s+as\s+/)[0]?.trim() ?? '').filter(Boolean);
        const specifier = match[2] as string;
        stubs[specifier] = [...new Set([...(stubs[specifier] ?? []), ...names])];
        if (!existsSync(join('node_modules', specifier))) stubbed.add(specifier);
      }
      return stubs;
    };
    const importOnce = (path: string, stubs: Record<string, string[]>): Sample | undefined => {
      const out = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', PROBE, pathToFileURL(path).href], {
        encoding: 'utf8',
        env: { ...process.env, TICKETLINE_INIT_STUBS: JSON.stringify(stubs), AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', NODE_NO_WARNINGS: '1', NODE_OPTIONS: '' },
      });
      const match = /import ([\d.]+) ([\d.]+)/.exec(out.stdout);
      if (match) return { cpuMs: Number(match[1]), wallMs: Number(match[2]) };
      context.log(`could not import ${path}: ${out.stderr.split('\n').find((line) => line.includes('Error')) ?? out.stderr.slice(-300)}`);
      return undefined;
    };

    // Rounds alternate floor and bundles, so a busy moment on the machine hits every side alike.
    const rounds = argument(context.argv, 'import-rounds', 7);
    const targets = [
      { name: 'sdk-floor', path: floor },
      ...sizes.map((size) => ({ name: size.name, path: join(size.assetDir, 'index.mjs') })),
      { name: 'form-intake-sdk', path: join(variantDir, 'index.mjs') },
    ];
    const stubs = new Map(targets.map((target) => [target.name, stubsOf(target.path)]));
    const samples = new Map<string, Sample[]>(targets.map((target) => [target.name, []]));
    context.log(`importing ${targets.length} modules ${rounds} times each in fresh processes ...`);
    for (let i = 0; i < rounds; i += 1) {
      for (const target of targets) {
        const sample = importOnce(target.path, stubs.get(target.name) ?? {});
        if (sample) samples.get(target.name)?.push(sample);
      }
    }
    const cpu = (name: string) => median((samples.get(name) ?? []).map((s) => s.cpuMs));
    const wall = (name: string) => median((samples.get(name) ?? []).map((s) => s.wallMs));
    const floorCpu = cpu('sdk-floor');
    rmSync(dir, { recursive: true, force: true });

    const figures: Figure[] = [
      { key: 'floorImportCpuMs', label: 'SDK floor: import CPU', value: round(floorCpu, 1), unit: 'ms', note: `DynamoDB document client + SQS client, external SDK; median of ${rounds} fresh processes (wall ${round(wall('sdk-floor'), 1)} ms)` },
    ];
    for (const size of sizes) {
      const goal: Goal = { op: '<=', target: IMPORT_GOALS[size.name] ?? DEFAULT_IMPORT_GOAL };
      figures.push({ key: `importRatio.${size.name}`, label: `${size.name}: import CPU / floor`, value: round(cpu(size.name) / floorCpu), unit: 'x', goal, note: `${round(cpu(size.name), 1)} ms CPU, ${round(wall(size.name), 1)} ms wall` });
    }
    for (const size of sizes) {
      const target = SIZE_GOALS_KB[size.name];
      figures.push({
        key: `bundleKb.${size.name}`,
        label: `${size.name}: bundle`,
        value: round(size.bytes / 1000, 1),
        unit: 'KB',
        goal: target ? { op: '<=', target } : undefined,
        note: `${round(size.gzipBytes / 1000, 1)} KB gzipped`,
      });
    }
    figures.push({
      key: 'importRatio.form-intake-sdk',
      label: 'form-intake with SDK clients (before): import CPU / floor',
      value: round(cpu('form-intake-sdk') / floorCpu),
      unit: 'x',
      note: `${round(variant.bytes / 1000, 1)} KB; table and queue through the SDK instead of signed HTTP, the rest the same`,
    });
    if (stubbed.size > 0) figures.push({ key: 'stubbed', label: 'SDK packages stubbed', value: [...stubbed].join(', '), note: 'not installed here; the Lambda runtime provides them, so their import CPU is not counted' });
    return {
      figures,
      detail: {
        rebuilt,
        synthAt: statSync(sizesFile).mtime.toISOString(),
        floorCpuMs: round(floorCpu, 1),
        functions: sizes.map((size) => ({ name: size.name, bytes: size.bytes, gzipBytes: size.gzipBytes, importCpuMs: round(cpu(size.name), 1), importWallMs: round(wall(size.name), 1) })),
      },
    };
  },
};
