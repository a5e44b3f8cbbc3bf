import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { SQSEvent, SQSBatchResponse, ScheduledEvent } from 'aws-lambda';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { localAuthenticationResults } from '../shared/mail/authentication.js';
import { readTopHeaders } from '../shared/mail/raw-repair.js';
import { addressInHeader, safeAddress } from '../shared/services/inbound-fields.js';
import { parseConfig, type DeskConfig } from '../shared/config/load.js';
import { INBOUND_PREFIX } from '../shared/config/mail-bucket.js';
import type { LinkKeys, Runtime } from '../shared/services/context.js';
import type { Notification } from '../shared/services/ports.js';
import { refreshDeskSettings } from '../shared/services/desk-settings.js';
import { DirectoryService, refreshDirectory } from '../shared/services/directory.js';
import { createFormIntakeHandler } from '../functions/form-intake/handler.js';
import { createNotifierHandler } from '../functions/notifier/handler.js';
import { createLocalSignInHandler } from '../shared/http/local-sign-in.js';
import { contentSecurityPolicyFor } from '../shared/http/content-security.js';
import { DevClock } from './clock.js';
import { devHomePage, outboxJson, outboxPage, redirect, ticketSummary } from './dev-pages.js';
import { FUNCTION_SIZING, visibilityTimeoutSeconds, type FunctionName } from '../infra/functions.js';
import { addCommitBarrier, startDynamoDbLocal, type RunningDynamoDbLocal } from './dynamodb-local.js';
import { allowedHosts, csrfToken, isLoopback, refusal, restrictDataFolder, validCsrfToken } from './guard.js';
import { RuntimeJournal } from './journal.js';
import { journalDeadLetters } from './dead-letters.js';
import { fileHeaders, LocalFileLinks, readUploadPost, uploadRefusalRedirect } from './file-links.js';
import { localContext, readBody, RequestTooLargeError, toHttpApiEvent, writeResult, type HttpLambda } from './http-adapter.js';
import { OutboxMailer, OutboxTexts } from './outbox.js';
import { LocalQueue, type DeadLetter, type DeliveryFailure } from './queue.js';

export interface LocalOptions {
  port?: number;
  smtpPort?: number;
  dataDir?: string;
  /** Use a running DynamoDB Local instead of starting one (tests); then nobody supervises it. */
  dynamoEndpoint?: string;
  tableName?: string;
  config?: unknown;
  /** Run the SLA sweep every minute (off in tests, which move the clock instead). */
  sweepEveryMs?: number;
  quiet?: boolean;
}

export interface LocalDesk {
  url: string;
  smtpPort: number;
  runtime: Runtime;
  clock: DevClock;
  outbox: OutboxMailer;
  readonly deadLetters: DeadLetter[];
  /** The latest failed deliveries of each queue (retried or dead-lettered), for diagnostics. */
  readonly deliveryFailures: Array<DeliveryFailure & { queue: string }>;
  localJwtSecret: string;
  /** The runtime's journal (queues, dead letters, clock offset) in DATA_DIR. */
  journal: RuntimeJournal;
  /** The supervised DynamoDB Local, when this runtime started it. */
  dynamo?: RunningDynamoDbLocal;
  /**
   * Waits until no request is being handled and every queued notification and mail has been
   * handled; `timeoutMs` bounds the wait (default 25 minutes), and giving up names what is pending.
   */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function loadOrCreate(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = create();
  writeFileSync(path, value, { mode: 0o600 });
  return value;
}

const RETRY_AFTER_SECONDS = 5;
/** Locally the directory is re-read every few seconds (one process; a change made through the API applies at once anyway). */
const LOCAL_DIRECTORY_TTL_MS = 5_000;
const OUTAGE_TAIL_MS = 60_000;
/** Handler runs at once in the local runtime's one process (two cores shared with DynamoDB Local). */
const MAX_IN_FLIGHT = 24;

/** The function's deployed timeout, which the local runtime enforces too. */
function timeoutMs(name: FunctionName): number {
  return FUNCTION_SIZING[name].timeoutSeconds * 1000;
}

/** Writes a new file and fsyncs it and its folder: after this returns, a kill or power cut keeps it. */
function writeDurably(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  const folder = openSync(dirname(file), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/** Dead letters of runtimes before the journal lived in dead-letters.json: moved into the journal once. */
function importLegacyDeadLetters(journal: RuntimeJournal, file: string): void {
  if (!existsSync(file)) return;
  for (const letter of JSON.parse(readFileSync(file, 'utf8')) as DeadLetter[]) journal.deadLetter(letter);
  renameSync(file, `${file}.imported`);
}

/** Loads an optional handler factory: functions land one by one, and the desk runs with what exists. */
async function optionalFactory<T>(path: string, name: string): Promise<T | undefined> {
  try {
    const module = (await import(path)) as Record<string, unknown>;
    return typeof module[name] === 'function' ? (module[name] as T) : undefined;
  } catch (error) {
    console.error(`could not load ${path}: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Starts the whole desk on this machine: DynamoDB Local, the HTTP routes of the API, the SMTP
 * listener, in-process queues with SQS semantics, the outbox and the minute sweep.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalDesk> {
  const dataDir = resolve(options.dataDir ?? '.data');
  // Raw customer mail, the outbox and the signing secrets: this user's only (docs/security.md).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictDataFolder(dataDir);
  const configFile = resolve('ticketline.config.json');
  const rawConfig = options.config ?? (existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {});
  const port = options.port ?? 3000;
  const smtpPort = options.smtpPort ?? 2525;
  const config: DeskConfig = parseConfig({
    ...(rawConfig as object),
    desk: { ...((rawConfig as { desk?: object }).desk ?? {}), publicBaseUrl: `http://127.0.0.1:${port}` },
  });

  const log = (line: string) => {
    if (!options.quiet) console.error(line);
  };
  const wakeQueues: Array<() => void> = [];
  let dynamo: RunningDynamoDbLocal | undefined;
  const endpoint =
    options.dynamoEndpoint ??
    (dynamo = await startDynamoDbLocal({
      dataDir: join(dataDir, 'dynamodb'),
      supervise: true,
      log,
      onUp: () => wakeQueues.forEach((wake) => wake()),
    })).endpoint;
  const databaseUp = () => dynamo?.up ?? true;
  const dynamoClient = createDynamoDbClient({ endpoint });
  const barrierClient = createDynamoDbClient({ endpoint, maxAttempts: 5 });
  const tableName = options.tableName ?? 'ticketline';
  addCommitBarrier(dynamoClient, barrierClient, tableName);
  await ensureTable(dynamoClient, tableName);

  const fileLinks = new LocalFileLinks(loadOrCreate(join(dataDir, 'file-link-key'), () => randomBytes(32).toString('hex')), () => new Date());
  const linkKeys: LinkKeys = { current: { kid: 'local', key: loadOrCreate(join(dataDir, 'link-key'), () => randomBytes(32).toString('hex')) } };
  const localJwtSecret = process.env.LOCAL_JWT_SECRET ?? loadOrCreate(join(dataDir, 'jwt-secret'), () => randomBytes(32).toString('hex'));
  process.env.TICKETLINE_LOCAL_JWT_SECRET = localJwtSecret;
  const journal = new RuntimeJournal(join(dataDir, 'runtime.sqlite'));
  importLegacyDeadLetters(journal, join(dataDir, 'dead-letters.json'));
  const clock = new DevClock({
    load: () => Number(journal.getSetting('clockOffsetMs') ?? 0),
    save: (offsetMs) => journal.setSetting('clockOffsetMs', String(offsetMs)),
  });
  const outbox = new OutboxMailer(join(dataDir, 'outbox'), () => clock.now());
  const outboxTexts = new OutboxTexts(join(dataDir, 'outbox'), () => clock.now());
  const onDeadLetter = (letter: DeadLetter) => log(`dead letter on ${letter.queue}: ${letter.reason}`);

  // The queue's consumer needs the runtime and the runtime needs the queue: one of them is filled in later.
  const queues: { notifications?: LocalQueue } = {};
  const runtime: Runtime = {
    config,
    store: new DynamoStore(createDocumentClient(dynamoClient), { tableName, timeZone: config.calendar.timeZone }),
    queue: { enqueue: async (notifications: Notification[]) => queues.notifications?.send(notifications.map((n) => JSON.stringify(n))) },
    mailer: outbox,
    senders: outboxTexts.senders(),
    clock,
    mailBlobs: fileLinks.withLinks(new FileBlobStore(join(dataDir, 'mail'))),
    reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
    mailBucketName: 'local-mail',
    linkKeys: async () => linkKeys,
    deadLetters: journalDeadLetters(journal, () => wakeQueues.forEach((wake) => wake())),
  };
  // The agent directory lives in the table, as on AWS: the configured agents (the demo agents by
  // default) seed it once, and from then on the directory (changed in the console's Agents page)
  // drives routing and the local sign-in. A configured agent the table lacks is added; one it has
  // keeps the table's version.
  const seeded = await new DirectoryService(runtime).seed(config.agents, 'local-config');
  if (seeded.length > 0) log(`agent directory: added ${seeded.join(', ')} from the configuration`);
  const getRuntime = async () => {
    await Promise.all([refreshDirectory(runtime, { ttlMs: LOCAL_DIRECTORY_TTL_MS }), refreshDeskSettings(runtime, { ttlMs: LOCAL_DIRECTORY_TTL_MS })]);
    return runtime;
  };
  await getRuntime();

  const notifier = createNotifierHandler(getRuntime);
  const queueOptions = (consumer: FunctionName) => ({
    journal,
    available: databaseUp,
    visibilityTimeoutMs: visibilityTimeoutSeconds(consumer) * 1000,
    onDeadLetter,
  });
  const notificationQueue = new LocalQueue({ name: 'notifications', consumer: (event) => notifier(event, localContext('notifier', timeoutMs('notifier'))), ...queueOptions('notifier') });
  queues.notifications = notificationQueue;

  type SqsFactory = (get: () => Promise<Runtime>) => (event: SQSEvent, context: ReturnType<typeof localContext>) => Promise<SQSBatchResponse | void>;
  type HttpFactory = (get: () => Promise<Runtime>, options?: { localAuth?: { secret: string } }) => HttpLambda;
  type ScheduledFactory = (get: () => Promise<Runtime>) => (event: ScheduledEvent, context: ReturnType<typeof localContext>) => Promise<unknown>;

  const inboundFactory = await optionalFactory<SqsFactory>('../functions/inbound-email/handler.js', 'createInboundEmailHandler');
  const inbound = inboundFactory?.(getRuntime);
  const inboundQueue = new LocalQueue({
    name: 'inbound',
    batchSize: 5,
    consumer: async (event) => (inbound ? inbound(event, localContext('inbound-email', timeoutMs('inbound-email'))) : undefined),
    ...queueOptions('inbound-email'),
  });
  wakeQueues.push(() => notificationQueue.wake(), () => inboundQueue.wake());
  const sweeperFactory = await optionalFactory<ScheduledFactory>('../functions/sla-sweeper/handler.js', 'createSlaSweeperHandler');
  const sweeper = sweeperFactory?.(getRuntime);
  const agentApiFactory = await optionalFactory<HttpFactory>('../functions/agent-api/handler.js', 'createAgentApiHandler');
  const surveyFactory = await optionalFactory<HttpFactory>('../functions/survey/handler.js', 'createSurveyHandler');
  const routes: Array<{ pattern: RegExp; methods: string[]; handler: HttpLambda | undefined; name: FunctionName | 'local-sign-in' }> = [
    { pattern: /^\/$/, methods: ['GET'], handler: createFormIntakeHandler(getRuntime) as HttpLambda, name: 'form-intake' },
    { pattern: /^\/tickets$/, methods: ['POST'], handler: createFormIntakeHandler(getRuntime) as HttpLambda, name: 'form-intake' },
    { pattern: /^\/(survey|status)\/[^/]+$/, methods: ['GET', 'POST'], handler: surveyFactory?.(getRuntime), name: 'survey' },
    { pattern: /^\/api\/v1\/local\/(agents|sign-in)$/, methods: ['GET', 'POST'], handler: createLocalSignInHandler(getRuntime, { secret: localJwtSecret }) as HttpLambda, name: 'local-sign-in' },
    { pattern: /^\/api\//, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], handler: agentApiFactory?.(getRuntime, { localAuth: { secret: localJwtSecret } }), name: 'agent-api' },
  ];

  /** HTTP handler runs not finished yet (abandoned ones included), and requests refused for it. */
  let inFlight = 0;
  let shed = 0;
  const sweep = async () => {
    if (sweeper) await sweeper({ 'detail-type': 'Scheduled Event', time: clock.now().toISOString() } as ScheduledEvent, localContext('sla-sweeper'));
  };
  /**
   * Waits until the desk is quiet: no HTTP handler running (abandoned ones included: their work goes
   * on), and nothing on the inbound or notification queue, counting messages waiting out a retry
   * delay. A request's own writes (a survey score and its QA entry, a reply) are made before it
   * answers; settling also covers what it queued and what a request still in flight will write.
   * `timeoutMs` only bounds a hang (default 25 minutes: on a busy machine a message in its retry
   * back-off, up to 54 s, takes a while, and a burst of hundreds of notices on two shared cores
   * drains for minutes); giving up names what is still pending and why it was retried.
   */
  const settle = async (options: { timeoutMs?: number } = {}) => {
    const limitMs = options.timeoutMs ?? 25 * 60_000;
    const giveUpAt = Date.now() + limitMs;
    const idle = (queue: LocalQueue, withinMs: number) => queue.idle(withinMs).then(() => true, () => false);
    for (;;) {
      const left = giveUpAt - Date.now();
      if (left <= 0) throw new Error(`the desk did not settle within ${Math.round(limitMs / 100) / 10} s: ${describeUnsettled()}`);
      if (inFlight > 0) {
        await new Promise((done) => setTimeout(done, Math.min(50, left)));
        continue;
      }
      if (!(await idle(inboundQueue, left)) || !(await idle(notificationQueue, Math.max(1, giveUpAt - Date.now())))) continue;
      if (inFlight === 0 && inboundQueue.depth === 0 && notificationQueue.depth === 0) return;
    }
  };
  /** What keeps the desk from settling, in a line: requests in flight, pending messages (kind and ticket, no personal data), recent failures. */
  const describeUnsettled = (): string => {
    const now = Date.now();
    const summary = (body: string): string => {
      try {
        const parsed = JSON.parse(body) as { kind?: unknown; ticketNo?: unknown; notificationId?: unknown; Records?: Array<{ s3?: { object?: { key?: unknown } } }> };
        if (typeof parsed.kind === 'string') return `${parsed.kind}${typeof parsed.ticketNo === 'string' ? ` for ${parsed.ticketNo}` : ''}${typeof parsed.notificationId === 'string' ? ` (${parsed.notificationId})` : ''}`;
        const key = parsed.Records?.[0]?.s3?.object?.key;
        if (typeof key === 'string') return `mail ${key}`;
      } catch {
        // Not JSON: described by its length only.
      }
      return `a ${body.length}-character message`;
    };
    const queues = [inboundQueue, notificationQueue].map((queue) => {
      const pending = queue.pending();
      const lines = pending.map(
        (message) =>
          `${summary(message.body)}: received ${message.receiveCount} time(s)${message.lastError ? `, last error "${message.lastError}"` : ''}${message.visibleAt > now ? `, visible again in ${Math.round((message.visibleAt - now) / 100) / 10} s` : ''}`,
      );
      const failures = queue.failures.slice(-5).map((failure) => `${failure.at} ${summary(failure.body)} (receive ${failure.receiveCount}): ${failure.reason}`);
      return `${queue.name}: ${pending.length} pending${lines.length > 0 ? ` [${lines.join('; ')}]` : ''}${failures.length > 0 ? `, latest failures [${failures.join('; ')}]` : ''}`;
    });
    return `${inFlight} request(s) in flight; ${queues.join('; ')}`;
  };

  /**
   * Whether a request that failed (5xx or thrown) since `startedAt` failed because of a database
   * outage: it is down or restarting, it went down within the last minute (the SDK's pooled
   * connections to the dead process fail for a while too), or it does not answer now (killed a
   * moment ago: its connections reset before the supervisor hears of the exit). Such a failure is
   * the outage's, and the client is told to retry (503), never given a 500.
   */
  const databaseOutage = async (startedAt: number): Promise<boolean> =>
    !databaseUp() || (dynamo !== undefined && (dynamo.lastDownAt >= startedAt - OUTAGE_TAIL_MS || !(await dynamo.answers())));

  const hosts = allowedHosts(port);
  const clockCsrf = csrfToken(localJwtSecret, 'dev-clock');
  const consoleDir = resolve('console/dist');
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const method = request.method ?? 'GET';
      const send = (status: number, body: string, type = 'application/json; charset=utf-8') => {
        response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        response.end(body);
      };
      const unavailable = () => {
        response.writeHead(503, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': String(RETRY_AFTER_SECONDS) });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'The desk cannot take this request right now; nothing was lost. Try again shortly with the same Idempotency-Key.' }));
      };
      // DNS rebinding and cross-site writes (local/guard.ts): before anything else is read.
      const refused = refusal({ method, headers: request.headers }, hosts);
      if (refused) {
        request.resume();
        return send(refused.status, JSON.stringify({ type: 'about:blank', ...refused }), 'application/problem+json');
      }
      const badRequest = (detail: string, code = 'invalid-request') => send(400, JSON.stringify({ type: 'about:blank', title: 'Invalid request', status: 400, code, detail }), 'application/problem+json');
      try {
        if (path.startsWith('/files/') && method === 'GET') {
          // Short-lived signed download links (the local stand-in for S3 presigned URLs): local/file-links.ts.
          const link = fileLinks.verify(path.slice('/files/'.length));
          const body = link ? await runtime.mailBlobs.get(link.key) : undefined;
          if (!link || !body) return send(404, JSON.stringify({ title: 'Not found', status: 404, detail: 'This link is not valid or has expired.' }));
          response.writeHead(200, fileHeaders(link, body.length));
          response.end(body);
          return;
        }
        if (path.startsWith('/uploads/') && method === 'POST') {
          // Signed upload forms (the local stand-in for S3 presigned POSTs): local/file-links.ts.
          const form = fileLinks.verifyUpload(path.slice('/uploads/'.length));
          if (!form) {
            request.resume();
            return send(403, JSON.stringify({ title: 'Forbidden', status: 403, code: 'AccessDenied', detail: 'This upload form is not valid or has expired.' }));
          }
          const refuse = (status: number, code: string) => {
            // A page's form (the status page) goes back to its page, which says why in the customer's words.
            if (!form.redirect) return send(status, JSON.stringify({ title: 'Upload refused', status, code }));
            response.writeHead(303, { location: uploadRefusalRedirect(form.redirect, code), 'cache-control': 'no-store' });
            response.end();
          };
          // The form's fields and multipart framing on top of the file: a few KB are plenty.
          const limit = form.maxBytes + 16 * 1024;
          if (Number(request.headers['content-length'] ?? 0) > limit) {
            // Read it all before answering: a browser still sending when the answer comes shows a reset connection, not the page.
            request.resume();
            await new Promise((done) => request.on('end', done).on('error', done));
            return refuse(400, 'EntityTooLarge');
          }
          let raw: Buffer;
          try {
            raw = await readBody(request, limit);
          } catch (error) {
            if (!(error instanceof RequestTooLargeError)) throw error;
            return refuse(400, 'EntityTooLarge');
          }
          const posted = await readUploadPost(raw, String(request.headers['content-type'] ?? ''), form);
          if (!posted.ok) return refuse(posted.status, posted.code);
          await runtime.mailBlobs.put(posted.key, posted.bytes, form.contentType || 'application/octet-stream');
          if (form.redirect) {
            response.writeHead(303, { location: form.redirect, 'cache-control': 'no-store' });
            response.end();
            return;
          }
          response.writeHead(204, { 'cache-control': 'no-store' });
          response.end();
          return;
        }
        if (path === '/dev/health' && method === 'GET') {
          const health = {
            database: databaseUp() ? 'up' : 'down',
            databaseRestarts: dynamo?.restarts ?? 0,
            queues: { inbound: inboundQueue.depth, notifications: notificationQueue.depth },
            deadLetters: journal.deadLetters().length,
            outboxResendsSuppressed: outbox.resendsSuppressed,
            requestsInFlight: inFlight,
            requestsShed: shed,
          };
          return send(databaseUp() ? 200 : 503, JSON.stringify(health));
        }
        if (!databaseUp() && !path.startsWith('/console')) return unavailable();
        if (path === '/dev' || path.startsWith('/dev/')) {
          const tickets = () => runtime.store.scanTickets(5000);
          if (path === '/dev' && method === 'GET') {
            return send(200, devHomePage({ now: clock.now().toISOString(), offsetMinutes: clock.offsetMinutes, tickets: (await tickets()).length, outbox: (await outbox.list()).length, deadLetters: journal.deadLetters(), smtpPort, csrf: clockCsrf }), 'text/html; charset=utf-8');
          }
          if (path === '/dev/outbox' && method === 'GET') return send(200, JSON.stringify(outboxJson(await outbox.list())));
          if (path === '/dev/outbox/view' && method === 'GET') return send(200, outboxPage(await outbox.list(), await outboxTexts.listAll()), 'text/html; charset=utf-8');
          const textChannel = path.slice('/dev/outbox/'.length);
          if (path.startsWith('/dev/outbox/') && outboxTexts.isChannel(textChannel) && method === 'GET') return send(200, JSON.stringify(await outboxTexts.list(textChannel)));
          if (path === '/dev/tickets' && method === 'GET') return send(200, JSON.stringify((await tickets()).map(ticketSummary)));
          if (path === '/dev/dead-letters' && method === 'GET') return send(200, JSON.stringify(journal.deadLetters()));
          if (path === '/dev/clock' && method === 'POST') {
            const raw = (await readBody(request, 4096)).toString('utf8');
            const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
            const isForm = contentType === 'application/x-www-form-urlencoded';
            if (!isForm && contentType !== 'application/json') return send(415, JSON.stringify({ type: 'about:blank', title: 'Unsupported media type', status: 415, code: 'unsupported-media-type', detail: 'Send application/json, or the form of /dev.' }), 'application/problem+json');
            let fields: { advanceMinutes?: unknown; csrf?: unknown };
            try {
              fields = isForm ? Object.fromEntries(new URLSearchParams(raw)) : (JSON.parse(raw || '{}') as typeof fields);
            } catch {
              return badRequest('The body is not valid JSON.', 'malformed-json');
            }
            // The form needs the token the /dev page put in it: a page elsewhere cannot read it.
            if (isForm && !validCsrfToken(localJwtSecret, 'dev-clock', typeof fields.csrf === 'string' ? fields.csrf : undefined)) {
              return send(403, JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'csrf', detail: 'The form is missing its CSRF token: reload /dev and try again.' }), 'application/problem+json');
            }
            const minutes = Number(fields?.advanceMinutes);
            if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 525_600) {
              return send(400, JSON.stringify({ title: 'Invalid advanceMinutes', detail: 'advanceMinutes must be a positive number of minutes (at most a year)' }), 'application/problem+json');
            }
            const now = clock.advanceMinutes(minutes);
            await sweep();
            await settle();
            await sweep();
            await settle();
            if (isForm) return writeResult(response, redirect('/dev'));
            return send(200, JSON.stringify({ now: now.toISOString(), offsetMinutes: clock.offsetMinutes }));
          }
          return send(404, JSON.stringify({ title: 'Not found' }), 'application/problem+json');
        }
        // The same Content-Security-Policy as the front door's response headers policies.
        if (path === '/console' || path.startsWith('/console/') || routes.some((candidate) => candidate.pattern.test(path))) {
          response.setHeader('content-security-policy', contentSecurityPolicyFor(path));
        }
        if (path === '/console' || path.startsWith('/console/')) {
          const relative = path.replace(/^\/console\/?/, '') || 'index.html';
          let file = resolve(consoleDir, relative);
          if (!file.startsWith(consoleDir + sep) || !existsSync(file)) file = join(consoleDir, 'index.html');
          if (!existsSync(file)) return send(404, 'The console is not built yet: run `npm run build:console`.', 'text/plain; charset=utf-8');
          response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
          return response.end(await readFile(file));
        }
        const route = routes.find((candidate) => candidate.pattern.test(path));
        if (!route) return send(404, JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404 }), 'application/problem+json');
        if (!route.methods.includes(method)) return send(405, JSON.stringify({ type: 'about:blank', title: 'Method not allowed', status: 405 }), 'application/problem+json');
        if (!route.handler) return send(501, JSON.stringify({ type: 'about:blank', title: `${route.name} is not available in this build`, status: 501 }), 'application/problem+json');
        // Token minting: only this machine, and only as JSON (a cross-site form cannot send it without a preflight).
        if (route.name === 'local-sign-in' && method === 'POST') {
          const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
          if (!isLoopback(request.socket.remoteAddress)) return send(403, JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'not-local', detail: 'Local sign-in is for this machine only.' }), 'application/problem+json');
          if (contentType !== 'application/json') return send(415, JSON.stringify({ type: 'about:blank', title: 'Unsupported media type', status: 415, code: 'unsupported-media-type', detail: 'Send application/json.' }), 'application/problem+json');
        }
        const body = await readBody(request);
        const event = toHttpApiEvent(request, body, `${method} ${path}`);
        // Lambda would scale out; one process cannot. Past MAX_IN_FLIGHT handler runs (abandoned ones
        // included: their work goes on) new requests are refused at once with 503 rather than joining
        // a queue that makes every request miss its deadline.
        if (inFlight >= MAX_IN_FLIGHT) {
          shed += 1;
          return unavailable();
        }
        const startedAt = Date.now();
        const limitMs = timeoutMs(route.name === 'local-sign-in' ? 'agent-api' : route.name);
        // As on Lambda behind API Gateway: past the function's timeout the caller gets 503 and may retry
        // with the same Idempotency-Key; the work either completes (and the retry returns its result) or not.
        let timer: NodeJS.Timeout | undefined;
        inFlight += 1;
        const running = route.handler(event, localContext(route.name, limitMs)).finally(() => (inFlight -= 1));
        const outcome = await Promise.race([
          running.then((result) => ({ result })),
          new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), limitMs))),
        ]).finally(() => clearTimeout(timer));
        if (outcome === 'timeout') {
          log(`${route.name} did not answer within ${limitMs / 1000} s (its deployed timeout): 503`);
          return unavailable();
        }
        const failed = typeof outcome.result === 'object' && (outcome.result.statusCode ?? 200) >= 500;
        if (failed && (await databaseOutage(startedAt))) {
          log(`${route.name}: ${(outcome.result as { statusCode?: number }).statusCode} during or right after a database outage: 503`);
          return unavailable();
        }
        writeResult(response, outcome.result);
      } catch (error) {
        if (error instanceof RequestTooLargeError) return send(413, JSON.stringify({ type: 'about:blank', title: 'Payload too large', status: 413 }), 'application/problem+json');
        if (await databaseOutage(Date.now())) return unavailable();
        console.error('local server error', error);
        send(500, JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }), 'application/problem+json');
      }
    })();
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });

  const maxMailBytes = 40 * 1024 * 1024;
  // The listener plays the receiving service: see `security.localListenerTrust` (docs/security.md).
  const listenerTrust = process.env.LOCAL_SMTP_TRUST === 'verify' || process.env.LOCAL_SMTP_TRUST === 'trust-all' ? process.env.LOCAL_SMTP_TRUST : config.security.localListenerTrust;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMailBytes,
    logger: false,
    banner: 'Ticketline local intake',
    onMailFrom(_address, _session, callback) {
      // While the database is down nothing is accepted that could not be kept: senders retry a 451.
      if (!databaseUp()) return callback(Object.assign(new Error('Temporary failure: the desk database is restarting, try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxMailBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        void (async () => {
          if (stream.sizeExceeded || size > maxMailBytes) return callback(Object.assign(new Error('Message exceeds the 40 MB limit'), { responseCode: 552 }));
          if (!databaseUp()) return callback(Object.assign(new Error('Temporary failure: the desk database is restarting, try again later'), { responseCode: 451 }));
          // Stored as received before anything parses it, with the listener's verdict on top (as the
          // SES receipt rule stores mail with its Authentication-Results on AWS), and fsynced: the 250
          // below promises the sender we have it.
          const key = `${INBOUND_PREFIX}${clock.now().toISOString().slice(0, 10)}/${randomUUID()}.eml`;
          const envelope = { mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
          const received = Buffer.concat(chunks);
          const from = addressInHeader(readTopHeaders(received).find((field) => field.name.toLowerCase() === 'from')?.value);
          const stamp = localAuthenticationResults(config.security.authservId, listenerTrust, from, safeAddress(envelope.mailFrom) ?? '');
          const raw = Buffer.concat([Buffer.from(`Authentication-Results: ${stamp}\r\n`, 'latin1'), received]);
          writeDurably(join(dataDir, 'mail', key), raw);
          const s3Event = {
            Records: [
              {
                eventVersion: '2.1',
                eventSource: 'aws:s3',
                awsRegion: 'local',
                eventTime: clock.now().toISOString(),
                eventName: 'ObjectCreated:Put',
                s3: { bucket: { name: runtime.mailBucketName }, object: { key, size: raw.length } },
                envelope,
              },
            ],
          };
          // The work item is committed (fsynced) to the journal before the 250.
          inboundQueue.send([JSON.stringify(s3Event)]);
          callback();
        })().catch((error: unknown) => {
          log(`smtp: could not store a mail durably: ${(error as Error).message}`);
          callback(Object.assign(new Error('Temporary failure: could not store the message, try again later'), { responseCode: 451 }));
        });
      });
    },
  });
  await new Promise<void>((resolveListen, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, '127.0.0.1', () => resolveListen());
  });

  // Whatever DynamoDB Local and the journal created meanwhile, with the process's umask.
  restrictDataFolder(dataDir);
  const sweepTimer = options.sweepEveryMs === 0 ? undefined : setInterval(() => void sweep().catch((error: unknown) => console.error('sweep failed', error)), options.sweepEveryMs ?? 60_000);

  return {
    url: `http://127.0.0.1:${port}`,
    smtpPort,
    runtime,
    clock,
    outbox,
    get deadLetters() {
      return journal.deadLetters();
    },
    get deliveryFailures() {
      return [inboundQueue, notificationQueue].flatMap((queue) => queue.failures.map((failure) => ({ queue: queue.name, ...failure })));
    },
    localJwtSecret,
    journal,
    dynamo,
    settle,
    sweep,
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      notificationQueue.stop();
      inboundQueue.stop();
      await new Promise<void>((done) => smtp.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      // Work already started finishes before its clients and journal go: a handler run still in
      // flight (abandoned ones too) and a delivery whose message is yet to be deleted. Bounded: a
      // hung one is what a kill would leave, and the journal redelivers it at the next start. Within
      // the 10 s `npm start` gives a Ctrl-C before it exits anyway (local/start.ts).
      const giveUpAt = Date.now() + 5_000;
      while (inFlight > 0 && Date.now() < giveUpAt) await new Promise((done) => setTimeout(done, 20));
      await Promise.all([notificationQueue.finished(Math.max(0, giveUpAt - Date.now())), inboundQueue.finished(Math.max(0, giveUpAt - Date.now()))]);
      dynamoClient.destroy();
      barrierClient.destroy();
      await dynamo?.stop();
      journal.close();
    },
  };
}
