import { ConsoleConfigError, parseConsoleConfig, type ConsoleConfig } from './config.js';

/** Reads config.json next to index.html, so one build serves the local desk and every AWS deployment. */
export async function loadConsoleConfig(base = import.meta.env.BASE_URL): Promise<ConsoleConfig> {
  let raw: unknown;
  try {
    const response = await fetch(`${base}config.json`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    raw = await response.json();
  } catch (cause) {
    throw new ConsoleConfigError('config.json could not be read', String(cause), { cause });
  }
  return parseConsoleConfig(raw);
}
