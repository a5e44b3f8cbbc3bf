import { Logger } from '@aws-lambda-powertools/logger';
import { maskText } from '../domain/masking.js';

/**
 * Structured JSON logs (Powertools). Every message and string detail passes through the masker,
 * so an address or phone number that slips into a log line is never written in clear.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
    jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskText(value) : value),
  });
}
