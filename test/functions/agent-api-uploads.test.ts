import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { LocalFileLinks, readUploadPost } from '../../local/file-links.js';
import { MAX_UPLOAD_BYTES } from '../../shared/domain/uploads.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket, sendQueued } from '../support/tickets.js';
import { callAgentApi } from '../support/agent-api.js';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { smsSegments } from '../../shared/services/channels/sms.js';
import type { HttpResult } from '../../shared/http/events.js';
import { httpEvent, testContext } from '../support/http.js';

/** What the customer's phone does with the text's link: opens the status page (or one of its downloads). */
async function openStatus(runtime: TestRuntime, path: string, query?: Record<string, string>): Promise<HttpResult> {
  return (await createSurveyHandler(async () => runtime)(httpEvent('GET', path, { query }), testContext)) as HttpResult;
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

async function call(runtime: TestRuntime, agentId: string, method: string, path: string, body?: unknown) {
  return callAgentApi(runtime, agentId, method, path, { body });
}

/** What a browser does with an upload form: a multipart POST, here answered by the local runtime's `/uploads/` logic. */
async function upload(runtime: TestRuntime, links: LocalFileLinks, form: Record<string, unknown>, bytes: Buffer, filename: string, fieldOverrides: Record<string, string> = {}) {
  const data = new FormData();
  for (const [name, value] of Object.entries({ ...(form.fields as Record<string, string>), ...fieldOverrides })) data.append(name, value);
  data.append('file', new Blob([bytes]), filename);
  const request = new Request('http://local/upload', { method: 'POST', body: data });
  const rules = links.verifyUpload(String(form.url).slice('/uploads/'.length));
  if (!rules) return { status: 403, code: 'AccessDenied' };
  const posted = await readUploadPost(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type') ?? '', rules);
  if (!posted.ok) return posted;
  await runtime.mailBlobs.put(posted.key, posted.bytes, rules.contentType);
  return { status: 204 };
}

async function setUp() {
  const runtime = await testRuntime();
  const links = new LocalFileLinks('test-file-link-secret');
  runtime.mailBlobs = links.withLinks(runtime.mailBlobs);
  const ticket = await createTicket(runtime, { description: 'Payment failed on checkout, card was charged' });
  await sendQueued(runtime);
  runtime.mailer.raw.length = 0;
  const agent = ticket.assignee!;
  return { runtime, links, ticket, agent };
}

describe('agent API: attaching files to a reply', () => {
  it('uploads a file through the form, sends it as a MIME part and keeps it on the timeline with a link', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: '屏幕截图 "1".png', size: PNG.length });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ contentType: 'image/png', maxBytes: PNG.length });
    expect(await upload(runtime, links, form.body, PNG, 'whatever.png')).toEqual({ status: 204 });

    const reply = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'Here is where to click.', attachments: [form.body.uploadId] });
    expect(reply.status).toBe(200);
    await sendQueued(runtime);

    expect(runtime.mailer.raw).toHaveLength(1);
    const mail = await simpleParser(runtime.mailer.raw[0]!.raw);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: '屏幕截图 _1_.png', contentType: 'image/png' });
    expect(Buffer.compare(mail.attachments[0]!.content, PNG)).toBe(0);
    expect(mail.text).toContain('Here is where to click.');

    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const sent = records!.messages.find((message) => message.direction === 'outbound' && message.flags.includes('reply'))!;
    expect(sent.attachments).toEqual([expect.objectContaining({ name: '屏幕截图 _1_.png', contentType: 'image/png', size: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), storageKey: expect.stringMatching(new RegExp(`^attachments/CS\\d+/${String(form.body.uploadId)}/屏幕截图 _1_\\.png$`)) })]);
    const link = await call(runtime, agent, 'GET', `/api/v1/tickets/${ticket.ticketNo}/messages/${sent.messageId}/attachments/0`);
    expect(link.body).toMatchObject({ inline: true, contentType: 'image/png' });
    const served = links.verify(String(link.body.url).slice('/files/'.length))!;
    expect(Buffer.compare((await runtime.mailBlobs.get(served.key))!, PNG)).toBe(0);
  });

  it('refuses names, sizes and contents it does not take, before anything is sent', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const path = `/api/v1/tickets/${ticket.ticketNo}/uploads`;
    for (const name of ['page.html', 'icon.svg', 'setup.exe', 'run.js', 'noextension']) {
      const refused = await call(runtime, agent, 'POST', path, { name, size: 10 });
      expect(refused.status, name).toBe(400);
      expect(JSON.stringify(refused.body.errors)).toContain('upload-type-not-allowed');
    }
    expect((await call(runtime, agent, 'POST', path, { name: 'big.pdf', size: MAX_UPLOAD_BYTES + 1 })).status).toBe(400);

    // An HTML page named .png: the form takes it (it cannot see inside), the reply does not.
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const disguised = await call(runtime, agent, 'POST', path, { name: 'shot.png', size: html.length });
    await upload(runtime, links, disguised.body, html, 'shot.png');
    const mismatch = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'see attached', attachments: [disguised.body.uploadId] });
    expect(mismatch.status).toBe(400);
    expect(JSON.stringify(mismatch.body.errors)).toContain('upload-type-mismatch');

    const virus = await call(runtime, agent, 'POST', path, { name: 'notes.txt', size: EICAR.length });
    await upload(runtime, links, virus.body, EICAR, 'notes.txt');
    const infected = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'see attached', attachments: [virus.body.uploadId] });
    expect(infected).toMatchObject({ status: 409, body: { code: 'attachment-infected' } });

    const missing = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'see attached', attachments: ['AAAAAAAAAAAAAAAAAAAAAAAA'] });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('upload-missing');
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'x', attachments: ['../../etc/passwd'] })).status).toBe(400);

    await sendQueued(runtime);
    expect(runtime.mailer.raw).toHaveLength(0);
  });

  it('leaves no copy under attachments/ when the reply is refused after its files were checked', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: 'steps.png', size: PNG.length });
    await upload(runtime, links, form.body, PNG, 'steps.png');
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/resolve`, { summary: 'Refunded the double charge' })).status).toBe(200);
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/close`, {})).status).toBe(200);

    const refused = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'One more thing.', attachments: [form.body.uploadId] });
    expect(refused.status).toBe(409);
    expect(await runtime.mailBlobs.list!(`attachments/${ticket.ticketNo}/`)).toEqual([]);
    // The pending upload is still there for a retry (the bucket's lifecycle rule removes it after a day).
    expect(await runtime.mailBlobs.list!(`uploads/${ticket.ticketNo}/${String(form.body.uploadId)}/`)).toHaveLength(1);
    await sendQueued(runtime);
    expect(runtime.mailer.raw.filter((mail) => mail.envelope.to.includes('amy@example.com') && mail.raw.includes('One more thing'))).toEqual([]);
  });

  it('holds the browser to the form: its size, its type, its key, its expiry', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: 'shot.png', size: PNG.length });
    expect(await upload(runtime, links, form.body, Buffer.concat([PNG, Buffer.alloc(10)]), 'shot.png')).toMatchObject({ ok: false, code: 'EntityTooLarge' });
    expect(await upload(runtime, links, form.body, PNG, 'shot.png', { 'Content-Type': 'text/html' })).toMatchObject({ ok: false, status: 403 });
    expect(await upload(runtime, links, form.body, PNG, 'shot.png', { key: 'attachments/elsewhere/shot.png' })).toMatchObject({ ok: false, status: 403 });
    const forged = { ...form.body, url: String(form.body.url).replace(/.$/, (char) => (char === 'A' ? 'B' : 'A')) };
    expect(await upload(runtime, links, forged, PNG, 'shot.png')).toMatchObject({ status: 403 });
    const later = new LocalFileLinks('test-file-link-secret', () => new Date(Date.now() + 3600_000));
    expect(later.verifyUpload(String(form.body.url).slice('/uploads/'.length))).toBeUndefined();
  });

  it('sends files with a plan and with a request for information, as a reply sends them', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const uploaded = async (name: string, bytes: Buffer) => {
      const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name, size: bytes.length });
      expect(await upload(runtime, links, form.body, bytes, name)).toEqual({ status: 204 });
      return String(form.body.uploadId);
    };
    const guide = Buffer.from('1. Open Settings\n2. Clear the card\n3. Pay again\n');

    const plan = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/plan`, { text: 'Workaround: pay with the steps attached.', attachments: [await uploaded('workaround.txt', guide)] });
    expect(plan.status).toBe(200);
    await sendQueued(runtime);
    const wait = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/wait-on-customer`, {
      missing: 'A screenshot of the payment page, like the example attached',
      why: 'to see which card was charged',
      attachments: [await uploaded('example.png', PNG)],
    });
    expect(wait).toMatchObject({ status: 200, body: { status: 'waiting-on-customer' } });
    await sendQueued(runtime);

    const mails = await Promise.all(runtime.mailer.raw.filter((mail) => mail.envelope.to.includes('amy@example.com')).map((mail) => simpleParser(mail.raw)));
    const planMail = mails.find((mail) => mail.text?.includes('Workaround: pay with the steps attached.'));
    const waitMail = mails.find((mail) => mail.text?.includes('like the example attached'));
    expect(planMail?.attachments.map((file) => [file.filename, file.contentType, file.content.toString('utf8')])).toEqual([['workaround.txt', 'text/plain', guide.toString('utf8')]]);
    expect(waitMail?.attachments.map((file) => [file.filename, file.contentType, Buffer.compare(file.content, PNG)])).toEqual([['example.png', 'image/png', 0]]);

    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const sent = (flag: string) => records!.messages.find((message) => message.direction === 'outbound' && message.flags.includes(flag))!;
    expect(sent('plan').attachments.map((file) => file.name)).toEqual(['workaround.txt']);
    expect(sent('waiting-on-customer').attachments.map((file) => file.name)).toEqual(['example.png']);
    const link = await call(runtime, agent, 'GET', `/api/v1/tickets/${ticket.ticketNo}/messages/${sent('waiting-on-customer').messageId}/attachments/0`);
    expect(link).toMatchObject({ status: 200, body: { name: 'example.png', contentType: 'image/png', inline: true } });
  });

  it('refuses files on a plan or a request for information as on a reply, and keeps no copy of a refused one', async () => {
    const { runtime, links, ticket, agent } = await setUp();
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: 'example.png', size: PNG.length });
    await upload(runtime, links, form.body, PNG, 'example.png');
    const uploadId = String(form.body.uploadId);
    const path = (action: string) => `/api/v1/tickets/${ticket.ticketNo}/${action}`;

    // Someone who may not ask the customer for anything (QA) gets no file copied.
    expect((await call(runtime, 'quinn', 'POST', path('wait-on-customer'), { missing: 'order number', attachments: [uploadId] })).status).toBe(403);
    // A missing upload, an id that is not one, a file twice.
    expect(JSON.stringify((await call(runtime, agent, 'POST', path('plan'), { text: 'steps', attachments: ['AAAAAAAAAAAAAAAAAAAAAAAA'] })).body.errors)).toContain('upload-missing');
    expect((await call(runtime, agent, 'POST', path('wait-on-customer'), { missing: 'x', attachments: ['../../etc/passwd'] })).status).toBe(400);
    expect((await call(runtime, agent, 'POST', path('plan'), { text: 'steps', attachments: [uploadId, uploadId] })).status).toBe(400);
    expect(await runtime.mailBlobs.list!(`attachments/${ticket.ticketNo}/`)).toEqual([]);

    // Checked and copied, then refused by the lifecycle (a resolved ticket waits on nobody): the copy goes again.
    expect((await call(runtime, agent, 'POST', path('resolve'), { summary: 'Refunded the double charge' })).status).toBe(200);
    await sendQueued(runtime);
    runtime.mailer.raw.length = 0;
    expect((await call(runtime, agent, 'POST', path('wait-on-customer'), { missing: 'a screenshot', attachments: [uploadId] })).status).toBe(409);
    expect((await call(runtime, agent, 'POST', path('plan'), { text: 'steps', attachments: [uploadId] })).status).toBe(409);
    expect(await runtime.mailBlobs.list!(`attachments/${ticket.ticketNo}/`)).toEqual([]);
    expect(await runtime.mailBlobs.list!(`uploads/${ticket.ticketNo}/${uploadId}/`)).toHaveLength(1);
    await sendQueued(runtime);
    expect(runtime.mailer.raw).toEqual([]);
  });

  it('refuses files for a customer who left no mail address and no number a text can reach, with nothing copied', async () => {
    const { runtime, links } = await setUp();
    // A landline without a country code: no text message can reach it.
    const landline = await createTicket(runtime, { customer: { name: '李雷', phone: '010-62345678' }, description: '支付失败，卡被扣款了', language: 'zh-CN' });
    const agent = landline.assignee!;
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${landline.ticketNo}/uploads`, { name: 'example.png', size: PNG.length });
    await upload(runtime, links, form.body, PNG, 'example.png');
    for (const [action, body] of [
      ['reply', { text: '请看附件' }],
      ['plan', { text: '请按附件操作' }],
      ['wait-on-customer', { missing: '付款截图' }],
    ] as const) {
      const refused = await call(runtime, agent, 'POST', `/api/v1/tickets/${landline.ticketNo}/${action}`, { ...body, attachments: [form.body.uploadId] });
      expect(refused, action).toMatchObject({ status: 409, body: { code: 'files-need-mail' } });
    }
    expect(await runtime.mailBlobs.list!(`attachments/${landline.ticketNo}/`)).toEqual([]);
    // The words alone are still taken.
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${landline.ticketNo}/wait-on-customer`, { missing: '付款截图' })).status).toBe(200);
  });

  it('sends files to a customer who left only a mobile number as a text with a short-lived link to their status page, where they download them', async () => {
    const { runtime, links, ticket: other } = await setUp();
    const phoneOnly = await createTicket(runtime, { customer: { name: '李雷', phone: '+8613900139000' }, description: '支付失败，卡被扣款了', language: 'zh-CN' });
    await sendQueued(runtime);
    runtime.senders.sms.sent.length = 0;
    runtime.mailer.raw.length = 0;
    const agent = phoneOnly.assignee!;
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${phoneOnly.ticketNo}/uploads`, { name: '操作步骤.png', size: PNG.length });
    await upload(runtime, links, form.body, PNG, '操作步骤.png');
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${phoneOnly.ticketNo}/reply`, { text: '请按截图中的步骤重新绑卡', attachments: [form.body.uploadId] })).status).toBe(200);
    await sendQueued(runtime);

    expect(runtime.mailer.raw).toEqual([]);
    expect(runtime.senders.sms.sent).toHaveLength(1);
    const [sms] = runtime.senders.sms.sent;
    expect(sms!.to).toBe('+8613900139000');
    const base = runtime.config.desk.publicBaseUrl;
    const url = /(\/status\/CS\d{11}\.[0-9a-z]+\.[A-Za-z0-9_-]{22})$/.exec(sms!.text);
    expect(sms!.text).toContain(`${base}/status/`);
    expect(url, sms!.text).not.toBeNull();
    expect(sms!.text).toContain(phoneOnly.ticketNo);
    expect(sms!.text).toContain('1个文件');
    // Room for the whole default desk name in two segments.
    expect(sms!.text).toContain(`【${runtime.config.desk.name['zh-CN']}】`);
    // The desk's words only (the agent's reply is on the page), within two segments.
    expect(sms!.text).not.toContain('绑卡');
    expect(smsSegments(sms!.text).segments).toBeLessThanOrEqual(2);

    const statusPath = url![1]!;
    const page = await openStatus(runtime, statusPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('请按截图中的步骤重新绑卡');
    // The only status link the page (and the timeline) holds is the text's own, short-lived one.
    expect([...String(page.body).matchAll(/\/status\/([A-Za-z0-9_.-]+)/g)].map((match) => match[1]).every((token) => token === statusPath.slice('/status/'.length))).toBe(true);
    const href = /<a href="([^"]+\?file=[^"]+)">操作步骤\.png<\/a>/.exec(String(page.body))?.[1]?.replace(/&amp;/g, '&');
    expect(href, String(page.body)).toBeDefined();
    const download = await openStatus(runtime, statusPath, { file: decodeURIComponent(href!.split('?file=')[1]!) });
    expect(download.statusCode).toBe(303);
    const served = links.verify(String(download.headers?.location).slice('/files/'.length))!;
    expect(Buffer.compare((await runtime.mailBlobs.get(served.key))!, PNG)).toBe(0);
    // Timeline: the message the page shows, flagged as gone by text with a link.
    const records = await runtime.store.getTicketRecords(phoneOnly.ticketNo);
    const sent = records!.messages.find((message) => message.direction === 'outbound' && message.flags.includes('status-link'))!;
    expect(sent.flags).toEqual(expect.arrayContaining(['reply', 'sms']));
    expect(sent.attachments).toHaveLength(1);

    // Forged, altered, or naming a file the page does not list: refused.
    const token = statusPath.slice('/status/'.length);
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await openStatus(runtime, `/status/${forged}`)).statusCode).toBe(400);
    const [no, expiry, mac] = token.split('.');
    expect((await openStatus(runtime, `/status/${no}.${(parseInt(expiry!, 36) + 86_400 * 365).toString(36)}.${mac}`)).statusCode).toBe(400);
    expect((await openStatus(runtime, `/status/${other.ticketNo}.${expiry}.${mac}`)).statusCode).toBe(400);
    expect((await openStatus(runtime, statusPath, { file: `${sent.messageId}.7` })).statusCode).toBe(400);
    // Short-lived: three days.
    runtime.clock.advanceMinutes(72 * 60 + 1);
    expect((await openStatus(runtime, statusPath)).statusCode).toBe(410);
  });

  it('texts one number at most five links an hour; the sixth is not sent and the agents are told why', async () => {
    const { runtime, links } = await setUp();
    const phoneOnly = await createTicket(runtime, { customer: { phone: '13900139000' }, description: 'The app crashes on start', language: 'en' });
    await sendQueued(runtime);
    runtime.senders.sms.sent.length = 0;
    const hour = runtime.clock.now().toISOString().slice(0, 13);
    for (let i = 0; i < 5; i += 1) await runtime.store.countInHour('text-link:+8613900139000', hour, 0);
    const agent = phoneOnly.assignee!;
    const form = await call(runtime, agent, 'POST', `/api/v1/tickets/${phoneOnly.ticketNo}/uploads`, { name: 'steps.png', size: PNG.length });
    await upload(runtime, links, form.body, PNG, 'steps.png');
    expect((await call(runtime, agent, 'POST', `/api/v1/tickets/${phoneOnly.ticketNo}/plan`, { text: 'Reinstall, then sign in', attachments: [form.body.uploadId] })).status).toBe(200);
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent).toEqual([]);
    const records = await runtime.store.getTicketRecords(phoneOnly.ticketNo);
    const note = records!.messages.find((message) => message.flags.includes('not-delivered'));
    expect(note?.direction).toBe('internal');
    expect(note?.text).toMatch(/text messages with a link|带链接的短信/);
  });

  it('gives no upload form to someone who may not reply on the ticket', async () => {
    const { runtime, ticket } = await setUp();
    const outsider = runtime.config.agents.find((agent) => agent.roles.includes('agent') && !agent.roles.includes('supervisor') && agent.team !== ticket.team)!;
    expect((await call(runtime, outsider.id, 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: 'a.png', size: 10 })).status).toBe(404);
    expect((await call(runtime, 'quinn', 'POST', `/api/v1/tickets/${ticket.ticketNo}/uploads`, { name: 'a.png', size: 10 })).status).not.toBe(200);
  });
});
