import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { accepted, burstRequests, deskFigures, sendOnce, startLocalProcess, type BurstRequest, type DeskFigures, type LocalProcess } from '../support/local-process.js';

/**
 * Kill tests of the real local runtime (`npm start`): a burst of form posts and SMTP mails, kill -9
 * in the middle of it, restart on the same data folder. Every request answered 201 or 250 must end
 * as exactly one ticket with one acknowledgement, and no mail of any kind may go out twice. Clients
 * behave as real ones do: a cut or refused request is sent again with the same Idempotency-Key or
 * Message-ID. No assertion on speed; the deadlines only bound a hang.
 */

const FORMS = 12;
const MAILS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let running: LocalProcess | undefined;
const folders: string[] = [];

afterEach(async () => {
  await running?.stop();
  running = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Sends every request, retrying refused or cut ones (HTTP 503, SMTP 451, no answer) until accepted or the deadline. */
async function sendAll(target: () => { url: string; smtpPort: number }, requests: BurstRequest[], deadline: number): Promise<void> {
  await Promise.all(
    requests.map(async (request) => {
      while (!accepted(request) && Date.now() < deadline) {
        const code = await sendOnce(target(), request);
        if (code === 201 || code === 250) return;
        if (code !== 0 && code !== 503 && code !== 451 && code !== 421) throw new Error(`${request.marker}: unexpected answer ${code}`);
        await sleep(1_000);
      }
    }),
  );
}

/** Waits until every accepted request has its ticket and acknowledgement (or the deadline), then reads the figures once more after a pause to see late duplicates. */
async function settledFigures(url: string, requests: BurstRequest[], deadline: number): Promise<DeskFigures> {
  let figures = await deskFigures(url, requests);
  while ((figures.lost > 0 || figures.acknowledgementsMissing > 0) && Date.now() < deadline) {
    await sleep(2_000);
    figures = await deskFigures(url, requests);
  }
  await sleep(3_000);
  return deskFigures(url, requests);
}

function report(name: string, figures: DeskFigures, answers: BurstRequest[]): void {
  const codes: Record<string, number> = {};
  for (const code of answers.flatMap((request) => request.answers)) codes[code] = (codes[code] ?? 0) + 1;
  console.log(`${name}: ${JSON.stringify({ ...figures, answers: codes })}`);
}

describe('kill tests of the local runtime', () => {
  it(
    'kill -9 of the whole runtime mid-burst, restart on the same folder: every accepted request is one ticket with one acknowledgement',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-kill-'));
      folders.push(dataDir);
      running = await startLocalProcess({ dataDir });
      onTestFailed(() => console.log(`runtime output:\n${running?.output() ?? ''}`));
      const target = { url: running.url, smtpPort: running.smtpPort };
      const requests = burstRequests(FORMS, MAILS);
      // The burst, cut by kill -9 of the process group once a third of it has been answered.
      const firstPass = Promise.all(requests.map((request) => sendOnce(target, request)));
      while (requests.filter((request) => request.answers.length > 0).length < requests.length / 3) await sleep(50);
      await running.killGroup();
      await firstPass;
      const acceptedBeforeKill = requests.filter(accepted).length;
      expect(acceptedBeforeKill).toBeGreaterThan(0);

      running = await startLocalProcess({ dataDir, port: Number(new URL(target.url).port), smtpPort: target.smtpPort });
      const deadline = Date.now() + 150_000;
      await sendAll(() => target, requests, deadline);
      const figures = await settledFigures(running.url, requests, deadline);
      report('kill -9 of the runtime', figures, requests);

      expect(figures.accepted).toBe(requests.length);
      expect(figures.lost).toBe(0);
      expect(figures.duplicateTickets).toBe(0);
      expect(figures.tickets).toBe(figures.accepted);
      expect(figures.acknowledgements).toBe(figures.accepted);
      expect(figures.duplicatesByKind).toEqual({});
      expect(figures.deadLetters).toBe(0);
    },
    300_000,
  );

  it(
    'kill -9 of DynamoDB Local alone: the runtime restarts it, answers 503/451 meanwhile, and loses nothing it accepted',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-kill-db-'));
      folders.push(dataDir);
      running = await startLocalProcess({ dataDir });
      onTestFailed(() => console.log(`runtime output:\n${running?.output() ?? ''}`));
      const target = { url: running.url, smtpPort: running.smtpPort };
      const requests = burstRequests(FORMS, MAILS);
      const deadline = Date.now() + 200_000;
      const burst = sendAll(() => target, requests, deadline);
      while (requests.filter((request) => request.answers.length > 0).length < requests.length / 3) await sleep(50);
      const desk = running;
      desk.killDatabase();
      // While it is down the runtime says so rather than accepting what it could not keep.
      let sawOutage = false;
      let outageAnswers: { http?: number; retryAfter?: string | null; smtp?: number } = {};
      for (let i = 0; i < 600; i += 1) {
        const health = (await (await fetch(`${target.url}/dev/health`)).json()) as { database: string; databaseRestarts: number };
        if (health.database === 'down') {
          const probe = burstRequests(1, 1, 'probe');
          const response = await fetch(`${target.url}/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          outageAnswers = { http: response.status, retryAfter: response.headers.get('retry-after'), smtp: await sendOnce(target, probe[1]!) };
          sawOutage = true;
          break;
        }
        if (health.databaseRestarts > 0) break;
        await sleep(50);
      }
      await burst;
      const figures = await settledFigures(target.url, requests, deadline);
      const health = (await (await fetch(`${target.url}/dev/health`)).json()) as { database: string; databaseRestarts: number };
      report('kill -9 of DynamoDB Local', figures, requests);

      expect(sawOutage).toBe(true);
      // The probe mail may slip in once the database is back (250); refused while it was down, it is 451.
      expect(outageAnswers).toMatchObject({ http: 503, retryAfter: expect.stringMatching(/^\d+$/) as unknown });
      expect([451, 250]).toContain(outageAnswers.smtp);
      expect(health).toMatchObject({ database: 'up', databaseRestarts: 1 });
      expect(figures.accepted).toBe(requests.length);
      expect(figures.lost).toBe(0);
      expect(figures.duplicateTickets).toBe(0);
      expect(figures.tickets).toBe(figures.accepted);
      expect(figures.acknowledgements).toBe(figures.accepted);
      expect(figures.duplicatesByKind).toEqual({});
      expect(figures.deadLetters).toBe(0);
    },
    300_000,
  );
});
