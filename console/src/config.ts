/**
 * The console's configuration reader: the shared schema (shared/config/console.ts) the stack
 * writes config.json with, so the two cannot drift. Fetching it is load-config.ts.
 */
export { ConsoleConfigError, parseConsoleConfig } from '../../shared/config/console.js';
export type { CognitoAuthConfig, ConsoleAuthConfig as AuthConfig, ConsoleConfig } from '../../shared/config/console.js';
