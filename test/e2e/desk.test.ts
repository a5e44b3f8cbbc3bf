import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import { SurveyService } from '../../shared/services/survey.js';
import { expectAccessible, screenshot } from '../support/browser.js';
import { eventually, openBrowserDesk, PAGE_WAIT_MS, type BrowserDesk, type OutboxMail } from '../support/browser-desk.js';

/**
 * The desk as people use it: a customer in a real browser, the agent console, the outbox, the
 * status page and the survey, all against the local runtime that `npm start` runs. One story,
 * told in order; each step is its own test so a failure names the step.
 */

const XSS = '<img src=x onerror=window.__xss=1>';
/** Each wait inside a step has its own limit, below the step's (SETTLE_LIMIT_MS, PAGE_WAIT_MS in test/support/browser-desk.ts). */
const STEP_TIMEOUT = 240_000;

let e2e: BrowserDesk;
let desk: LocalDesk;
let page: Page;
const story: { ticketNo?: string; zhTicketNo?: string; customerEmail: string; assignee?: string; statusLink?: string; surveyLink?: string } = {
  customerEmail: `customer-${randomUUID().slice(0, 8)}@example.com`,
};

async function mailsFor(ticketNo: string): Promise<OutboxMail[]> {
  return (await e2e.outbox()).filter((mail) => mail.subject.includes(ticketNo));
}

async function devTicket(ticketNo: string): Promise<{ status: string; assignee?: string; team: string }> {
  const tickets = (await (await fetch(`${desk.url}/dev/tickets`)).json()) as Array<{ ticketNo: string; status: string; assignee?: string; team: string }>;
  const ticket = tickets.find((candidate) => candidate.ticketNo === ticketNo);
  if (!ticket) throw new Error(`ticket ${ticketNo} is not in /dev/tickets`);
  return ticket;
}

function linkIn(text: string, path: 'status' | 'survey', score?: number): string | undefined {
  const links = text.match(new RegExp(`https?://[^\\s"'<>]+/${path}/[^\\s"'<>)]+`, 'g')) ?? [];
  if (score === undefined) return links[0];
  return links.find((link) => new URL(link).searchParams.get('score') === String(score)) ?? links[0];
}

/** Settles the desk within its limit; how long it took goes into the timings printed at the end (never asserted). */
const settle = (before: string): Promise<void> => e2e.settle(`before ${before}`);
const waitOrExplain = (locator: Locator, what: string, limitMs?: number): Promise<void> => e2e.waitFor(locator, what, limitMs);

async function expectNoXss(target: Page): Promise<void> {
  expect(await target.evaluate<unknown>('window.__xss')).toBeUndefined();
}

/**
 * Signs in through the console's sign-in screen. Until the local runtime routes /api/v1/local/*
 * to shared/http/local-sign-in.ts, the same token is put where the screen would put it.
 */
async function signIn(agentId: string): Promise<void> {
  // Forget the previous agent's session from a page of the same origin where no console is running
  // (a running console keeps its session in memory and would store it again).
  await page.goto(`${desk.url}/dev`);
  await page.evaluate('localStorage.removeItem("ticketline.session")');
  const signInRouted = (await fetch(`${desk.url}/api/v1/local/agents`)).ok;
  if (signInRouted) {
    await page.goto(`${desk.url}/console/`);
    await page.locator('select#agent').selectOption(agentId);
    await screenshot(page, `00-sign-in-${agentId}`);
    await page.locator('form button[type=submit]').click();
  } else {
    const agent = desk.runtime.config.agents.find((candidate) => candidate.id === agentId)!;
    const token = await issueLocalToken(agent, desk.localJwtSecret);
    await page.evaluate(`localStorage.setItem('ticketline.session', ${JSON.stringify(JSON.stringify({ accessToken: token, expiresAt: Date.now() + 3_600_000 }))})`);
    await page.goto(`${desk.url}/console/`);
  }
  await waitOrExplain(page.locator('header.top .who'), `the console to open for ${agentId}`);
}

beforeAll(async () => {
  e2e = await openBrowserDesk('desk');
  ({ desk, page } = e2e);
}, 180_000);

afterAll(async () => {
  await e2e?.close();
});

describe.sequential('a ticket from the form to the survey, in a browser', () => {
  it('takes an English request from the form and shows the ticket number, running no injected markup', async () => {
    await page.goto(`${desk.url}/?lang=en`);
    await expectAccessible(page);
    await screenshot(page, '01-form-en');
    await page.fill('#name', `Mallory ${XSS}`);
    await page.fill('#email', story.customerEmail);
    await page.fill('#subject', `Login ${XSS}`);
    await page.fill('#description', `I cannot log in to my account since this morning. ${XSS}`);
    await page.click('form button[type=submit]');
    const ticketNo = await page.locator('[data-ticket-no]').getAttribute('data-ticket-no');
    expect(ticketNo).toMatch(/^CS\d{8}\d{3,}$/);
    story.ticketNo = ticketNo!;
    await expectNoXss(page);
    await screenshot(page, '02-thank-you-en');
  }, STEP_TIMEOUT);

  it('takes a Chinese request from the form in Chinese', async () => {
    await page.goto(`${desk.url}/?lang=zh-CN`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.fill('#name', '张三');
    await page.fill('#email', `zh-${story.customerEmail}`);
    await page.fill('#description', '我无法登录我的账号，提示密码错误。');
    await page.click('form button[type=submit]');
    // The click waits for the thank-you page to commit, not to render: the form page has an h1 too.
    await eventually(() => page.locator('h1').textContent()).toContain('已收到您的工单');
    story.zhTicketNo = (await page.locator('[data-ticket-no]').getAttribute('data-ticket-no')) ?? undefined;
    expect(story.zhTicketNo).toMatch(/^CS\d{11,}$/);
    await screenshot(page, '03-thank-you-zh');
  }, STEP_TIMEOUT);

  it('sends the acknowledgement, readable in the outbox without running the customer markup', async () => {
    await settle('acknowledgement');
    // The acknowledgement, among the customer's mails: the assignment notice may already have followed it.
    const ack = (await mailsFor(story.ticketNo!)).find((mail) => mail.to.includes(story.customerEmail) && /received your request/i.test(mail.subject));
    expect(ack?.to).toEqual([story.customerEmail]);
    story.statusLink = linkIn(ack!.text, 'status');
    await page.goto(`${desk.url}/dev/outbox/view`);
    await expect(page.locator(`article h2:has-text("${story.ticketNo}")`).count()).resolves.toBeGreaterThan(0);
    await expectNoXss(page);
    await screenshot(page, '04-outbox-acknowledgement');
  }, STEP_TIMEOUT);

  it('lets an agent of the team sign in and find the ticket in the queue', async () => {
    const ticket = await devTicket(story.ticketNo!);
    expect(ticket.team).toBe('technical');
    // The assignee when routing has run, else an agent of the team who takes it in the next step.
    story.assignee = ticket.assignee ?? 'alice';
    await signIn(story.assignee);
    if (!ticket.assignee) await page.goto(`${desk.url}/console/team`);
    const row = page.locator(`tr[data-ticket="${story.ticketNo}"]`);
    await waitOrExplain(row, `the queue to list ${story.ticketNo}`);
    await expect(row.locator('.sla').getAttribute('data-sla')).resolves.toBe('ok');
    await expectNoXss(page);
    await expectAccessible(page);
    await screenshot(page, '05-console-queue');
  }, STEP_TIMEOUT);

  it('switches the console to Chinese, shows the shortcuts on ?, and fits a phone screen', async () => {
    await page.locator('header.top button[lang="zh-CN"]').click();
    await eventually(() => page.locator('header.top nav').textContent()).toContain('团队队列');
    // Set by an effect after the render.
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.keyboard.press('?');
    await eventually(() => page.locator('dialog[open]').textContent()).toContain('快捷键');
    await page.keyboard.press('Escape');
    await page.locator('dialog').waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 390, height: 844 });
    await waitOrExplain(page.locator(`tr[data-ticket="${story.ticketNo}"]`), `the queue to list ${story.ticketNo} on a phone screen`);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, '05b-console-queue-phone-zh');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('header.top button[lang="en"]').click();
    await eventually(() => page.locator('header.top nav').textContent()).toContain('Team queue');
  }, STEP_TIMEOUT);

  it('replies from a template with the placeholders filled, and the customer gets the mail', async () => {
    await page.locator(`tr[data-ticket="${story.ticketNo}"] a`).first().click();
    await waitOrExplain(page.locator('#ticket-title'), `ticket ${story.ticketNo} to open`);
    await expectNoXss(page);
    await expectAccessible(page);
    await screenshot(page, '06-console-ticket');
    if ((await devTicket(story.ticketNo!)).assignee !== story.assignee) {
      await page.locator('.tabs button', { hasText: 'Assign' }).click();
      await page.locator('#assign-agent').fill(story.assignee!);
      await page.locator('form button[type=submit]').click();
      await eventually(async () => (await devTicket(story.ticketNo!)).assignee, 'the assignment to be stored').toBe(story.assignee);
      await page.keyboard.press('r');
    }
    await page.locator('select#snippet').selectOption('confirmation');
    await eventually(() => page.locator('textarea#reply-text').inputValue(), 'the template in the reply box').toContain('I cannot log in to my account');
    const text = await page.locator('textarea#reply-text').inputValue();
    expect(text).not.toMatch(/\{\{/);
    await page.locator('textarea#reply-text').fill(`${text}\nPlease try resetting your password from the sign-in page.`);
    await page.locator('form button[type=submit]').click();
    // Sent: the box empties. The customer's copy joins the timeline once the notifier has mailed it,
    // which the open page would show at its next poll (10 s); the test settles and reloads instead.
    await expect.poll(() => page.locator('textarea#reply-text').inputValue(), { timeout: PAGE_WAIT_MS, message: 'the reply box to empty after Send' }).toBe('');
    await settle('reply mail');
    await page.reload();
    await waitOrExplain(page.locator('ol.timeline li.outbound', { hasText: 'resetting your password' }), 'the reply on the timeline');
    const mails = await mailsFor(story.ticketNo!);
    const reply = mails.find((mail) => mail.text.includes('resetting your password'));
    expect(reply?.to).toEqual([story.customerEmail]);
    expect(reply?.text).toContain('If I understand correctly: I cannot log in to my account');
    await screenshot(page, '07-console-replied');
  }, STEP_TIMEOUT);

  it('lets the customer open the status page from the acknowledgement and add a message', async () => {
    expect(story.statusLink).toBeDefined();
    await page.goto(story.statusLink!);
    await eventually(() => page.locator('body').textContent()).toContain(story.ticketNo!);
    await expectNoXss(page);
    await expectAccessible(page);
    await page.fill('textarea#text', 'I tried the reset, the link in the mail worked. Thanks!');
    await page.click('form button[type=submit]');
    await eventually(() => page.locator('[role=status]').textContent()).toMatch(/have your information/);
    await expectNoXss(page);
    await screenshot(page, '08-status-page');
  }, STEP_TIMEOUT);

  it('resolves with a summary whose counter tracks the 100-character limit', async () => {
    await signIn(story.assignee!);
    await page.goto(`${desk.url}/console/tickets/${story.ticketNo}`);
    await waitOrExplain(page.locator('#ticket-title'), `ticket ${story.ticketNo} to open`);
    await eventually(() => page.locator('ol.timeline').textContent()).toContain('the link in the mail worked');
    await page.keyboard.press('s');
    const summary = page.locator('textarea#resolve-text');
    // The shortcut focuses the summary from a timer after the tab renders (TicketView's choose).
    await eventually(() => page.evaluate<string>('document.activeElement?.id'), 'the focus on the summary after s').toBe('resolve-text');
    await summary.fill('x'.repeat(101));
    await eventually(() => page.locator('#resolve-count').getAttribute('class')).toContain('over');
    await eventually(() => page.locator('form button[type=submit]').isDisabled()).toBe(true);
    await summary.fill('Reset the password and cleared the login lock.');
    await eventually(() => page.locator('#resolve-count').textContent()).toContain(String(100 - 'Reset the password and cleared the login lock.'.length));
    await page.locator('form button[type=submit]').click();
    await waitOrExplain(page.locator('[data-status="resolved"]'), `ticket ${story.ticketNo} to show as resolved`);
    await screenshot(page, '09-console-resolved');
    await settle('survey link');
    const resolution = (await mailsFor(story.ticketNo!)).find((mail) => linkIn(mail.text, 'survey'));
    expect(resolution).toBeDefined();
    story.surveyLink = linkIn(resolution!.text, 'survey', 2);
  }, STEP_TIMEOUT);

  it('records a survey score of 2 from the link in the resolution mail', async () => {
    await page.goto(story.surveyLink!);
    await page.check('input[name=score][value="2"]');
    await page.fill('textarea#comment', 'Took too long.');
    await screenshot(page, '10-survey');
    await page.click('form button[type=submit]');
    await eventually(() => page.locator('body').textContent()).toContain('2 out of 5');
    // The thank-you page comes after the write: the score is on the ticket.
    expect((await desk.runtime.store.getTicket(story.ticketNo!))?.satisfaction?.score).toBe(2);
    await screenshot(page, '11-survey-thanks');
  }, STEP_TIMEOUT);

  it('shows the low score to QA, who can record the follow-up', async () => {
    await settle('QA');
    // The score's write put the ticket on QA's list (SurveyService): the list the console reads has it.
    const listed = (await new SurveyService(desk.runtime).qaQueue()).map((entry) => entry.ticketNo);
    expect(listed, `QA's active list after the score of 2 on ${story.ticketNo}`).toContain(story.ticketNo);
    await signIn('quinn');
    await page.goto(`${desk.url}/console/qa`);
    const item = page.locator(`li[data-ticket="${story.ticketNo}"]`);
    await waitOrExplain(item, `the QA page to list ${story.ticketNo}`);
    await eventually(() => item.locator('[data-score]').textContent()).toBe('2');
    await expectNoXss(page);
    await screenshot(page, '12-console-qa');
    await item.locator('textarea').first().fill('Waited two days for the first answer.');
    await item.locator('textarea').nth(1).fill('Called the customer; apologised and explained the new login help page.');
    await item.locator('button[type=submit]').click();
    await item.waitFor({ state: 'detached', timeout: PAGE_WAIT_MS });
    // Recorded, not only hidden: the entry left the active list for the done list.
    expect((await new SurveyService(desk.runtime).qaQueue('done')).map((entry) => entry.ticketNo)).toContain(story.ticketNo);
  }, STEP_TIMEOUT);
});
