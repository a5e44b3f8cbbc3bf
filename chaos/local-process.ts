import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import nodemailer from 'nodemailer';
import { freePort } from '../local/dynamodb-local.js';
import { claimedNotificationId } from '../shared/mail/message-ids.js';

/**
 * The real local runtime (`npm start`'s local/start.ts) as its own process group, so a test can
 * kill -9 all of it (Node and its DynamoDB Local) or only its DynamoDB Local, and start it again
 * on the same data folder.
 */
export interface LocalProcess {
  url: string;
  smtpPort: number;
  child: ChildProcess;
  output(): string;
  /** kill -9 of the whole process group. */
  killGroup(): Promise<void>;
  /** kill -9 of DynamoDB Local alone (the runtime's Java child). */
  killDatabase(): number;
  /** SIGSTOP of DynamoDB Local (alive but silent: every call hangs), or SIGCONT with `resume`. */
  pauseDatabase(resume?: boolean): number;
  /** SIGTERM and wait (clean stop at the end of a test). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startLocalProcess(input: { dataDir: string; port?: number; smtpPort?: number; timeoutMs?: number }): Promise<LocalProcess> {
  const port = input.port ?? (await freePort());
  const smtpPort = input.smtpPort ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Handler logs at error level only: they are what a failed run's report shows (the last 20 KB of output).
    env: { ...process.env, PORT: String(port), SMTP_PORT: String(smtpPort), DATA_DIR: input.dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (input.timeoutMs ?? 300_000);
  for (;;) {
    if (gone) throw new Error(`the local runtime exited during start-up:\n${output}`);
    const health = await fetch(`${url}/dev/health`).catch(() => undefined);
    if (health?.status === 200) break;
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the local runtime did not start within ${(input.timeoutMs ?? 300_000) / 1000} s:\n${output}`);
    }
    await sleep(250);
  }
  return {
    url,
    smtpPort,
    child,
    output: () => output,
    async killGroup() {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      // The Java child may take a moment longer to go; its port must be free for the restart.
      for (let i = 0; i < 100 && processGroupAlive(child.pid!); i += 1) await sleep(100);
    },
    killDatabase() {
      const javaPid = databasePid(child.pid!);
      process.kill(javaPid, 'SIGKILL');
      return javaPid;
    },
    pauseDatabase(resume = false) {
      const javaPid = databasePid(child.pid!);
      process.kill(javaPid, resume ? 'SIGCONT' : 'SIGSTOP');
      return javaPid;
    },
    async stop() {
      if (gone) return;
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => processGroupAlive(child.pid!) && process.kill(-child.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function databasePid(runtimePid: number): number {
  return Number(execFileSync('pgrep', ['-P', String(runtimePid), 'java']).toString().trim().split('\n')[0]);
}

function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface BurstRequest {
  kind: 'form' | 'mail';
  marker: string;
  email: string;
  /** Every answer in order: HTTP status or SMTP code; 0 when the connection failed or was cut. */
  answers: number[];
  /** The last answer's text (HTTP body or SMTP reply), for the report of a failed run. */
  lastReply?: string;
}

/**
 * A burst from as many customers: each request has its own address, mail domain and client address
 * (127.x.y.z), as a real burst would, so the desk's per-client and per-domain limits (which have
 * tests of their own) do not refuse it.
 */
export function burstRequests(forms: number, mails: number, run = randomUUID().slice(0, 8)): BurstRequest[] {
  const request = (kind: 'form' | 'mail', i: number) => ({ kind, marker: `KILL-${run}-${kind}-${String(i).padStart(3, '0')}`, email: `kill-${kind}-${i}@${kind}${i}-${run}.customers.example`, answers: [] });
  return [...Array.from({ length: forms }, (_, i) => request('form', i)), ...Array.from({ length: mails }, (_, i) => request('mail', i))];
}

/** A loopback source address of the request's own (Linux routes all of 127.0.0.0/8 to lo). */
export function clientAddress(marker: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < marker.length; i += 1) value = Math.imul(value ^ marker.charCodeAt(i), 0x01000193) >>> 0;
  return `127.${10 + (value % 200)}.${1 + ((value >>> 8) % 250)}.${1 + ((value >>> 16) % 250)}`;
}

/** Posts the request's form (JSON, with its Idempotency-Key) from its own client address; status 0 when cut. */
export async function postForm(url: string, request: Pick<BurstRequest, 'marker' | 'email'>, body?: string): Promise<{ status: number; retryAfter: string | null; body: string }> {
  const payload = body ?? JSON.stringify({ subject: `${request.marker} order failed`, description: `${request.marker} my payment failed twice, please help`, email: request.email, name: 'Kill Test' });
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      `${url}/tickets`,
      { method: 'POST', localAddress: clientAddress(request.marker), headers: { 'content-type': 'application/json', 'idempotency-key': request.marker, 'content-length': Buffer.byteLength(payload) }, timeout: 60_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: (response.headers['retry-after'] as string | undefined) ?? null, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', () => resolve({ status: 0, retryAfter: null, body: '' }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', () => resolve({ status: 0, retryAfter: null, body: '' }));
    outgoing.end(payload);
  });
}

/** Sends one request once: a form post with its Idempotency-Key, or a mail with its Message-ID. Returns the answer code. */
export async function sendOnce(target: { url: string; smtpPort: number }, request: BurstRequest): Promise<number> {
  let code = 0;
  if (request.kind === 'form') {
    const response = await postForm(target.url, request);
    code = response.status;
    request.lastReply = response.body.slice(0, 500);
  } else {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: target.smtpPort, localAddress: clientAddress(request.marker), secure: false, ignoreTLS: true, connectionTimeout: 20_000, socketTimeout: 60_000 });
    try {
      const info = await transport.sendMail({
        from: `Kill Test <${request.email}>`,
        to: 'support@support.example.com',
        subject: `${request.marker} cannot log in`,
        text: `${request.marker} I cannot log in since this morning.`,
        messageId: `<${request.marker.toLowerCase()}@customers.example>`,
      });
      code = Number(info.response.slice(0, 3)) || 0;
      request.lastReply = info.response;
    } catch (error) {
      code = Number((error as { responseCode?: number }).responseCode ?? 0);
      request.lastReply = (error as Error).message;
    } finally {
      transport.close();
    }
  }
  request.answers.push(code);
  return code;
}

export const accepted = (request: BurstRequest) => request.answers.includes(201) || request.answers.includes(250);

export interface DeskFigures {
  requests: number;
  accepted: number;
  tickets: number;
  acknowledgements: number;
  lost: number;
  duplicateTickets: number;
  acknowledgementsMissing: number;
  duplicatesByKind: Record<string, number>;
  deadLetters: number;
}

/** Reads tickets, outbox and dead letters of a running desk and checks them against the requests. */
export async function deskFigures(url: string, requests: BurstRequest[]): Promise<DeskFigures> {
  const tickets = (await (await fetch(`${url}/dev/tickets`)).json()) as Array<{ ticketNo: string; subject: string; summary: string }>;
  const outbox = (await (await fetch(`${url}/dev/outbox`)).json()) as Array<{ headers: Record<string, string> }>;
  const deadLetters = (await (await fetch(`${url}/dev/dead-letters`)).json()) as unknown[];
  const ticketsByMarker = new Map<string, string[]>();
  for (const ticket of tickets) {
    const marker = /KILL-[a-z0-9]+-(form|mail)-\d{3}/.exec(`${ticket.subject} ${ticket.summary}`)?.[0];
    if (marker) ticketsByMarker.set(marker, [...(ticketsByMarker.get(marker) ?? []), ticket.ticketNo]);
  }
  const sends = new Map<string, number>();
  for (const mail of outbox) {
    const messageId = Object.entries(mail.headers).find(([name]) => name.toLowerCase() === 'message-id')?.[1] ?? '';
    sends.set(messageId, (sends.get(messageId) ?? 0) + 1);
  }
  const duplicatesByKind: Record<string, number> = {};
  for (const [messageId, count] of sends) {
    if (count < 2) continue;
    const kind = /^<[^.]+\.([a-z-]+)\./i.exec(messageId)?.[1] ?? 'other';
    duplicatesByKind[kind] = (duplicatesByKind[kind] ?? 0) + count - 1;
  }
  const acknowledged = new Set([...sends.keys()].flatMap((messageId) => /^([^.]+)\.ack\.1$/.exec(claimedNotificationId(messageId) ?? '')?.[1] ?? []));
  const acceptedRequests = requests.filter(accepted);
  const ticketNos = acceptedRequests.flatMap((request) => ticketsByMarker.get(request.marker) ?? []);
  return {
    requests: requests.length,
    accepted: acceptedRequests.length,
    tickets: ticketNos.length,
    acknowledgements: ticketNos.filter((ticketNo) => acknowledged.has(ticketNo)).length,
    lost: acceptedRequests.filter((request) => !ticketsByMarker.has(request.marker)).length,
    duplicateTickets: acceptedRequests.filter((request) => (ticketsByMarker.get(request.marker)?.length ?? 0) > 1).length,
    acknowledgementsMissing: ticketNos.filter((ticketNo) => !acknowledged.has(ticketNo)).length,
    duplicatesByKind,
    deadLetters: deadLetters.length,
  };
}

/** Sends every request, retrying refused or cut ones (HTTP 503, SMTP 451/421, no answer) a second later, until accepted or the deadline. */
export async function sendAll(target: () => { url: string; smtpPort: number }, requests: BurstRequest[], deadline: number): Promise<void> {
  await Promise.all(
    requests.map(async (request) => {
      while (!accepted(request) && Date.now() < deadline) {
        const code = await sendOnce(target(), request);
        if (code === 201 || code === 250) return;
        if (code !== 0 && code !== 503 && code !== 451 && code !== 421) throw new Error(`${request.marker}: unexpected answer ${code} after ${JSON.stringify(request.answers.slice(0, -1))}: ${request.lastReply ?? ''}`);
        await sleep(1_000);
      }
    }),
  );
}

/**
 * Waits until every accepted request has its ticket and acknowledgement and both queues are empty
 * (so a late second send would already be in the outbox), or the deadline; then reads the figures.
 */
export async function settledFigures(url: string, requests: BurstRequest[], deadline: number): Promise<DeskFigures> {
  for (;;) {
    const figures = await deskFigures(url, requests);
    const health = (await (await fetch(`${url}/dev/health`)).json().catch(() => ({}))) as { queues?: { inbound: number; notifications: number } };
    const drained = health.queues?.inbound === 0 && health.queues.notifications === 0;
    if ((figures.lost === 0 && figures.acknowledgementsMissing === 0 && drained) || Date.now() > deadline) return figures;
    await sleep(1_000);
  }
}
