import { ServiceError } from './errors.js';

/** Errors of the inbound mail pipeline. A thrown error fails the SQS record, so SQS retries it and, in the end, dead-letters it. */
class InboundMailError extends ServiceError {
  override name = 'InboundMailError';
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The queue named a raw mail that is not (yet) in the bucket; a retry may find it. */
export class RawMailMissingError extends InboundMailError {
  override name = 'RawMailMissingError';
  constructor(key: string, options?: { cause?: unknown }) {
    super(`raw mail ${key} not found`, key, options);
  }
}

/** A queue record that is neither an S3 event nor an S3 test event: kept in the dead-letter queue for a person to look at. */
export class UnrecognisedRecordError extends InboundMailError {
  override name = 'UnrecognisedRecordError';
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`not an S3 event notification: ${detail}`, '', options);
  }
}

/** A malformed SES event from EventBridge. */
export class SesEventError extends ServiceError {
  override name = 'SesEventError';
  constructor(
    message: string,
    readonly detailType: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
