import { describe, expect, it } from 'vitest';
import type { DeadLetterQueues } from '../../shared/services/context.js';
import { InboundMailService } from '../../shared/services/inbound.js';
import { receiveAuthenticated, seedTicket } from '../support/inbound.js';
import { LocalFileLinks } from '../../local/file-links.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';
import { callAgentApi } from '../support/agent-api.js';

async function call(runtime: TestRuntime, agentId: string, method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}) {
  return callAgentApi(runtime, agentId, method, path, options);
}

async function heldReply(runtime: TestRuntime) {
  const seed = await seedTicket(runtime, 'amy@customer.example.com', 'waiting-on-customer');
  const raw = Buffer.from(
    [
      'From: Amy <amy@customer.example.com>',
      'To: support@support.example.com',
      `Subject: Re: [${seed.ticketNo}] order`,
      'Message-ID: <held-1@customer.example.com>',
      `In-Reply-To: <${seed.ticketNo}.ack.1@support.example.com>`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<img src=x onerror=alert(1)>My order number is SO-88',
      '',
    ].join('\r\n'),
  );
  await runtime.mailBlobs.put('inbound/held-1.eml', raw);
  const outcome = await new InboundMailService(runtime).process('inbound/held-1.eml', raw);
  return { seed, heldNo: outcome.ticketNo };
}

describe('agent API: review queue', () => {
  it('lists held mail, shows it as text, and accepts it into the claimed ticket', async () => {
    const runtime = await testRuntime();
    const { seed, heldNo } = await heldReply(runtime);

    const list = await call(runtime, 'sam', 'GET', '/api/v1/review', { query: { reason: 'unverified-sender' } });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ ticketNo: heldNo, claimsTicketNo: seed.ticketNo, holdReason: 'unverified-sender' })]);

    const detail = await call(runtime, 'sam', 'GET', `/api/v1/review/${heldNo}`);
    expect(detail.status).toBe(200);
    // The raw source is data (a JSON string); the console shows it in a <pre> as text.
    expect((detail.body.raw as { text: string }).text).toContain('<img src=x onerror=alert(1)>');

    const accepted = await call(runtime, 'sam', 'POST', `/api/v1/review/${heldNo}/accept`, { body: {} });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ outcome: 'accepted', intoTicketNo: seed.ticketNo, intoStatus: 'open' });
    const again = await call(runtime, 'sam', 'POST', `/api/v1/review/${heldNo}/discard`, { body: {} });
    expect(again).toMatchObject({ status: 409, body: { code: 'not-held' } });
  });

  it('refuses QA and answers 404 for a ticket that was never held', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account' });
    expect((await call(runtime, 'quinn', 'GET', '/api/v1/review')).status).toBe(403);
    expect((await call(runtime, 'sam', 'GET', `/api/v1/review/${ticket.ticketNo}`)).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const runtime = await testRuntime();
    const document = await call(runtime, 'sam', 'GET', '/api/v1/openapi.json');
    const paths = Object.keys(document.body.paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/review', '/api/v1/review/{ticketNo}/accept', '/api/v1/bulk', '/api/v1/dead-letters/{queue}/replay']));
  });
});

describe('agent API: dead letters', () => {
  function fakeDeadLetters(): DeadLetterQueues & { replayed: string[] } {
    const replayed: string[] = [];
    return {
      replayed,
      list: async () => [{ queue: 'inbound', count: 1, letters: [{ messageId: 'm1', reason: 'TransientError', receiveCount: 5, at: '2024-05-20T00:00:00.000Z' }] }],
      replay: async (queue) => {
        replayed.push(queue);
        return { status: 'moved', moved: 1 };
      },
    };
  }

  it('lets an admin list and replay dead letters, and nobody else', async () => {
    const runtime = await testRuntime();
    const deadLetters = fakeDeadLetters();
    runtime.deadLetters = deadLetters;
    expect((await call(runtime, 'sam', 'GET', '/api/v1/dead-letters')).status).toBe(403);
    expect((await call(runtime, 'sam', 'POST', '/api/v1/dead-letters/inbound/replay', { body: {} })).status).toBe(403);
    const list = await call(runtime, 'root', 'GET', '/api/v1/dead-letters');
    expect(list).toMatchObject({ status: 200, body: { replayable: true, queues: [{ queue: 'inbound', count: 1 }] } });
    const replay = await call(runtime, 'root', 'POST', '/api/v1/dead-letters/inbound/replay', { body: {} });
    expect(replay).toMatchObject({ status: 200, body: { queue: 'inbound', status: 'moved', moved: 1 } });
    expect(deadLetters.replayed).toEqual(['inbound']);
  });

  it('says so where the deployment does not replay through the API', async () => {
    const runtime = await testRuntime();
    const list = await call(runtime, 'root', 'GET', '/api/v1/dead-letters');
    expect(list.body).toEqual({ replayable: false, queues: [] });
  });
});

describe('agent API: bulk actions', () => {
  it('applies an action to each selected ticket and reports each refusal', async () => {
    const runtime = await testRuntime();
    const mine = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const other = await createTicket(runtime, { description: 'My refund for the returned order has not arrived' });
    expect(mine.team).not.toBe(other.team);

    // alice (technical agent) may add tags on her team's ticket; another team's is as unknown to her as a missing one (no existence oracle).
    const response = await call(runtime, 'alice', 'POST', '/api/v1/bulk', { body: { ticketNos: [mine.ticketNo, other.ticketNo, 'CS20990101000'], action: { type: 'tag', add: ['vip-follow-up'] } } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ succeeded: 1, failed: 2 });
    const results = response.body.results as Array<{ ticketNo: string; ok: boolean; code?: string }>;
    expect(results).toEqual([
      expect.objectContaining({ ticketNo: mine.ticketNo, ok: true }),
      // Another team's ticket answers as a missing one (no existence oracle, docs/security.md).
      expect.objectContaining({ ticketNo: other.ticketNo, ok: false, code: 'not-found' }),
      expect.objectContaining({ ticketNo: 'CS20990101000', ok: false, code: 'not-found' }),
    ]);
    expect((await runtime.store.getTicket(mine.ticketNo))!.tags).toContain('vip-follow-up');
    expect((await runtime.store.getTicket(other.ticketNo))!.tags).not.toContain('vip-follow-up');
  });

  it('lets a supervisor close several tickets at once and names the illegal ones', async () => {
    const runtime = await testRuntime();
    const a = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const b = await createTicket(runtime, { description: 'The app crashes when I open settings' });
    const first = await call(runtime, 'sam', 'POST', '/api/v1/bulk', { body: { ticketNos: [a.ticketNo, b.ticketNo], action: { type: 'close' } } });
    expect(first.body).toMatchObject({ succeeded: 2, failed: 0 });
    const second = await call(runtime, 'sam', 'POST', '/api/v1/bulk', { body: { ticketNos: [a.ticketNo], action: { type: 'close' } } });
    expect(second.body).toMatchObject({ succeeded: 0, failed: 1, results: [{ ticketNo: a.ticketNo, ok: false, code: 'illegal-transition', params: { from: 'closed' } }] });
  });

  it('rejects an empty or oversized selection with 400', async () => {
    const runtime = await testRuntime();
    expect((await call(runtime, 'sam', 'POST', '/api/v1/bulk', { body: { ticketNos: [], action: { type: 'close' } } })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => `CS2024052000${String(i).padStart(3, '0')}`);
    expect((await call(runtime, 'sam', 'POST', '/api/v1/bulk', { body: { ticketNos: many, action: { type: 'close' } } })).status).toBe(400);
  });
});

describe('agent API: attachments', () => {
  async function ticketWithFiles(runtime: TestRuntime) {
    const boundary = 'b-123';
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = [
      'From: Amy <amy@customer.example.com>',
      'To: support@support.example.com',
      'Subject: Payment failed, screenshot attached',
      'Message-ID: <files-1@customer.example.com>',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'My payment failed, see the screenshot and the page.',
      `--${boundary}`,
      'Content-Type: image/png; name="screen.png"',
      'Content-Disposition: attachment; filename="screen.png"',
      'Content-Transfer-Encoding: base64',
      '',
      png.toString('base64'),
      `--${boundary}`,
      'Content-Type: text/html; name="page.html"',
      'Content-Disposition: attachment; filename="a\\"b<script>.html"',
      '',
      '<script>alert(document.cookie)</script>',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const outcome = await receiveAuthenticated(runtime, raw);
    const records = await runtime.store.getTicketRecords(outcome.ticketNo);
    const message = records!.messages.find((candidate) => candidate.attachments.length > 0)!;
    return { ticketNo: outcome.ticketNo, message, ticket: records!.ticket };
  }

  it('hands out a short-lived link: images inline, HTML as an escaped download', async () => {
    const runtime = await testRuntime();
    const links = new LocalFileLinks('test-file-link-secret');
    runtime.mailBlobs = links.withLinks(runtime.mailBlobs);
    const { ticketNo, message } = await ticketWithFiles(runtime);
    const base = `/api/v1/tickets/${ticketNo}/messages/${message.messageId}/attachments`;

    const image = await call(runtime, 'sam', 'GET', `${base}/0`);
    expect(image.status).toBe(200);
    expect(image.body).toMatchObject({ name: 'screen.png', inline: true, contentType: 'image/png' });
    const imageLink = links.verify(String(image.body.url).slice('/files/'.length));
    expect(imageLink?.disposition.startsWith('inline;')).toBe(true);
    expect((await runtime.mailBlobs.get(imageLink!.key))!.subarray(0, 4).toString('hex')).toBe('89504e47');

    const page = await call(runtime, 'sam', 'GET', `${base}/1`);
    expect(page.body).toMatchObject({ inline: false, contentType: 'application/octet-stream' });
    const pageLink = links.verify(String(page.body.url).slice('/files/'.length));
    expect(pageLink?.contentType).toBe('application/octet-stream');
    expect(pageLink?.disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);

    expect((await call(runtime, 'sam', 'GET', `${base}/7`)).status).toBe(404);
  });

  it('gives no link to someone who may not open the ticket', async () => {
    const runtime = await testRuntime();
    runtime.mailBlobs = new LocalFileLinks('test-file-link-secret').withLinks(runtime.mailBlobs);
    const { ticketNo, message, ticket } = await ticketWithFiles(runtime);
    const outsider = runtime.config.agents.find((agent) => agent.roles.includes('agent') && !agent.roles.includes('supervisor') && agent.team !== ticket.team)!;
    // As for the ticket itself: another team's ticket answers like a missing one.
    expect((await call(runtime, outsider.id, 'GET', `/api/v1/tickets/${ticketNo}/messages/${message.messageId}/attachments/0`)).status).toBe(404);
  });
});

describe('agent API: macros', () => {
  it('lets every agent read the macros and templates, QA neither', async () => {
    const runtime = await testRuntime();
    const list = await call(runtime, 'alice', 'GET', '/api/v1/macros');
    expect(list.status).toBe(200);
    const checking = (list.body.items as Array<{ id: string; text: Record<string, string> }>).find((macro) => macro.id === 'checking');
    expect(checking?.text['zh-CN']).toContain('{{replyBy}}');
    expect((await call(runtime, 'alice', 'GET', '/api/v1/templates/reply')).status).toBe(200);
    expect((await call(runtime, 'quinn', 'GET', '/api/v1/macros')).status).toBe(403);
  });

  it('sends a waiting macro as one request for information and adds its tags', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    runtime.queue.sent.length = 0;
    const response = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'Please send your order number.', macroId: 'ask-order' } });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('waiting-on-customer');
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored!.tags).toContain('needs-order-number');
    const toCustomer = runtime.queue.sent.filter((notice) => notice.audience === 'customer');
    expect(toCustomer).toHaveLength(1);
    expect(toCustomer[0]!.vars).toMatchObject({ missingInfo: expect.stringContaining('order number') });
  });

  it('resolves with a resolving macro after the reply, and refuses an unknown macro', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const response = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'Glad it works now.', macroId: 'closing' } });
    expect(response.body.status).toBe('resolved');
    const unknown = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'x', macroId: 'no-such-macro' } });
    expect(unknown.status).toBe(400);
  });

  type MacroBody = { id: string; title: Record<string, string>; text: Record<string, string>; set: Record<string, unknown> };

  it('applies a macro as one change: reply, tags, priority and resolution in one version step, or nothing and no mail when a step is refused', async () => {
    const runtime = await testRuntime();
    const items = (await call(runtime, 'sam', 'GET', '/api/v1/macros')).body.items as MacroBody[];
    const longSummary = 'Solved: '.padEnd(150, 'x');
    items.push(
      { id: 'solve-vip', title: { 'zh-CN': '解决', en: 'Solve' }, text: { 'zh-CN': '已解决。', en: 'Solved.' }, set: { status: 'resolved', summary: { 'zh-CN': '已重置密码', en: 'Password reset' }, priority: 'P2', tags: ['vip-care'] } },
      { id: 'solve-long', title: { 'zh-CN': '解决', en: 'Solve long' }, text: { 'zh-CN': '已解决。', en: 'Solved.' }, set: { status: 'resolved', summary: { 'zh-CN': longSummary, en: longSummary }, tags: ['long'] } },
    );
    expect((await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items, version: 0 } })).status).toBe(200);

    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    runtime.queue.sent.length = 0;
    const refused = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'Fixed on our side.', macroId: 'solve-long' } });
    expect(refused.status).toBe(400);
    // The resolution step was refused, so the reply before it never happened: no mail, no change.
    expect(runtime.queue.sent).toEqual([]);
    const unchanged = await runtime.store.getTicket(ticket.ticketNo);
    expect(unchanged).toMatchObject({ version: ticket.version, status: ticket.status, tags: ticket.tags });

    const applied = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'Fixed on our side.', macroId: 'solve-vip' } });
    expect(applied.status).toBe(200);
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored).toMatchObject({ version: ticket.version + 1, status: 'resolved', priority: 'P2', resolutionSummary: 'Password reset', tags: expect.arrayContaining(['vip-care']) });
    expect(runtime.queue.sent.filter((notice) => notice.audience === 'customer').map((notice) => notice.kind)).toEqual(['reply', 'resolution']);
    const events = (await runtime.store.getTicketRecords(ticket.ticketNo))!.events;
    const replied = events.find((event) => event.kind === 'replied');
    const resolved = events.find((event) => event.kind === 'resolved');
    expect(replied?.at).toBeDefined();
    expect(resolved?.at).toBe(replied?.at);
  });

  it("lets a supervisor edit the macros (stored as the desk's settings document); every agent then answers with the new ones", async () => {
    const runtime = await testRuntime();
    const before = await call(runtime, 'sam', 'GET', '/api/v1/macros');
    expect(before.body.version).toBe(0);
    const items = (before.body.items as MacroBody[]).filter((macro) => macro.id !== 'saying-no');
    const checking = items.find((macro) => macro.id === 'checking')!;
    checking.text = { 'zh-CN': '{{agentName}}正在核实，{{replyBy}}前答复。', en: '{{agentName}} is on it; you hear from us by {{replyBy}}.' };
    items.push({ id: 'vip-callback', title: { 'zh-CN': 'VIP 回电', en: 'VIP call back' }, text: { 'zh-CN': '我们会尽快致电您。', en: 'We will call you back shortly.' }, set: { priority: 'P2', tags: ['callback'] } });
    const saved = await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items, version: 0, note: 'VIP call-back macro' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, updatedBy: 'sam' });

    const seen = await call(runtime, 'alice', 'GET', '/api/v1/macros');
    const ids = (seen.body.items as MacroBody[]).map((macro) => macro.id);
    expect(ids).toContain('vip-callback');
    expect(ids).not.toContain('saying-no');
    expect((seen.body.items as MacroBody[]).find((macro) => macro.id === 'checking')!.text.en).toBe('{{agentName}} is on it; you hear from us by {{replyBy}}.');

    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const reply = await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'We will call you back shortly.', macroId: 'vip-callback' } });
    expect(reply.status).toBe(200);
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored).toMatchObject({ priority: 'P2', tags: expect.arrayContaining(['callback']) });
    // A macro the supervisor removed is no longer one an agent can send.
    expect((await call(runtime, ticket.assignee!, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { body: { text: 'No.', macroId: 'saying-no' } })).status).toBe(400);

    const audit = await call(runtime, 'sam', 'GET', '/api/v1/macros/audit');
    expect(audit.body.items).toEqual([expect.objectContaining({ version: 1, by: 'sam', note: 'VIP call-back macro', ids: expect.arrayContaining(['vip-callback']) })]);
  });

  it('refuses an agent, a save over a newer version, an unknown placeholder and a repeated id', async () => {
    const runtime = await testRuntime();
    const items = (await call(runtime, 'sam', 'GET', '/api/v1/macros')).body.items as MacroBody[];
    expect((await call(runtime, 'alice', 'PUT', '/api/v1/macros', { body: { items, version: 0 } })).status).toBe(403);
    expect((await call(runtime, 'alice', 'GET', '/api/v1/macros/audit')).status).toBe(403);

    const unknown = structuredClone(items);
    unknown[0]!.text.en = 'Dear {{customerName}}, {{summary}}';
    const refused = await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items: unknown, version: 0 } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('unknown placeholder');
    const repeated = await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items: [...items, items[0]], version: 0 } });
    expect(repeated.status).toBe(400);

    expect((await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items: items.slice(1), version: 0 } })).status).toBe(200);
    // Another supervisor still editing version 0 does not overwrite the save.
    const stale = await call(runtime, 'sam', 'PUT', '/api/v1/macros', { body: { items, version: 0 } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('settings-changed');
    expect(((await call(runtime, 'alice', 'GET', '/api/v1/macros')).body.items as MacroBody[]).map((macro) => macro.id)).toEqual(items.slice(1).map((macro) => macro.id));
  });
});

describe('agent API: collision presence', () => {
  it('tells each agent who else has the ticket open and who is replying, until they leave', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const path = `/api/v1/tickets/${ticket.ticketNo}/presence`;

    const first = await call(runtime, 'alice', 'POST', path, { body: { activity: 'viewing' } });
    expect(first).toMatchObject({ status: 200, body: { others: [], version: expect.any(Number), messageCount: 1 } });
    await call(runtime, 'bob', 'POST', path, { body: { activity: 'replying' } });
    const seen = await call(runtime, 'alice', 'POST', path, { body: { activity: 'replying' } });
    expect(seen.body.others).toEqual([expect.objectContaining({ agentId: 'bob', name: 'Bob Li', activity: 'replying' })]);

    // Bob's console stops beating: after the entry's 30 s he is gone.
    runtime.clock.advanceMinutes(1);
    const later = await call(runtime, 'alice', 'POST', path, { body: { activity: 'replying' } });
    expect(later.body.others).toEqual([]);
  });

  it("answers another team's ticket as missing", async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    expect((await call(runtime, 'carol', 'POST', `/api/v1/tickets/${ticket.ticketNo}/presence`, { body: { activity: 'viewing' } })).status).toBe(404);
  });
});
