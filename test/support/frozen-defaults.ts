import { DEFAULT_AGENTS, DEFAULT_CUES, DEFAULT_RULES, DEFAULT_TEAMS } from '../../shared/config/defaults.js';

/*
 * The files of the `shared` test project share their worker's modules (vitest.config.ts), so the
 * desk's default teams, agents and triage rules are one object for all of them. Frozen, a test or
 * a code path that changes them in place fails where it does so (a TypeError in strict mode), not
 * in whichever file happens to run next in that worker.
 */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

for (const defaults of [DEFAULT_TEAMS, DEFAULT_AGENTS, DEFAULT_RULES, DEFAULT_CUES]) deepFreeze(defaults);
