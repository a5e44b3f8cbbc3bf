import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { percentile } from '../bench/capacity.js';
import { clientAddress, postForm as postFormFrom } from '../chaos/local-process.js';
import { freePort, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { claimedNotificationId } from '../shared/mail/message-ids.js';

/**
 * `npm run load [-- --forms 300 --mails 100 --client-minutes 20]`: starts the local runtime on loopback (its own
 * in-memory DynamoDB Local, a temp data folder), fires every form post and SMTP mail at once, each
 * from its own customer (address, mail domain and client address 127.x.y.z, so the desk's
 * per-client and per-domain limits, tested in test/security, see many customers rather than one),
 * waits for the queues to drain, and checks every accepted request became exactly one ticket
 * with one acknowledgement. Exits 1 on any 5xx, lost or duplicated ticket, or missing/double ack.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const count = (name: string, fallback: number, max: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`--${name} must be an integer from 0 to ${max}`);
  return value;
};
const FORMS = count('forms', 300, 2000);
const MAILS = count('mails', 100, 1000);
const CLIENT_MINUTES = count('client-minutes', 20, 120);
const run = Date.now().toString(36);
const markerOf = (kind: string, i: number) => `LOAD-${run}-${kind}-${String(i).padStart(4, '0')}`;

const { startLocal } = await import('../local/runtime.js');
const dynamo = await startDynamoDbLocal();
const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-load-'));
const desk = await startLocal({ port: await freePort(), smtpPort: await freePort(), dataDir, dynamoEndpoint: dynamo.endpoint, tableName: `load-${run}`, sweepEveryMs: 0, quiet: true });
let exitCode = 1;
try {
  const formResults: Array<{ marker: string; status: number; ms: number; ticketNo?: string; retryAfter?: number }> = [];
  const mailResults: Array<{ marker: string; ok: boolean; code: string; ms: number }> = [];

  // Clients behave as well-kept ones: a 503 (with Retry-After) or SMTP 4xx is retried with the same
  // Idempotency-Key or Message-ID, after Retry-After plus a growing random back-off (so hundreds of
  // clients do not retry in step), until they give up after --client-minutes (a client that gives up
  // fails the run). A retry is not a separate request.
  const retries = { form: 0, formNoAnswer: 0, mail: 0, mailNoAnswer: 0 };
  const clientDeadline = Date.now() + CLIENT_MINUTES * 60_000;
  const backOff = (attempt: number, retryAfterSeconds = 1) =>
    new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000 + Math.random() * Math.min(60_000, 1000 * 2 ** attempt)));
  const postForm = async (i: number): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const last = await postFormOnce(i);
      // 503, or no answer at all (cut, or none within the client's 60 s on a saturated machine): the
      // customer presses Send again on the same page, with the same Idempotency-Key.
      if ((last.status !== 503 && last.status !== 0) || Date.now() > clientDeadline) return;
      if (last.status === 0) retries.formNoAnswer += 1;
      formResults.splice(formResults.indexOf(last), 1);
      retries.form += 1;
      await backOff(attempt, last.retryAfter);
    }
  };
  const postFormOnce = async (i: number) => {
    const marker = markerOf('form', i);
    const started = performance.now();
    const email = `form-${i}@form${i}.load.example`;
    const response = await postFormFrom(desk.url, { marker, email }, JSON.stringify({ subject: marker, description: `${marker} 支付失败，订单无法完成 / payment failed`, email, name: `Load ${i}` }));
    const body = ((): { ticketNo?: string } => {
      try {
        return JSON.parse(response.body) as { ticketNo?: string };
      } catch {
        return {};
      }
    })();
    const result = { marker, status: response.status, ms: performance.now() - started, ticketNo: body.ticketNo, retryAfter: Number(response.retryAfter) || undefined };
    formResults.push(result);
    return result;
  };
  const sendMail = async (i: number): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const last = await sendMailOnce(i);
      // A 4xx, or no SMTP answer at all (refused, cut, or no greeting within nodemailer's 30 s on a
      // saturated machine), is a temporary failure: the sending MTA keeps the mail and tries again
      // later, with the same Message-ID (the desk dedupes it if the first try was in fact stored).
      if (last.ok || !/^(4\d\d|conn)$/.test(last.code) || Date.now() > clientDeadline) return;
      mailResults.splice(mailResults.indexOf(last), 1);
      retries.mail += 1;
      if (last.code === 'conn') retries.mailNoAnswer += 1;
      await backOff(attempt);
    }
  };
  const sendMailOnce = async (i: number) => {
    const marker = markerOf('mail', i);
    const started = performance.now();
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: desk.smtpPort, localAddress: clientAddress(marker), secure: false, ignoreTLS: true, pool: false });
      const info = await transport.sendMail({
        from: `Mail Customer ${i} <mail-${i}@mail${i}.load.example>`,
        to: 'support@support.example.com',
        subject: `${marker} cannot log in`,
        text: `${marker} I cannot log in to my account since this morning.`,
        messageId: `<${marker.toLowerCase()}@load.example>`,
      });
      const result = { marker, ok: info.accepted.length > 0, code: info.response.slice(0, 3), ms: performance.now() - started };
      mailResults.push(result);
      return result;
    } catch (error) {
      const result = { marker, ok: false, code: String((error as { responseCode?: number }).responseCode ?? 'conn'), ms: performance.now() - started };
      mailResults.push(result);
      return result;
    }
  };

  console.error(`load: ${FORMS} form posts and ${MAILS} SMTP mails at once against ${desk.url} and smtp://127.0.0.1:${desk.smtpPort}`);
  const burstStarted = performance.now();
  await Promise.all([...Array.from({ length: FORMS }, (_, i) => postForm(i)), ...Array.from({ length: MAILS }, (_, i) => sendMail(i))]);
  const burstSeconds = (performance.now() - burstStarted) / 1000;
  console.error(`load: burst answered in ${burstSeconds.toFixed(1)} s; waiting for the queues to drain ...`);
  const settleStarted = performance.now();
  await desk.settle();
  const settleSeconds = (performance.now() - settleStarted) / 1000;

  const tickets = (await (await fetch(`${desk.url}/dev/tickets`)).json()) as Array<{ ticketNo: string; subject: string; summary: string }>;
  const outbox = (await (await fetch(`${desk.url}/dev/outbox`)).json()) as Array<{ subject: string; headers: Record<string, string> }>;
  const ticketsByMarker = new Map<string, string[]>();
  for (const ticket of tickets) {
    const marker = /LOAD-[a-z0-9]+-(form|mail)-\d{4}/.exec(`${ticket.subject} ${ticket.summary}`)?.[0];
    if (marker) ticketsByMarker.set(marker, [...(ticketsByMarker.get(marker) ?? []), ticket.ticketNo]);
  }
  const acks = new Map<string, number>();
  for (const mail of outbox) {
    const messageId = Object.entries(mail.headers ?? {}).find(([name]) => name.toLowerCase() === 'message-id')?.[1] ?? '';
    const ack = /^(CS\d+)\.ack\.1$/.exec(claimedNotificationId(String(messageId)) ?? '')?.[1];
    if (ack) acks.set(ack, (acks.get(ack) ?? 0) + 1);
  }
  const accepted = [...formResults.filter((r) => r.status === 201).map((r) => r.marker), ...mailResults.filter((r) => r.ok).map((r) => r.marker)];
  const lost = accepted.filter((marker) => !ticketsByMarker.has(marker));
  const duplicated = accepted.filter((marker) => (ticketsByMarker.get(marker)?.length ?? 0) > 1);
  const ticketNos = accepted.flatMap((marker) => ticketsByMarker.get(marker) ?? []);
  const missingAcks = ticketNos.filter((ticketNo) => !acks.has(ticketNo));
  const doubleAcks = ticketNos.filter((ticketNo) => (acks.get(ticketNo) ?? 0) > 1);
  const byStatus: Record<string, number> = {};
  for (const r of formResults) byStatus[`http ${r.status}`] = (byStatus[`http ${r.status}`] ?? 0) + 1;
  for (const r of mailResults) byStatus[`smtp ${r.code}`] = (byStatus[`smtp ${r.code}`] ?? 0) + 1;
  const serverErrors = formResults.filter((r) => r.status >= 500 || r.status === 0).length + mailResults.filter((r) => !r.ok).length;
  const latency = (values: number[]) => ({ p50: Math.round(percentile(values, 50)), p90: Math.round(percentile(values, 90)), p99: Math.round(percentile(values, 99)), max: Math.round(Math.max(...values)) });

  const report = {
    at: new Date().toISOString(),
    requests: { forms: FORMS, mails: MAILS },
    burstSeconds: Math.round(burstSeconds * 10) / 10,
    settleSeconds: Math.round(settleSeconds * 10) / 10,
    throughputPerSecond: Math.round((accepted.length / burstSeconds) * 10) / 10,
    latencyMs: { form: latency(formResults.map((r) => r.ms)), smtp: latency(mailResults.map((r) => r.ms)) },
    byStatus,
    accepted: accepted.length,
    ticketsCreated: tickets.length,
    serverErrors,
    ticketsLost: lost.length,
    duplicateTickets: duplicated.length,
    acknowledgementsMissing: missingAcks.length,
    acknowledgementsSentTwice: doubleAcks.length,
    deadLetters: desk.deadLetters.length,
    examples: { lost: lost.slice(0, 5), duplicated: duplicated.slice(0, 5), missingAcks: missingAcks.slice(0, 5) },
  };
  const acknowledged = ticketNos.length - missingAcks.length;
  const ok =
    serverErrors === 0 &&
    accepted.length === FORMS + MAILS &&
    ticketNos.length === accepted.length &&
    acknowledged === accepted.length &&
    report.deadLetters === 0 &&
    lost.length === 0 &&
    duplicated.length === 0 &&
    doubleAcks.length === 0;
  const mark = (value: number) => (value === 0 ? '0' : `${value}  <-- must be 0`);
  console.log(
    [
      `load run: ${FORMS} form posts + ${MAILS} SMTP mails at once, loopback, local runtime on DynamoDB Local`,
      `  burst answered in ${report.burstSeconds} s (${report.throughputPerSecond} accepted requests/s); queues drained ${report.settleSeconds} s later`,
      `  latency form  ms: p50 ${report.latencyMs.form.p50}  p90 ${report.latencyMs.form.p90}  p99 ${report.latencyMs.form.p99}  max ${report.latencyMs.form.max}`,
      `  latency smtp  ms: p50 ${report.latencyMs.smtp.p50}  p90 ${report.latencyMs.smtp.p90}  p99 ${report.latencyMs.smtp.p99}  max ${report.latencyMs.smtp.max}`,
      `  answers: ${Object.entries(byStatus).map(([status, n]) => `${status} × ${n}`).join(', ')}`,
      `  5xx / refused connections       ${mark(serverErrors)}`,
      `  retried after 503 / SMTP 4xx    form ${retries.form} (of which no answer ${retries.formNoAnswer}), mail ${retries.mail} (of which no SMTP answer ${retries.mailNoAnswer})`,
      `  accepted                        ${report.accepted} of ${FORMS + MAILS}${report.accepted === FORMS + MAILS ? '' : '  <-- every request must end accepted'}`,
      `  tickets of accepted requests    ${ticketNos.length}${ticketNos.length === accepted.length ? '' : '  <-- must equal accepted'}`,
      `  acknowledgements                ${acknowledged}${acknowledged === accepted.length ? '' : '  <-- must equal accepted'}`,
      `  tickets created                 ${report.ticketsCreated}`,
      `  tickets lost                    ${mark(report.ticketsLost)}`,
      `  duplicate tickets               ${mark(report.duplicateTickets)}`,
      `  acknowledgements missing        ${mark(report.acknowledgementsMissing)}`,
      `  acknowledgements sent twice     ${mark(report.acknowledgementsSentTwice)}`,
      `  dead letters                    ${mark(report.deadLetters)}`,
      ok ? 'RESULT: accepted = tickets = acknowledgements, no dead letter' : 'RESULT: FAILED',
    ].join('\n'),
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/load-latest.json', `${JSON.stringify(report, null, 2)}\n`);
  exitCode = ok ? 0 : 1;
} finally {
  await desk.stop();
  await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
