import type { DeskConfig } from '../config/load.js';
import type { TextChannelName } from './channels/index.js';
import type { AgentIdentities, Clock, Mailer, NotificationQueue, Store, TextSender } from './ports.js';

/** Raw mail, attachments and reports: S3 on AWS, files under the data folder locally. */
export interface BlobStore {
  put(key: string, body: Buffer | string, contentType?: string): Promise<void>;
  /**
   * Stores bytes that arrive in pieces (a large attachment decoded as it is read), without
   * joining them in memory first (S3: a multipart upload; locally: a file written as they come).
   * The object appears whole or not at all.
   */
  putStream?(key: string, pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, contentType?: string): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  list?(prefix: string): Promise<string[]>;
  /** Removes one object; removing a missing one is not an error. */
  delete?(key: string): Promise<void>;
  /**
   * A short-lived URL that downloads one object with the given type and `Content-Disposition`
   * (S3: a presigned GetObject; locally: a link signed by the local runtime).
   */
  downloadUrl?(key: string, serving: { contentType: string; disposition: string }, expiresInSeconds: number): Promise<string>;
  /**
   * A short-lived form that uploads one object under `key` straight from a browser: multipart POST
   * of `fields` then the file as `file`, refused unless the file is 1 to `maxBytes` bytes (and sent
   * as `contentType` when given). A key ending in `${filename}` takes the file's own name (S3: a presigned POST policy; locally: a link signed by the local runtime).
   * With `redirect`, a successful upload answers 303 to it (the status page works without script).
   */
  uploadForm?(key: string, rules: UploadRules, expiresInSeconds: number): Promise<{ url: string; fields: Record<string, string> }>;
}

export interface UploadRules {
  /** The one type the upload must be sent as; absent: any (the file is typed by its bytes when collected). */
  contentType?: string;
  maxBytes: number;
  redirect?: string;
}

/** Signing keys for survey and status links; `previous` keys still verify during a rotation. */
export interface LinkKeys {
  current: { kid: string; key: string };
  previous?: Array<{ kid: string; key: string }>;
}

/** A message a queue gave up on (its handler failed every retry), as the console lists it: never its body. */
export interface DeadLetterSummary {
  messageId: string;
  reason: string;
  receiveCount: number;
  at: string;
}

/** The dead-letter queues of the asynchronous steps (`inbound`, `notifications`), and their replay. */
export interface DeadLetterQueues {
  /** Each queue with how many letters it holds; `letters` lists them where the queue can be read without consuming it (locally). */
  list(): Promise<Array<{ queue: string; count: number; letters?: DeadLetterSummary[] }>>;
  /**
   * Puts a queue's dead letters back on it (the same redrive as `npm run redrive`). Idempotent: a
   * second call moves nothing more or reports the move still running; the handlers' dedupe keys
   * make a replayed message that was in fact processed harmless.
   */
  replay(queue: string): Promise<{ status: 'moved' | 'started' | 'already-running'; moved?: number }>;
}

/**
 * Everything a handler needs, wired once per cold start (AWS) or once per process (local).
 * `StoreParts` narrows the store to the ports a service or function uses (form-intake's runtime
 * holds only `IntakeStore & RuntimeStore`, ./ports.ts); by default it is the whole `Store`.
 */
export interface Runtime<StoreParts = Store> {
  config: DeskConfig;
  /** Every record the services keep, behind business-named ports (./ports.ts). */
  store: StoreParts;
  queue: NotificationQueue;
  mailer: Mailer;
  /**
   * The senders of the text channels (./channels/), for customers who left no mail address; a
   * channel without a sender here (no origination identity configured) is skipped and recorded so.
   */
  senders?: { [Channel in TextChannelName]?: TextSender };
  clock: Clock;
  /** The sign-in accounts behind the agent directory (Cognito on AWS); absent locally. */
  identities?: AgentIdentities;
  mailBlobs: BlobStore;
  reportBlobs: BlobStore;
  linkKeys: () => Promise<LinkKeys>;
  /** The dead-letter queues, where this deployment lets the agent API replay them (admins only). */
  deadLetters?: DeadLetterQueues;
  /** Where the raw mail of the local SMTP listener or SES lives, for messages' rawKey. */
  mailBucketName: string;
}
