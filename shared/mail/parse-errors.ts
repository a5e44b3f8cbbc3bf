/**
 * Errors of the inbound-mail parsing area. `parseInboundMail` never throws: these errors are raised
 * inside it, caught at its boundary and turned into a `{ ok: false }` result carrying their reason.
 */

export type MailParseFailure = 'empty' | 'no-headers' | 'parser-error' | 'internal';

/** A mail could not be parsed at all; `reason` says which stage gave up. */
export class MailParseError extends Error {
  override name = 'MailParseError';

  constructor(
    message: string,
    readonly reason: MailParseFailure,
    readonly context: { bytes: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
