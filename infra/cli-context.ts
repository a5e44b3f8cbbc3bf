/**
 * Parses `--context key=value` / `-c key=value` arguments the way the CDK CLI does, so
 * `npm run synth` accepts the same flags as `npm run deploy`.
 *
 * @example
 * contextFromArgs(['--context', 'stage=prod']); // { stage: 'prod' }
 */
export function contextFromArgs(args: string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    let pair: string | undefined;
    if (arg === '--context' || arg === '-c') pair = args[++i];
    else if (arg.startsWith('--context=')) pair = arg.slice('--context='.length);
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`expected --context key=value, got "${pair}"`);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
}
