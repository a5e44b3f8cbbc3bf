import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { expectAccessible, screenshot } from '../support/browser.js';
import { eventually, openBrowserDesk, SETTLE_LIMIT_MS, type BrowserDesk } from '../support/browser-desk.js';

/**
 * The agent workspace in a browser against the local runtime (issue 16): search by phone, the
 * customer's history beside the ticket, the timeline in sentences in both languages, translated
 * errors, a phone call logged as a ticket, the link in a staff mail followed from the outbox, the
 * countdown by the desk clock, and a supervisor's queue over every team.
 */

/** Above the settle limit (SETTLE_LIMIT_MS): a timeout only bounds a hang. */
const STEP_TIMEOUT = 240_000;

let e2e: BrowserDesk;
let desk: LocalDesk;
let page: Page;
const phone = `139 ${String(Math.floor(1000 + Math.random() * 8999))} ${String(Math.floor(1000 + Math.random() * 8999))}`;
const story: { first?: string; second?: string; unsure?: string; afterSales?: string; call?: string } = {};

beforeAll(async () => {
  e2e = await openBrowserDesk('ws');
  ({ desk, page } = e2e);
  story.first = await e2e.postForm({ name: '李雷', email: `li-${randomUUID().slice(0, 6)}@corp.example`, phone, description: '无法登录，提示密码错误，附上截图' });
  story.second = await e2e.postForm({ name: '李雷', phone, description: '支付失败，订单 SO-7781 扣款两次' });
  story.unsure = await e2e.postForm({ name: 'Ann', email: `ann-${randomUUID().slice(0, 6)}@example.com`, description: 'Hello, a question about something' });
  story.afterSales = await e2e.postForm({ name: 'Bo', email: `bo-${randomUUID().slice(0, 6)}@example.com`, description: '我要退货退款，商品破损' });
  await e2e.settle('after the four forms');
}, 300_000);

afterAll(async () => {
  await e2e?.close();
});

describe.sequential('the agent workspace in a browser', () => {
  it('finds a customer by phone from the search page and opens the earlier ticket (zh)', async () => {
    await e2e.signIn('sam', 'zh-CN');
    await page.locator('header.top nav a', { hasText: '搜索' }).click();
    await page.locator('#search-q').fill(phone.replace(/ /g, '-'));
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator(`tr[data-ticket="${story.first}"]`).waitFor();
    await eventually(() => page.locator(`tr[data-ticket="${story.second}"]`).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'ws-01-search-phone-zh');
    await page.locator(`tr[data-ticket="${story.first}"] a`).click();
    await page.locator('#ticket-title').waitFor();
    await page.locator(`section.history a:has-text("${story.second}")`).waitFor();
    await eventually(() => page.locator('section.history').textContent()).toContain('corp.example');
  }, STEP_TIMEOUT);

  it('tells the timeline in Chinese sentences, folds automatic mails and shows no internal fields', async () => {
    const timeline = page.locator('ol.timeline');
    await eventually(() => timeline.textContent()).toContain('工单已创建');
    const text = (await timeline.textContent()) ?? '';
    expect(text).not.toMatch(/decided|reason:|notSolved|dueAt|technical|acknowledgement/);
    await eventually(() => page.locator('ol.timeline li.automatic details').count()).toBeGreaterThan(0);
    await expect(page.locator('ol.timeline li.automatic details[open]').count()).resolves.toBe(0);
    await page.locator('.timeline-order button').click();
    await eventually(() => page.locator('ol.timeline').getAttribute('data-order')).toBe('newest-first');
    await expectAccessible(page);
    await screenshot(page, 'ws-02-ticket-timeline-zh');
  }, STEP_TIMEOUT);

  it('translates an API refusal into the UI language', async () => {
    const ticket = (await desk.runtime.store.getTicket(story.unsure!))!;
    expect(ticket.status).toBe('needs-confirmation');
    await page.goto(`${desk.url}/console/tickets/${story.unsure}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('.tabs button', { hasText: '解决' }).click();
    await page.locator('textarea#resolve-text').fill('已处理');
    await page.locator('form button[type=submit]').click();
    const alert = page.locator('form [role=alert]');
    await alert.waitFor();
    await eventually(() => alert.textContent()).toContain('请先确认分类');
    const message = (await alert.textContent()) ?? '';
    expect(message).toContain('请先确认分类');
    expect(message).not.toMatch(/cannot|classification|unconfirmed/);
    await screenshot(page, 'ws-03-error-zh');
  }, STEP_TIMEOUT);

  it("shows a supervisor every team's queue", async () => {
    await page.goto(`${desk.url}/console/team`);
    await page.locator('#queue-team').waitFor();
    await page.locator(`tr[data-ticket="${story.afterSales}"]`).waitFor();
    await page.locator(`tr[data-ticket="${story.first}"]`).waitFor();
    await expectAccessible(page);
  }, STEP_TIMEOUT);

  it('logs a phone call as a new ticket that is classified and acknowledged (en)', async () => {
    await page.locator('header.top button[lang="en"]').click();
    await page.goto(`${desk.url}/console/new`);
    await page.locator('#new-title').waitFor();
    await expectAccessible(page);
    await page.locator('#new-name').fill('Li Lei');
    await page.locator('#new-phone').fill(phone);
    await page.locator('#new-description').fill('Customer called: the payment failed again and the card was charged twice.');
    await page.locator('form.new-ticket button[type=submit]').click();
    await page.locator('#ticket-title').waitFor();
    await eventually(() => page.locator('#ticket-title').textContent()).toMatch(/CS\d{11,}/);
    story.call = ((await page.locator('#ticket-title').textContent()) ?? '').match(/CS\d+/)?.[0];
    expect(story.call).toMatch(/^CS\d{11,}$/);
    const stored = (await desk.runtime.store.getTicket(story.call!))!;
    expect(stored).toMatchObject({ channel: 'phone', assignee: 'sam' });
    expect(stored.tags).toContain('payment-failed');
    await eventually(() => page.locator('ol.timeline').textContent()).toContain('Ticket created by phone');
    await screenshot(page, 'ws-04-phone-ticket-en');
  }, STEP_TIMEOUT);

  it('opens the right ticket from the link in a staff mail, and the countdown follows the desk clock', async () => {
    const before = await page.evaluate<string>(`fetch('/api/v1/me', { headers: { authorization: 'Bearer ' + JSON.parse(localStorage.getItem('ticketline.session')).accessToken } }).then((r) => r.headers.get('x-desk-time'))`);
    // Three hours on: every P1/P2 first response is overdue, and the sweep escalates to the supervisors.
    // The clock's answer waits for the sweeps and the desk to settle: bounded, and what is pending is named.
    const moved = await fetch(`${desk.url}/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMinutes: 180 }), signal: AbortSignal.timeout(SETTLE_LIMIT_MS) }).catch(
      async (cause: unknown) => {
        await e2e.settle('after the clock moved', 1_000);
        throw cause;
      },
    );
    expect(moved.status).toBe(200);
    await e2e.settle('after the clock moved');
    const escalation = (await e2e.outbox()).find((mail) => mail.text.includes(`/console/tickets/${story.second}`));
    expect(escalation, 'an escalation mail linking the overdue P2 ticket').toBeDefined();
    const link = escalation!.text.match(/https?:\/\/\S+\/console\/tickets\/CS\d+/)![0];
    await page.goto(link);
    await eventually(() => page.locator('#ticket-title').textContent()).toContain(story.second!);
    await page.goto(`${desk.url}/console/team`);
    const after = await page.evaluate<string>(`fetch('/api/v1/me', { headers: { authorization: 'Bearer ' + JSON.parse(localStorage.getItem('ticketline.session')).accessToken } }).then((r) => r.headers.get('x-desk-time'))`);
    expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(180 * 60_000 - 60_000);
    // The escalated P2 ticket is overdue by the desk clock (the browser's clock is three hours behind it).
    const row = page.locator(`tr[data-ticket="${story.second}"]`);
    await row.waitFor();
    await eventually(() => row.locator('.sla').getAttribute('data-sla'), 'the SLA mark by the desk clock').toBe('red');
    await screenshot(page, 'ws-05-overdue-by-desk-clock');
  }, STEP_TIMEOUT);
});
