import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { TemplateService } from '../../shared/services/templates.js';
import { expectAccessible, screenshot, signInToConsole } from '../support/browser.js';
import { eventually, openBrowserDesk, type BrowserDesk } from '../support/browser-desk.js';

/**
 * An admin's pages in a browser against the local runtime (issue 13): the Agents page adds,
 * moves and disables an agent; the Settings page changes a response time and adds a keyword rule,
 * and the next ticket from the web form is routed and timed by them. Each step logs its time.
 */

const STEP_TIMEOUT = 120_000;

let e2e: BrowserDesk;
let desk: LocalDesk;
let page: Page;
let timings: Record<string, number>;
const newAgent = `erin${randomUUID().slice(0, 4)}`;

beforeAll(async () => {
  // The disable button asks first: the admin confirms.
  e2e = await openBrowserDesk('admin', { dialogs: 'accept' });
  ({ desk, page, timings } = e2e);
}, 240_000);

afterAll(async () => {
  await e2e?.close();
});

describe.sequential('an admin in the console', () => {
  it('adds an agent, moves them to another team and disables them on the Agents page', async () => {
    const started = Date.now();
    await signInToConsole(page, desk, 'root', 'en');
    await page.locator('header.top nav a', { hasText: 'Agents' }).click();
    await page.locator('tr[data-agent="alice"]').waitFor();
    await expectAccessible(page);

    await page.locator('input[name="new-id"]').fill(newAgent);
    await page.locator('input[name="new-name"]').fill('Erin Xu');
    await page.locator('input[name="new-email"]').fill(`${newAgent}@support.example.com`);
    await page.locator('select[name="new-team"]').selectOption('technical');
    await page.locator('form button[type=submit]', { hasText: 'Add agent' }).click();
    const row = page.locator(`tr[data-agent="${newAgent}"]`);
    await row.waitFor();
    await eventually(async () => (await desk.runtime.store.listAgentRecords()).find((record) => record.id === newAgent)).toMatchObject({ team: 'technical', roles: ['agent'], version: 1 });

    await row.locator('select').first().selectOption('after-sales');
    await row.locator('button', { hasText: 'Save' }).click();
    await expect.poll(async () => (await desk.runtime.store.listAgentRecords()).find((record) => record.id === newAgent)?.team, { timeout: 30_000 }).toBe('after-sales');

    await page.locator(`tr[data-agent="${newAgent}"] button`, { hasText: 'Disable' }).click();
    await expect.poll(async () => (await desk.runtime.store.listAgentRecords()).find((record) => record.id === newAgent)?.disabled, { timeout: 30_000 }).toBe(true);
    await page.locator(`tr[data-agent="${newAgent}"] button`, { hasText: 'Enable' }).waitFor();
    expect((await desk.runtime.store.agentAudit(newAgent)).map((entry) => entry.action)).toEqual(['disabled', 'changed', 'added']);

    // An id that is taken: said under the form (not 3,000 px above it), in words about agents (not
    // "the ticket changed"), and what was typed stays.
    await page.locator('input[name="new-id"]').fill('alice');
    await page.locator('input[name="new-name"]').fill('Another Alice');
    await page.locator('input[name="new-email"]').fill('alice2@support.example.com');
    await page.locator('form button[type=submit]', { hasText: 'Add agent' }).click();
    await expect.poll(async () => page.locator('form[aria-labelledby="new-agent-title"] [role=alert]').textContent(), { timeout: 30_000 }).toContain('An agent with this id already exists');
    await eventually(() => page.locator('input[name="new-name"]').inputValue()).toBe('Another Alice');
    await screenshot(page, 'admin-agents');
    timings.agents = Date.now() - started;
  }, STEP_TIMEOUT);

  it('changes a response time and adds a keyword rule on the Settings page; the next web-form ticket follows them', async () => {
    const started = Date.now();
    await page.locator('header.top nav a', { hasText: 'Settings' }).click();
    await page.locator('[data-settings-version="0"]').waitFor();
    await expectAccessible(page);

    await page.locator('input[name="sla-P3-first"]').fill('45');
    await page.locator('select[aria-label="Counted on P3"]').selectOption('wall');
    await page.locator('button', { hasText: 'Add rule' }).click();
    const rules = page.locator('tr[data-rule-row]');
    const last = rules.nth((await rules.count()) - 1);
    await last.locator('input').first().fill('invoice');
    await last.locator('input').nth(1).fill('invoice, 发票');
    await last.locator('input').nth(1).blur();
    await last.locator('select').nth(1).selectOption('general');
    // The VIP list is in the settings now (not in the functions' environment): one address typed here.
    await page.locator('textarea[name="vip-emails"]').fill('boss@vip-corp.example');
    await page.locator('textarea[name="vip-emails"]').blur();
    await page.locator('input[name="settings-note"]').fill('invoices go to general, P3 within 45 minutes');
    await page.locator('button', { hasText: 'Save settings' }).click();
    await page.locator('[data-settings-version="1"]').waitFor();
    await page.locator('tr[data-settings-audit="1"]').waitFor();
    await eventually(() => page.locator('tr[data-settings-audit="1"]').textContent()).toContain('invoices go to general');
    await screenshot(page, 'admin-settings');

    const ticketNo = await e2e.postForm({ name: 'Amy', email: `amy-${randomUUID().slice(0, 6)}@example.com`, description: 'The invoice for my last order shows the wrong company name' });
    const ticket = (await desk.runtime.store.getTicket(ticketNo))!;
    expect(ticket.tags).toContain('invoice');
    expect(ticket.team).toBe('general');
    expect(ticket.priority).toBe('P3');
    expect(Date.parse(ticket.firstResponseDueAt!) - Date.parse(ticket.createdAt)).toBe(45 * 60_000);
    const vipTicketNo = await e2e.postForm({ name: 'Bo', email: 'Boss@VIP-corp.example', description: 'The invoice for my last order shows the wrong company name' });
    const vipTicket = (await desk.runtime.store.getTicket(vipTicketNo))!;
    expect(vipTicket.customer.vip).toBe(true);
    expect(vipTicket.priority).toBe('P2');
    timings.settings = Date.now() - started;
  }, STEP_TIMEOUT);

  it('lists the mail texts by name and audience, names a refused placeholder, and says when no address is suppressed (zh)', async () => {
    const started = Date.now();
    await signInToConsole(page, desk, 'root', 'zh-CN');
    await page.locator('header.top nav a', { hasText: '模板' }).click();
    await eventually(() => page.locator('li[data-template="acknowledgement"]').textContent()).toBe('受理确认');
    await eventually(() => page.locator('section[aria-labelledby="templates-title"]').textContent()).toContain('发给客户');
    await page.locator('li[data-template="acknowledgement"] a').click();
    await page.locator('#editor-title').waitFor();
    // The text and its placeholders are described in the reader's language, not the API's English.
    await eventually(() => page.locator('form.card').textContent()).toContain('创建工单后立即发送');
    const editor = (await page.locator('form.card').textContent()) ?? '';
    expect(editor).toContain('工单号，如 CS20240520001');
    expect(editor).not.toContain('Ticket number, e.g.');
    await page.locator('#body-en').fill('Hello, your ticket {{nosuch}} is here.');
    await page.locator('form.card button[type=submit]').click();
    await expect.poll(async () => page.locator('form.card [role=alert]').textContent(), { timeout: 30_000 }).toMatch(/^部分内容需要修改。.*\{\{nosuch\}\}/);
    await expectAccessible(page);

    // Sam saves the same text while this editor is open: the editor's save names the version it
    // loaded, is refused (409), says who saved meanwhile, and writes nothing over Sam's words.
    const templates = new TemplateService(desk.runtime);
    const root = { agentId: 'root', roles: ['admin', 'supervisor'] as const, team: 'general' };
    const builtIn = (await templates.template(root, 'acknowledgement')).texts.en!;
    const samsBody = `${builtIn.body}\nSam's words.`;
    const loadedVersion = Number(await page.locator('form.card').getAttribute('data-template-version'));
    const sams = await templates.save({ agentId: 'sam', roles: ['agent', 'supervisor'], team: 'technical' }, 'acknowledgement', { language: 'en', subject: builtIn.subject, body: samsBody });
    expect(sams.version).toBe(loadedVersion + 1);
    await page.locator('#body-en').fill(`${builtIn.body}\nMy words.`);
    await page.locator('form.card button[type=submit]').click();
    await page.locator('[data-template-conflict]').waitFor({ timeout: 30_000 });
    await eventually(() => page.locator('[data-template-conflict]').textContent()).toMatch(/^Sam Zhou 在此期间/);
    expect((await templates.template(root, 'acknowledgement')).texts.en?.body).toBe(samsBody);
    await expectAccessible(page);
    await screenshot(page, 'admin-template-conflict-zh');
    await page.locator('[data-template-conflict] button').click();
    await expect.poll(async () => page.locator('#body-en').inputValue(), { timeout: 30_000 }).toBe(samsBody);
    // Reloaded: the change made again is saved over Sam's version.
    await page.locator('#body-en').fill(`${samsBody}\nWe answer within the hour.`);
    await page.locator('form.card button[type=submit]').click();
    await page.locator(`form.card[data-template-version="${sams.version + 1}"]`).waitFor({ timeout: 30_000 });
    expect((await templates.audit(root)).items.slice(0, 2).map((entry) => entry.by)).toEqual(['root', 'sam']);
    // Undoing an edit: the built-in text is offered beside the edited one, and put back into the fields.
    await page.locator('details[data-built-in="en"] summary').click();
    await page.locator('details[data-built-in="en"] button').click();
    await expect.poll(async () => page.locator('#body-en').inputValue(), { timeout: 30_000 }).toBe(builtIn.body);
    await expect(page.locator('details[data-built-in="zh-CN"]').count()).resolves.toBe(0);
    await page.locator('header.top nav a', { hasText: '停发名单' }).click();
    await page.getByText('没有停发的地址').waitFor();
    await screenshot(page, 'admin-templates-zh');
    timings.templates = Date.now() - started;
  }, STEP_TIMEOUT);

  it('shows neither admin page to an agent (the API refuses them: test/functions/agent-api-desk-settings.test.ts)', async () => {
    await signInToConsole(page, desk, 'alice', 'en');
    // Counted once the navigation shows an agent's pages: an absence counted too early proves nothing.
    await page.locator('header.top nav a', { hasText: 'Team queue' }).waitFor();
    await expect(page.locator('header.top nav a', { hasText: 'Settings' }).count()).resolves.toBe(0);
    await expect(page.locator('header.top nav a', { hasText: 'Agents' }).count()).resolves.toBe(0);
  }, STEP_TIMEOUT);
});
