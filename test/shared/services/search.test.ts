import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/domain/authorization.js';
import { ValidationError } from '../../../shared/services/errors.js';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { organisationOf, SearchService } from '../../../shared/services/search.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

const supervisor: Principal = { agentId: 'sam', roles: ['agent', 'supervisor'], team: 'technical' };
const carol: Principal = { agentId: 'carol', roles: ['agent'], team: 'after-sales' };

/** Four tickets over three desk days: two of Zhang's (Chinese), one of Amy's and one phone call. */
async function desk(): Promise<{ runtime: TestRuntime; numbers: string[] }> {
  const runtime = await testRuntime({ now: '2024-05-20T02:00:00Z' });
  const a = await createTicket(runtime, { customer: { name: '张三', email: 'zhang@corp.example', phone: '138 0013 8000', account: 'AC-7788' }, description: '无法登录，提示密码错误', language: 'zh-CN' });
  runtime.clock.set('2024-05-21T02:00:00Z');
  const b = await createTicket(runtime, { customer: { name: 'Amy', email: 'amy@gmail.com' }, order: 'SO-2024-0001', description: 'I want a refund for order SO-2024-0001, the parcel never arrived', language: 'en' });
  runtime.clock.set('2024-05-22T02:00:00Z');
  const c = await createTicket(runtime, { customer: { name: '张三', email: 'ZHANG@corp.example', phone: '+86 13800138000' }, description: '退款一直没有到账，订单号 SO-2024-0002', order: 'so 2024 0002', language: 'zh-CN' });
  const d = await createTicket(runtime, { channel: 'phone', customer: { name: 'Li', phone: '139 0000 1111' }, description: 'Customer called: cannot log in to the app since the update', language: 'en' });
  return { runtime, numbers: [a.ticketNo, b.ticketNo, c.ticketNo, d.ticketNo] };
}

const numbersOf = (result: { items: Array<{ ticketNo: string }> }) => result.items.map((ticket) => ticket.ticketNo);

describe('SearchService.search', () => {
  it('finds a ticket by its number, whatever the case', async () => {
    const { runtime, numbers } = await desk();
    expect(numbersOf(await new SearchService(runtime).search(supervisor, { ticketNo: numbers[1]!.toLowerCase() }))).toEqual([numbers[1]]);
  });

  it('finds a customer by phone whatever the formatting and +86 prefix, newest first', async () => {
    const { runtime, numbers } = await desk();
    const result = await new SearchService(runtime).search(supervisor, { phone: '13800138000' });
    expect(numbersOf(result)).toEqual([numbers[2], numbers[0]]);
    expect(result.partial).toBe(false);
  });

  it('finds a customer by email whatever the case', async () => {
    const { runtime, numbers } = await desk();
    expect(numbersOf(await new SearchService(runtime).search(supervisor, { email: ' Zhang@Corp.Example ' }))).toEqual([numbers[2], numbers[0]]);
  });

  it('finds an order or account number without separators or case', async () => {
    const { runtime, numbers } = await desk();
    const search = new SearchService(runtime);
    expect(numbersOf(await search.search(supervisor, { reference: 'SO20240002' }))).toEqual([numbers[2]]);
    expect(numbersOf(await search.search(supervisor, { reference: 'so-2024-0001' }))).toEqual([numbers[1]]);
    expect(numbersOf(await search.search(supervisor, { reference: 'ac7788' }))).toEqual([numbers[0]]);
  });

  it('finds Chinese free text by any two adjacent characters of the subject or summary', async () => {
    const { runtime, numbers } = await desk();
    const search = new SearchService(runtime);
    expect(numbersOf(await search.search(supervisor, { text: '登录' }))).toEqual([numbers[0]]);
    expect(numbersOf(await search.search(supervisor, { text: '退款 到账' }))).toEqual([numbers[2]]);
    expect(numbersOf(await search.search(supervisor, { text: '退款 登录' }))).toEqual([]);
  });

  it('finds English free text whatever the case, every word required', async () => {
    const { runtime, numbers } = await desk();
    const search = new SearchService(runtime);
    expect(numbersOf(await search.search(supervisor, { text: 'REFUND parcel' }))).toEqual([numbers[1]]);
    expect(numbersOf(await search.search(supervisor, { text: 'log' }))).toEqual([numbers[3]]);
  });

  it('combines text with a date range, status, team and channel', async () => {
    const { runtime, numbers } = await desk();
    const search = new SearchService(runtime);
    expect(numbersOf(await search.search(supervisor, { from: '2024-05-21', to: '2024-05-21' }))).toEqual([numbers[1]]);
    expect(numbersOf(await search.search(supervisor, { text: 'log', from: '2024-05-20', to: '2024-05-21' }))).toEqual([]);
    expect(numbersOf(await search.search(supervisor, { channel: 'phone' }))).toEqual([numbers[3]]);
    const open = await search.search(supervisor, { status: ['open'], team: 'technical' });
    expect(open.items.every((ticket) => ticket.status === 'open' && ticket.team === 'technical')).toBe(true);
    expect(numbersOf(open)).toContain(numbers[3]);
  });

  it('finds by tag and assignee, and by a tag added after intake', async () => {
    const { runtime, numbers } = await desk();
    const search = new SearchService(runtime);
    expect(numbersOf(await search.search(supervisor, { tag: 'login' }))).toEqual([numbers[3], numbers[0]]);
    const assignee = (await runtime.store.getTicket(numbers[3]!))!.assignee!;
    expect(numbersOf(await search.search(supervisor, { assignee }))).toContain(numbers[3]);
    await new LifecycleService(runtime).apply(numbers[1]!, { type: 'change-classification', changes: { tags: ['refund', 'vip-care'] } }, 'sam');
    expect(numbersOf(await search.search(supervisor, { tag: 'vip-care' }))).toEqual([numbers[1]]);
  });

  it("leaves out tickets an agent may not open (another team's, not assigned to them)", async () => {
    const { runtime, numbers } = await desk();
    const all = await new SearchService(runtime).search(supervisor, { from: '2024-05-20' });
    expect(numbersOf(all).sort()).toEqual([...numbers].sort());
    const mine = await new SearchService(runtime).search(carol, { from: '2024-05-20' });
    const teams = new Set(mine.items.map((ticket) => ticket.team));
    expect([...teams].every((team) => team === 'after-sales')).toBe(true);
    expect(mine.items.length).toBeLessThan(all.items.length);
  });

  it('refuses a search without criteria, a malformed day or text without a searchable word', async () => {
    const { runtime } = await desk();
    const search = new SearchService(runtime);
    await expect(search.search(supervisor, {})).rejects.toBeInstanceOf(ValidationError);
    await expect(search.search(supervisor, { from: '2024-02-30' })).rejects.toBeInstanceOf(ValidationError);
    await expect(search.search(supervisor, { text: '卡' })).rejects.toMatchObject({ fields: [{ field: 'text' }] });
    await expect(search.search(supervisor, { team: 'nope' })).rejects.toMatchObject({ fields: [{ field: 'team' }] });
  });
});

describe('SearchService.customerHistory', () => {
  it("lists the customer's other tickets by email or phone, newest first, with VIP and organisation", async () => {
    const { runtime, numbers } = await desk();
    const ticket = (await runtime.store.getTicket(numbers[0]!))!;
    const history = await new SearchService(runtime).customerHistory(supervisor, ticket);
    expect(history.tickets.map((entry) => entry.ticket.ticketNo)).toEqual([numbers[2]]);
    expect(history).toMatchObject({ vip: false, organisation: 'corp.example', total: 1, more: false });
  });

  it('marks tickets the agent may not open as not visible', async () => {
    const { runtime, numbers } = await desk();
    const ticket = (await runtime.store.getTicket(numbers[2]!))!;
    const history = await new SearchService(runtime).customerHistory(carol, ticket);
    const login = history.tickets.find((entry) => entry.ticket.ticketNo === numbers[0]);
    expect(login?.ticket.team).toBe('technical');
    expect(login?.visible).toBe(false);
  });

  it('names no organisation for public mail providers', () => {
    expect(organisationOf('someone@qq.com')).toBeUndefined();
    expect(organisationOf('buyer@Acme.CN')).toBe('acme.cn');
  });
});
