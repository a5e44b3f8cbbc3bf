import { describe, expect, it } from 'vitest';
import { LINK_KEY_CACHE_SECONDS, secretsManagerLinkKeys } from '../../shared/adapters/link-keys.js';
import type { LinkKeys } from '../../shared/services/context.js';

/**
 * A rotated link key (after a leak) must reach warm containers within minutes, not at their next
 * cold start (issue 19): the keys are cached for LINK_KEY_CACHE_SECONDS and then read again.
 */

function secret(initial: LinkKeys) {
  const state = { value: initial, reads: 0, failing: false };
  const load = async (): Promise<LinkKeys> => {
    state.reads += 1;
    if (state.failing) throw new Error('throttled');
    return state.value;
  };
  return { state, load };
}

const OLD: LinkKeys = { current: { kid: 'k1', key: 'leaked-key' } };
const ROTATED: LinkKeys = { current: { kid: 'k2', key: 'new-key' }, previous: [] };

describe('link keys are cached for minutes, not for the life of the container', () => {
  it('picks up a rotated key once the cache time has passed, and reads the secret once within it', async () => {
    let now = 1_000_000;
    const { state, load } = secret(OLD);
    const linkKeys = secretsManagerLinkKeys({ load, now: () => now });
    expect(await linkKeys()).toEqual(OLD);
    state.value = ROTATED;
    now += 60_000;
    // Positive control: within the cache time, no read per request.
    expect(await linkKeys()).toEqual(OLD);
    expect(state.reads).toBe(1);
    now += LINK_KEY_CACHE_SECONDS * 1000;
    expect(await linkKeys()).toEqual(ROTATED);
    expect(state.reads).toBe(2);
    expect(LINK_KEY_CACHE_SECONDS).toBeLessThanOrEqual(600);
  });

  it('keeps serving the keys it has when a refresh fails, and tries again on the next call', async () => {
    let now = 0;
    const { state, load } = secret(OLD);
    const linkKeys = secretsManagerLinkKeys({ load, now: () => now, ttlSeconds: 60 });
    await linkKeys();
    state.failing = true;
    now += 61_000;
    expect(await linkKeys()).toEqual(OLD);
    state.failing = false;
    state.value = ROTATED;
    expect(await linkKeys()).toEqual(ROTATED);
  });

  it('reads the secret once for concurrent calls', async () => {
    const { state, load } = secret(OLD);
    const linkKeys = secretsManagerLinkKeys({ load });
    await Promise.all(Array.from({ length: 20 }, () => linkKeys()));
    expect(state.reads).toBe(1);
  });
});
