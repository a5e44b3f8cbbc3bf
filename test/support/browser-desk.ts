import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { dynamoEndpoint } from './dynamodb.js';
import { freePort } from '../../local/dynamodb-local.js';
import { startLocal, type LocalDesk } from '../../local/runtime.js';
import { ensureConsoleBuilt, launchBrowser, signInToConsole, type RunningBrowser } from './browser.js';

/**
 * Limits of the waits inside a browser step, each below the step's own timeout, so a step that fails
 * names what it waited for instead of a bare "timed out". None asserts on speed: on a busy machine
 * a settle waits out a notice's retry delay (up to 54 s) and a console page loads slowly.
 */
export const SETTLE_LIMIT_MS = 120_000;
export const PAGE_WAIT_MS = 60_000;

/**
 * Reads what the page shows until it passes the assertion, within PAGE_WAIT_MS: for anything read
 * right after an action or after an element appeared (a text, a value, a count, an attribute, the
 * focus), which the page may still be rendering. One read at the wrong moment is how a race fails.
 */
export function eventually<T>(read: () => Promise<T>, what?: string) {
  return expect.poll(read, { timeout: PAGE_WAIT_MS, interval: 100, ...(what ? { message: what } : {}) });
}

/** A mail as the local runtime's outbox (`/dev/outbox`) lists it. */
export interface OutboxMail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * One browser story's world: the local runtime `npm start` runs (free ports, its own data folder
 * and table on the suite's DynamoDB Local, no sweeper), a headless Chromium with one page, and the
 * steps every story takes (post the web form, read the outbox, sign in to the console).
 */
export interface BrowserDesk {
  desk: LocalDesk;
  browser: RunningBrowser;
  page: Page;
  /** Posts the web form as a customer's browser would (JSON, a fresh idempotency key); answers the ticket number. */
  postForm(fields: Record<string, string>): Promise<string>;
  outbox(): Promise<OutboxMail[]>;
  signIn(agentId: string, language: 'en' | 'zh-CN'): Promise<void>;
  /** Step timings (ms) a story records; printed on close, never asserted. */
  timings: Record<string, number>;
  /**
   * `desk.settle` bounded by `limitMs` (SETTLE_LIMIT_MS): giving up names every pending message and
   * why it was retried, instead of running into the step's timeout with its 25-minute default.
   * How long it took joins the timings as "settle <label>".
   */
  settle(label: string, limitMs?: number): Promise<void>;
  /** Waits for `locator` within `limitMs` (PAGE_WAIT_MS); failing, says what was awaited and what the page showed instead. */
  waitFor(locator: Locator, what: string, limitMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a story's desk and browser. `name` labels the data folder, the table and the timings line;
 * `dialogs` answers the console's confirm() questions (dismiss unless the story says yes).
 */
export async function openBrowserDesk(name: string, options: { dialogs?: 'accept' | 'dismiss' } = {}): Promise<BrowserDesk> {
  await ensureConsoleBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `ticketline-e2e-${name}-`));
  const desk = await startLocal({ port: await freePort(), smtpPort: await freePort(), dataDir, dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-${name}-${randomUUID()}`, sweepEveryMs: 0, quiet: true });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  page.on('dialog', (dialog) => void (options.dialogs === 'accept' ? dialog.accept() : dialog.dismiss()));
  const timings: Record<string, number> = {};
  return {
    desk,
    browser,
    page,
    timings,
    async postForm(fields) {
      const response = await fetch(`${desk.url}/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(fields) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { ticketNo: string }).ticketNo;
    },
    async outbox() {
      return (await (await fetch(`${desk.url}/dev/outbox`)).json()) as OutboxMail[];
    },
    signIn: (agentId, language) => signInToConsole(page, desk, agentId, language),
    async settle(label, limitMs = SETTLE_LIMIT_MS) {
      const started = performance.now();
      await desk.settle({ timeoutMs: limitMs });
      timings[`settle ${label}`] = Math.round(performance.now() - started);
    },
    async waitFor(locator, what, limitMs = PAGE_WAIT_MS) {
      await locator.waitFor({ timeout: limitMs }).catch(async (cause: unknown) => {
        const shown = await page.locator('body').innerText({ timeout: 5_000 }).catch(() => '(the page could not be read)');
        throw new Error(`waited ${limitMs / 1000} s for ${what}; ${page.url()} shows: ${shown.replace(/\s+/g, ' ').slice(0, 600)}`, { cause });
      });
    },
    async close() {
      if (Object.keys(timings).length > 0) console.log(`${name} e2e timings (ms): ${JSON.stringify(timings)}`);
      // Never asserted: a retried notice is allowed, but a slow or flaky step is explained by it.
      for (const failure of desk.deliveryFailures) console.log(`${name} e2e: ${failure.queue} delivery failed at ${failure.at} (receive ${failure.receiveCount}): ${failure.reason}`);
      await browser.close();
      await desk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
