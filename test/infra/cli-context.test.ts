import { describe, expect, it } from 'vitest';
import { contextFromArgs } from '../../infra/cli-context.js';

describe('contextFromArgs', () => {
  it('reads --context, -c and --context= forms', () => {
    expect(contextFromArgs(['--context', 'stage=prod', '-c', 'domain=a.example.com', '--context=timeZone=UTC'])).toEqual({
      stage: 'prod',
      domain: 'a.example.com',
      timeZone: 'UTC',
    });
  });

  it('keeps "=" inside the value', () => {
    expect(contextFromArgs(['-c', 'publicBaseUrl=https://x.example.com/?a=b'])).toEqual({ publicBaseUrl: 'https://x.example.com/?a=b' });
  });

  it('rejects a context argument without a key', () => {
    expect(() => contextFromArgs(['--context', 'prod'])).toThrow('expected --context key=value');
  });
});
