import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import { InboundMailService } from '../../shared/services/inbound.js';
import { asReceivedBySes } from '../support/inbound.js';
import { expectAccessible, screenshot } from '../support/browser.js';
import { eventually, openBrowserDesk, type BrowserDesk } from '../support/browser-desk.js';

/**
 * The agent's tools in a browser against the local runtime (issue 16, third round): the review
 * queue over held mail (shown as text, discarded and kept), a customer's screenshot previewed
 * through a short-lived link, a macro inserted and replaced at the cursor, bulk tagging with a
 * result per ticket, and a colleague's presence on a ticket. Each step logs how long it took.
 */

const STEP_TIMEOUT = 90_000;

let e2e: BrowserDesk;
let desk: LocalDesk;
let page: Page;
let timings: Record<string, number>;
const phone = `139 ${String(Math.floor(1000 + Math.random() * 8999))} ${String(Math.floor(1000 + Math.random() * 8999))}`;
const story: { first?: string; second?: string; held?: string; file?: string } = {};

beforeAll(async () => {
  e2e = await openBrowserDesk('tools');
  ({ desk, page, timings } = e2e);
  story.first = await e2e.postForm({ name: '李雷', email: `li-${randomUUID().slice(0, 6)}@corp.example`, phone, description: '无法登录，提示密码错误' });
  story.second = await e2e.postForm({ name: 'Ann', email: `ann-${randomUUID().slice(0, 6)}@example.com`, description: 'I cannot log in to my account since this morning' });
  // Held mail: an auto-reply from a stranger, with markup that must stay text.
  const held = Buffer.from(['From: robot@stranger.example', 'To: support@support.example.com', 'Subject: Out of office', 'Auto-Submitted: auto-replied', `Message-ID: <${randomUUID()}@stranger.example>`, 'Content-Type: text/plain; charset=utf-8', '', '<img src=x onerror="document.title=\'pwned\'">I am away.', ''].join('\r\n'));
  await desk.runtime.mailBlobs.put('inbound/e2e-held.eml', held);
  story.held = (await new InboundMailService(desk.runtime).process('inbound/e2e-held.eml', held)).ticketNo;
  // A customer's mail with a screenshot.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const withFile = asReceivedBySes(['From: Bo <bo@customer.example>', 'To: support@support.example.com', 'Subject: 支付失败截图', `Message-ID: <${randomUUID()}@customer.example>`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', '支付失败，截图见附件', '--b1', 'Content-Type: image/png; name="截图.png"', 'Content-Disposition: attachment; filename="screen.png"', 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '--b1--', ''].join('\r\n'));
  await desk.runtime.mailBlobs.put('inbound/e2e-file.eml', withFile);
  story.file = (await new InboundMailService(desk.runtime).process('inbound/e2e-file.eml', withFile)).ticketNo;
  await e2e.settle('after the set-up');
}, 300_000);

afterAll(async () => {
  await e2e?.close();
});

describe.sequential('the agent tools in a browser', () => {
  it('shows held mail as text in the review queue and discards it, kept for audit (zh, supervisor)', async () => {
    const started = Date.now();
    await e2e.signIn('sam', 'zh-CN');
    await page.locator('header.top nav a', { hasText: '待审邮件' }).click();
    await page.locator(`tr[data-held="${story.held}"]`).waitFor();
    await eventually(() => page.locator(`tr[data-held="${story.held}"]`).textContent()).toContain('自动邮件');
    await expectAccessible(page);
    await page.locator(`tr[data-held="${story.held}"] a`).click();
    await page.locator('article.held-mail').waitFor();
    await page.locator('article.held-mail details summary').click();
    await eventually(() => page.locator('pre[data-raw]').textContent()).toContain('<img src=x onerror=');
    await expect(page.locator('article.held-mail img').count()).resolves.toBe(0);
    expect(await page.title()).not.toBe('pwned');
    await screenshot(page, 'tools-01-held-mail-zh');
    await page.locator('article.held-mail button.danger').click();
    await page.locator(`tr[data-held="${story.held}"]`).waitFor({ state: 'detached' });
    await page.locator('#review-state').selectOption('done');
    await page.locator(`tr[data-held="${story.held}"]`).waitFor();
    await eventually(() => page.locator(`tr[data-held="${story.held}"]`).textContent()).toContain('已丢弃');
    timings.reviewDiscard = Date.now() - started;
  }, STEP_TIMEOUT);

  it("previews the customer's screenshot through a short-lived link", async () => {
    const started = Date.now();
    await page.goto(`${desk.url}/console/tickets/${story.file}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('.attachment-file button').first().click();
    const image = page.locator('.attachment-file .preview img');
    await image.waitFor();
    const src = (await image.getAttribute('src')) ?? '';
    expect(src).toMatch(/^\/files\//);
    // The element exists before its picture has arrived: wait for it to load (decode() rejects on
    // a broken picture, which leaves naturalWidth at 0 and fails below).
    const width = await image.evaluate(async (element) => {
      const picture = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      await picture.decode().catch(() => undefined);
      return picture.naturalWidth;
    });
    expect(width).toBe(1);
    const served = await fetch(`${desk.url}${src}`);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toMatch(/^inline; filename=/);
    await expectAccessible(page);
    await screenshot(page, 'tools-02-attachment-preview-zh');
    timings.openScreenshot = Date.now() - started;
  }, STEP_TIMEOUT);

  it('inserts a macro at the cursor, replaces it with a second one, and sends it (zh)', async () => {
    const started = Date.now();
    await page.goto(`${desk.url}/console/tickets/${story.first}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('#reply-text').fill('您好，');
    await page.locator('#snippet').selectOption('checking');
    await eventually(() => page.locator('#reply-text').inputValue(), 'the first macro in the reply box').toContain('正在与相关同事核实');
    const first = await page.locator('#reply-text').inputValue();
    expect(first.startsWith('您好，')).toBe(true);
    expect(first).toContain('正在与相关同事核实');
    expect(first).not.toContain('{{');
    // The deadline as the desk's mails write it: the desk's time zone, named (not the browser's).
    expect(first).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);
    await page.locator('#snippet').selectOption('answer');
    await eventually(() => page.locator('#reply-text').inputValue(), 'the second macro in the reply box').toMatch(/^您好，可能的原因是/);
    const second = await page.locator('#reply-text').inputValue();
    expect(second.startsWith('您好，可能的原因是')).toBe(true);
    expect(second).not.toContain('正在与相关同事核实');
    await page.locator('#snippet').selectOption('ask-order');
    await page.locator('[data-macro="ask-order"]').waitFor();
    await page.locator('form button[type=submit]').click();
    // One request: the mail goes out as the request for information, then the macro's tag is added.
    await expect.poll(async () => (await desk.runtime.store.getTicket(story.first!))?.tags.includes('needs-order-number'), { timeout: 30_000 }).toBe(true);
    expect((await desk.runtime.store.getTicket(story.first!))?.status).toBe('waiting-on-customer');
    timings.macroReply = Date.now() - started;
  }, STEP_TIMEOUT);

  it('tags two tickets at once from the team queue and reports each (en)', async () => {
    const started = Date.now();
    await page.locator('header.top button[lang="en"]').click();
    await page.goto(`${desk.url}/console/team`);
    await page.locator(`tr[data-ticket="${story.second}"]`).waitFor();
    await page.locator(`tr[data-ticket="${story.first}"] input[type=checkbox]`).check();
    await page.locator(`tr[data-ticket="${story.second}"] input[type=checkbox]`).check();
    await eventually(() => page.locator('[data-selected-count]').textContent(), 'the count of selected tickets').toBe('2');
    await page.locator('#bulk-kind').selectOption('tag');
    await page.locator('#bulk-tags').fill('bulk-e2e');
    await expectAccessible(page);
    await page.locator('form.bulk-bar button[type=submit]').click();
    await expect.poll(async () => (await desk.runtime.store.getTicket(story.second!))?.tags.includes('bulk-e2e'), { timeout: 30_000 }).toBe(true);
    expect((await desk.runtime.store.getTicket(story.first!))?.tags).toContain('bulk-e2e');
    await screenshot(page, 'tools-03-bulk-en');
    timings.bulkTag = Date.now() - started;
  }, STEP_TIMEOUT);

  it("shows a colleague's presence on the ticket and warns before sending over their reply (en)", async () => {
    const started = Date.now();
    const other = await e2e.browser.context.newPage();
    let heartbeat: NodeJS.Timeout | undefined;
    try {
      const bob = desk.runtime.config.agents.find((agent) => agent.id === 'bob')!;
      const token = await issueLocalToken(bob, desk.localJwtSecret);
      // Bob's console says he is replying: what his ticket page's heartbeat sends every 10 s, kept up
      // through the step (an entry lapses 30 s after its last beat, and a busy machine may take that long).
      const beat = () => fetch(`${desk.url}/api/v1/tickets/${story.second}/presence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ activity: 'replying' }) });
      expect((await beat()).ok).toBe(true);
      heartbeat = setInterval(() => void beat().catch(() => undefined), 5_000);
      await page.goto(`${desk.url}/console/tickets/${story.second}`);
      await page.locator('[data-presence]').waitFor();
      await eventually(() => page.locator('[data-presence]').textContent()).toContain('Bob Li is replying');
      await page.locator('#reply-text').fill('We are on it.');
      await page.locator('form button[type=submit]').click();
      await page.locator('[data-collision]').waitFor();
      await eventually(() => page.locator('form button[type=submit]').textContent()).toBe('Send anyway');
      await expectAccessible(page);
      await screenshot(page, 'tools-04-presence-en');
    } finally {
      clearInterval(heartbeat);
      await other.close();
    }
    timings.presenceWarning = Date.now() - started;
  }, STEP_TIMEOUT);

  it('lets a supervisor add a macro on the Macros page; agents then pick it with what it sets (en)', async () => {
    const started = Date.now();
    await page.goto(`${desk.url}/console/macros`);
    await page.locator('#macros-title').waitFor();
    await page.locator('section[aria-labelledby="macros-title"]').getByText('Built-in macros').first().waitFor();
    await page.getByRole('button', { name: 'New macro' }).click();
    await page.locator('#macro-id').fill('vip-callback');
    await page.locator('#macro-title-zh-CN').fill('VIP 回电');
    await page.locator('#macro-text-zh-CN').fill('{{agentName}}会在今天致电您。');
    await page.locator('#macro-title-en').fill('VIP call back');
    await page.locator('#macro-text-en').fill('{{agentName}} will call you today about {{nothing}}.');
    // An unknown placeholder is caught before saving, and named.
    await eventually(() => page.locator('fieldset[lang="en"] .error').textContent()).toContain('{{nothing}}');
    await page.locator('#macro-text-en').fill('{{agentName}} will call you back today.');
    await page.locator('#macro-priority').selectOption('P2');
    await page.locator('#macro-tags').fill('callback, vip');
    await page.locator('#macro-note').fill('VIP call-back macro');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save macros' }).click();
    await expect.poll(async () => page.locator('section[aria-labelledby="macros-title"] p.muted').first().textContent(), { timeout: 30_000 }).toContain('Version 1');
    await screenshot(page, 'tools-05-macros-en');

    await page.goto(`${desk.url}/console/tickets/${story.second}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('#snippet').selectOption('vip-callback');
    await eventually(() => page.locator('#reply-text').inputValue()).toContain('will call you back today.');
    await eventually(() => page.locator('[data-macro="vip-callback"]').textContent()).toMatch(/P2.*\+callback.*\+vip/);
    timings.macroEdit = Date.now() - started;
  }, STEP_TIMEOUT);
});
