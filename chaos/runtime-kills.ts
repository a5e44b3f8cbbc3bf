import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32, hash } from './faults.js';
import { accepted, burstRequests, postForm, sendAll, sendOnce, settledFigures, startLocalProcess, type BurstRequest, type DeskFigures, type LocalProcess } from './local-process.js';

/**
 * The chaos run's second part: faults no in-process decorator can fake, against the real local
 * runtime (`local/start.ts` as its own process group, on a data folder in /tmp). For each step a
 * burst of form posts and SMTP mails, cut by the step's fault once a seeded share of it has been
 * answered; clients send again what was cut or refused (same Idempotency-Key or Message-ID):
 *
 * - `runtime:kill-9`: kill -9 of the whole process group, restart on the same folder and ports;
 * - `dynamodb-local:kill-9`: kill -9 of DynamoDB Local alone (the runtime must restart it, and
 *   answer 503 + Retry-After / SMTP 451 while it is down);
 * - `dynamodb-local:pause`: SIGSTOP of DynamoDB Local for longer than the form's 10 s timeout
 *   (alive but silent: every call hangs), then SIGCONT.
 *
 * Every request answered 201 or 250 must end as exactly one ticket with one acknowledgement, no
 * mail of any kind may go out twice, and no message may end as a dead letter.
 */

export const RUNTIME_FAULTS = ['runtime:kill-9', 'dynamodb-local:kill-9', 'dynamodb-local:pause'] as const;
export type RuntimeFault = (typeof RUNTIME_FAULTS)[number];

export interface RuntimeKillOptions {
  seed: number;
  /** Per step. */
  forms: number;
  mails: number;
  steps?: RuntimeFault[];
  /** How long DynamoDB Local stays paused (beyond the form's 10 s timeout). */
  pauseSeconds?: number;
  /** Bounds a hang; no figure depends on it. */
  deadlineSeconds?: number;
  log?: (line: string) => void;
}

export interface RuntimeKillStep {
  fault: RuntimeFault;
  fired: boolean;
  /** Wall seconds the step took (its burst, the fault, restarts, every retry): where a run's time goes. */
  seconds: number;
  /** The fault struck once this many of the step's requests had an answer (seeded share). */
  cutAfterAnswers: number;
  acceptedBeforeFault: number;
  /** Every answer the step's clients got, by code (0: cut, no answer). */
  answers: Record<string, number>;
  /** What a new client got while the fault lasted. */
  probe?: { http?: number; retryAfter?: string | null; smtp?: number; database?: string };
}

export interface RuntimeKillReport {
  seed: number;
  steps: RuntimeKillStep[];
  figures: DeskFigures;
  databaseRestarts: number;
  /** Wall seconds until the runtime first answered (DynamoDB Local's start included). */
  startupSeconds: number;
  faultsNotFired: RuntimeFault[];
  seconds: number;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const answeredCount = (requests: BurstRequest[]) => requests.filter((request) => request.answers.length > 0).length;

async function health(url: string): Promise<{ database?: string; databaseRestarts?: number }> {
  return (await (await fetch(`${url}/dev/health`)).json().catch(() => ({}))) as { database?: string; databaseRestarts?: number };
}

export async function runRuntimeKills(options: RuntimeKillOptions): Promise<RuntimeKillReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const steps = options.steps ?? [...RUNTIME_FAULTS];
  const random = mulberry32(hash(`${options.seed}|runtime-kills`));
  const deadline = started + (options.deadlineSeconds ?? 600) * 1000;
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-chaos-runtime-'));
  let running: LocalProcess | undefined;
  const all: BurstRequest[] = [];
  const results: RuntimeKillStep[] = [];
  try {
    running = await startLocalProcess({ dataDir });
    const startupSeconds = Math.round((Date.now() - started) / 100) / 10;
    const ports = { port: Number(new URL(running.url).port), smtpPort: running.smtpPort };
    const target = () => ({ url: running!.url, smtpPort: running!.smtpPort });
    for (const [index, fault] of steps.entries()) {
      const requests = burstRequests(options.forms, options.mails, `${options.seed.toString(36)}s${index}`);
      all.push(...requests);
      const cutAfterAnswers = Math.max(1, Math.floor(requests.length * (0.2 + 0.4 * random())));
      const stepStarted = Date.now();
      const step: RuntimeKillStep = { fault, fired: false, seconds: 0, cutAfterAnswers, acceptedBeforeFault: 0, answers: {} };
      results.push(step);
      log(`runtime chaos: ${fault} after ${cutAfterAnswers} of ${requests.length} answers`);
      if (fault === 'runtime:kill-9') {
        // Each request once; the kill cuts what is in flight.
        const firstPass = Promise.all(requests.map((request) => sendOnce(target(), request)));
        while (answeredCount(requests) < cutAfterAnswers && Date.now() < deadline) await sleep(20);
        step.acceptedBeforeFault = requests.filter(accepted).length;
        await running.killGroup();
        step.fired = true;
        await firstPass;
        running = await startLocalProcess({ dataDir, ...ports });
        await sendAll(target, requests, deadline);
      } else {
        const burst = sendAll(target, requests, deadline);
        while (answeredCount(requests) < cutAfterAnswers && Date.now() < deadline) await sleep(20);
        step.acceptedBeforeFault = requests.filter(accepted).length;
        if (fault === 'dynamodb-local:kill-9') {
          running.killDatabase();
          step.fired = true;
          // While it is down the runtime says so rather than accepting what it could not keep.
          while (Date.now() < deadline) {
            const state = await health(running.url);
            if (state.database === 'down') {
              const [, mail] = burstRequests(1, 1, `${options.seed.toString(36)}p${index}`);
              const response = await postForm(running.url, mail!, '{}');
              step.probe = { database: 'down', http: response.status, retryAfter: response.retryAfter, smtp: await sendOnce(target(), mail!) };
              break;
            }
            if ((state.databaseRestarts ?? 0) > 0) break;
            await sleep(20);
          }
        } else {
          running.pauseDatabase();
          step.fired = true;
          const pausedUntil = Date.now() + (options.pauseSeconds ?? 15) * 1000;
          // A new form post meanwhile cannot finish within the form's 10 s timeout: 503 + Retry-After, then a retry.
          const [probe] = burstRequests(1, 0, `${options.seed.toString(36)}p${index}`);
          const response = await postForm(running.url, probe!);
          step.probe = { database: 'paused', http: response.status, retryAfter: response.retryAfter };
          probe!.answers.push(response.status);
          requests.push(probe!);
          all.push(probe!);
          await sleep(Math.max(0, pausedUntil - Date.now()));
          running.pauseDatabase(true);
          await sendAll(target, [probe!], deadline);
        }
        await burst;
      }
      for (const code of requests.flatMap((request) => request.answers)) step.answers[code] = (step.answers[code] ?? 0) + 1;
      step.seconds = Math.round((Date.now() - stepStarted) / 100) / 10;
    }
    const figures = await settledFigures(running.url, all, deadline);
    const { databaseRestarts = 0 } = await health(running.url);
    const faultsNotFired = steps.filter((fault) => !results.find((step) => step.fault === fault)?.fired);
    const ok =
      faultsNotFired.length === 0 &&
      figures.accepted === figures.requests &&
      figures.tickets === figures.accepted &&
      figures.acknowledgements === figures.accepted &&
      figures.lost === 0 &&
      figures.duplicateTickets === 0 &&
      Object.keys(figures.duplicatesByKind).length === 0 &&
      figures.deadLetters === 0;
    if (!ok) log(`runtime output:\n${running.output()}`);
    return {
      seed: options.seed,
      steps: results,
      figures,
      databaseRestarts,
      startupSeconds,
      faultsNotFired,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ok,
    };
  } catch (error) {
    if (running) log(`runtime output:\n${running.output()}`);
    throw error;
  } finally {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatRuntimeKillReport(report: RuntimeKillReport): string {
  const { figures } = report;
  const mark = (value: number) => (value === 0 ? '0' : `${value}  <-- must be 0`);
  const lines = [
    `runtime chaos (seed ${report.seed}): the real local runtime, ${report.steps.length} faults, in ${report.seconds} s (first start ${report.startupSeconds} s)`,
    ...report.steps.map(
      (step) =>
        `  ${step.fault.padEnd(22)} ${step.fired ? `after ${step.cutAfterAnswers} answers (${step.acceptedBeforeFault} accepted before)` : 'DID NOT FIRE'}, ${step.seconds} s; answers ${Object.entries(step.answers).map(([code, n]) => `${code === '0' ? 'cut' : code} × ${n}`).join(', ')}${step.probe ? `; probe meanwhile: ${JSON.stringify(step.probe)}` : ''}`,
    ),
    `  requests / accepted             ${figures.requests} / ${figures.accepted}${figures.accepted === figures.requests ? '' : '  <-- every request must end accepted'}`,
    `  tickets / acknowledgements      ${figures.tickets} / ${figures.acknowledgements}${figures.tickets === figures.accepted && figures.acknowledgements === figures.accepted ? '' : '  <-- must equal accepted'}`,
    `  lost                            ${mark(figures.lost)}`,
    `  duplicate tickets               ${mark(figures.duplicateTickets)}`,
    `  duplicates by notice kind       ${Object.keys(figures.duplicatesByKind).length === 0 ? '0' : `${JSON.stringify(figures.duplicatesByKind)}  <-- must be 0`}`,
    `  dead letters                    ${mark(figures.deadLetters)}`,
    `  DynamoDB Local restarts         ${report.databaseRestarts}`,
    report.ok ? 'RESULT: every accepted request is one ticket with one acknowledgement, nothing twice' : 'RESULT: FAILED',
  ];
  return lines.join('\n');
}
