import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { statusLinkFor } from '../../shared/services/notify.js';
import { expectAccessible, signInToConsole } from '../support/browser.js';
import { eventually, openBrowserDesk, type BrowserDesk } from '../support/browser-desk.js';

/**
 * Files both ways in a browser against the local runtime (issue 16 item 3): an agent attaches a
 * screenshot to a reply in the console (uploaded straight to the blob store through an upload
 * form, mailed as a MIME part, listed on the timeline) and an example to a request for
 * information, and the customer adds a file on the status
 * page with its plain HTML form (no script). Each step logs how long it took.
 */

const STEP_TIMEOUT = 90_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let e2e: BrowserDesk;
let desk: LocalDesk;
let page: Page;
let timings: Record<string, number>;
let ticketNo: string;

beforeAll(async () => {
  e2e = await openBrowserDesk('files');
  ({ desk, page, timings } = e2e);
  ticketNo = await e2e.postForm({ name: '王芳', email: `wang-${randomUUID().slice(0, 6)}@corp.example`, description: '无法登录，提示密码错误', language: 'zh-CN' });
  await e2e.settle('after the form');
}, 300_000);

afterAll(async () => {
  await e2e?.close();
});

describe.sequential('files both ways in a browser', () => {
  it('lets an agent attach a screenshot to a reply; the mail carries it and the timeline lists it (en)', async () => {
    const started = Date.now();
    const assignee = (await desk.runtime.store.getTicket(ticketNo))?.assignee ?? 'alice';
    await signInToConsole(page, desk, assignee, 'en');
    await page.goto(`${desk.url}/console/tickets/${ticketNo}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('#reply-text').fill('Please follow the steps in the screenshot.');
    await page.locator('#reply-files').setInputFiles([{ name: 'reset-steps.png', mimeType: 'image/png', buffer: PNG }]);
    await page.locator('[data-upload-state="ready"]').waitFor();
    // A page is not a picture: refused when chosen, named in the UI language, and Send waits until it is removed.
    await page.locator('#reply-files').setInputFiles([{ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') }]);
    await page.locator('[data-upload-state="failed"]').waitFor();
    await eventually(() => page.locator('[data-upload-state="failed"]').textContent()).toContain('not accepted');
    await eventually(() => page.locator('form button[type=submit]').isDisabled()).toBe(true);
    await expectAccessible(page);
    await page.locator('[data-upload-state="failed"] button').click();
    await page.locator('form button[type=submit]').click();
    await expect
      .poll(async () => (await desk.runtime.store.getTicketRecords(ticketNo))?.messages.find((message) => message.direction === 'outbound' && message.flags.includes('reply'))?.attachments.map((file) => file.name), { timeout: 30_000 })
      .toEqual(['reset-steps.png']);
    const mail = (await desk.outbox.list()).find((entry) => JSON.stringify(entry).includes('Please follow the steps'));
    expect(mail).toBeDefined();
    await page.locator('.attachment-file[data-attachment="reset-steps.png"]').first().waitFor();
    timings.agentAttach = Date.now() - started;
  }, STEP_TIMEOUT);

  it('lets the agent ask the customer for a screenshot with an example attached; the request carries it (en)', async () => {
    const started = Date.now();
    await page.locator('.tabs button', { hasText: 'Wait on customer' }).click();
    await page.locator('#wait-text').fill('A screenshot of the error, like the example attached');
    await page.locator('#reply-files').setInputFiles([{ name: 'example.png', mimeType: 'image/png', buffer: PNG }]);
    await page.locator('[data-upload-state="ready"]').waitFor();
    await expectAccessible(page);
    await page.locator('form button[type=submit]').click();
    await expect
      .poll(async () => (await desk.runtime.store.getTicketRecords(ticketNo))?.messages.find((message) => message.direction === 'outbound' && message.flags.includes('waiting-on-customer'))?.attachments.map((file) => file.name), { timeout: 30_000 })
      .toEqual(['example.png']);
    expect((await desk.runtime.store.getTicket(ticketNo))?.status).toBe('waiting-on-customer');
    // The reply tab's files went with the reply: nothing is left to send twice.
    await page.locator('.tabs button', { hasText: 'Reply' }).first().click();
    await eventually(() => page.locator('[data-upload-state]').count()).toBe(0);
    timings.agentAsk = Date.now() - started;
  }, STEP_TIMEOUT);

  it('lets the customer add a file on the status page without script; it joins the ticket (zh)', async () => {
    const started = Date.now();
    const link = statusLinkFor(desk.runtime, ticketNo, (await desk.runtime.linkKeys()).current, new Date());
    await page.goto(link.replace(desk.runtime.config.desk.publicBaseUrl, desk.url));
    await page.locator('#file').waitFor();
    await expectAccessible(page);
    await page.locator('#file').setInputFiles([{ name: '错误截图.png', mimeType: 'image/png', buffer: PNG }]);
    await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    await page.getByText('已收到您的文件').waitFor();
    await eventually(() => page.locator('body').textContent()).toContain('错误截图.png');
    const records = await desk.runtime.store.getTicketRecords(ticketNo);
    expect(records?.messages.filter((message) => message.flags.includes('file')).map((message) => message.attachments[0]?.name)).toEqual(['错误截图.png']);
    timings.customerAdd = Date.now() - started;
  }, STEP_TIMEOUT);
});
