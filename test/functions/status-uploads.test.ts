import { describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { LocalFileLinks, readUploadPost } from '../../local/file-links.js';
import { CUSTOMER_UPLOADS_PER_HOUR } from '../../shared/domain/uploads.js';
import { signSurveyToken } from '../../shared/domain/survey.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { HttpResult } from '../../shared/http/events.js';
import { httpEvent, testContext } from '../support/http.js';
import { TEST_LINK_KEYS, testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

function statusPath(ticket: Ticket): string {
  return `/status/${signSurveyToken({ ticketNo: ticket.ticketNo, purpose: 'status', expiresAt: new Date(Date.parse(ticket.createdAt) + 30 * 86_400_000).toISOString() }, TEST_LINK_KEYS)}`;
}

async function call(runtime: TestRuntime, method: string, path: string, query?: Record<string, string>): Promise<HttpResult> {
  return (await createSurveyHandler(async () => runtime)(httpEvent(method, path, { query }), testContext)) as HttpResult;
}

const attr = (page: string, name: string) => [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].find((match) => match[1] === name)?.[2]?.replace(/&amp;/g, '&');

/** The customer picks a file on the page and presses Upload: the multipart POST the local runtime's /uploads/ answers. */
async function submitFile(runtime: TestRuntime, links: LocalFileLinks, page: string, bytes: Buffer, filename: string): Promise<string> {
  const action = /<form class="card" method="post" action="([^"]+)" enctype="multipart\/form-data">/.exec(page)?.[1];
  expect(action).toBeDefined();
  const rules = links.verifyUpload(action!.slice('/uploads/'.length))!;
  const data = new FormData();
  data.append('key', String(attr(page, 'key')));
  data.append('success_action_redirect', String(attr(page, 'success_action_redirect')));
  data.append('file', new Blob([bytes]), filename);
  const request = new Request('http://local/upload', { method: 'POST', body: data });
  const posted = await readUploadPost(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type') ?? '', rules);
  if (!posted.ok) throw new Error(posted.code);
  await runtime.mailBlobs.put(posted.key, posted.bytes);
  return rules.redirect!;
}

async function setUp() {
  const runtime = await testRuntime();
  const links = new LocalFileLinks('test-file-link-secret');
  runtime.mailBlobs = links.withLinks(runtime.mailBlobs);
  const ticket = await createTicket(runtime, { description: 'Payment failed at checkout', language: 'en' });
  return { runtime, links, ticket, path: statusPath(ticket) };
}

describe('status page: adding a file', () => {
  it("offers a plain form that uploads to the blob store and comes back; the file joins the ticket as the customer's", async () => {
    const { runtime, links, ticket, path } = await setUp();
    const page = await call(runtime, 'GET', path);
    expect(page.statusCode).toBe(200);
    expect(String(page.body)).toContain('Add a file');
    expect(String(page.body)).not.toContain('<script');
    const redirect = await submitFile(runtime, links, String(page.body), PNG, '../../截图.png');
    const back = new URL(redirect);
    expect(back.pathname).toBe(path);

    const done = await call(runtime, 'GET', path, Object.fromEntries(back.searchParams));
    expect(done).toMatchObject({ statusCode: 303, headers: { location: `${path}?added=file` } });
    // The redirect may be loaded twice (a reload, a back button): the file is added once.
    expect((await call(runtime, 'GET', path, Object.fromEntries(back.searchParams))).statusCode).toBe(303);

    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const added = records!.messages.filter((message) => message.flags.includes('file'));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ direction: 'inbound', author: 'customer', attachments: [expect.objectContaining({ name: '截图.png', contentType: 'image/png', size: PNG.length, flags: [] })] });
    expect(Buffer.compare((await runtime.mailBlobs.get(added[0]!.attachments[0]!.storageKey!))!, PNG)).toBe(0);
    const shown = await call(runtime, 'GET', path, { added: 'file' });
    expect(String(shown.body)).toContain('Thank you, we have your file.');
    expect(String(shown.body)).toContain('截图.png');
  });

  it('refuses a file whose content is not what its name says, and keeps a flagged one without its bytes', async () => {
    const { runtime, links, ticket, path } = await setUp();
    const svg = await submitFile(runtime, links, String((await call(runtime, 'GET', path)).body), Buffer.from('<svg onload="alert(1)"/>'), 'shot.png');
    const refused = await call(runtime, 'GET', path, Object.fromEntries(new URL(svg).searchParams));
    expect(refused.statusCode).toBe(400);
    expect(String(refused.body)).toContain('does not match its name');

    const eicar = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    const flagged = await submitFile(runtime, links, String((await call(runtime, 'GET', path)).body), eicar, 'notes.txt');
    expect((await call(runtime, 'GET', path, Object.fromEntries(new URL(flagged).searchParams))).statusCode).toBe(303);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const files = records!.messages.flatMap((message) => message.attachments);
    expect(files).toEqual([expect.objectContaining({ name: 'notes.txt', flags: ['virus'] })]);
    expect(files[0]!.storageKey).toBeUndefined();
    expect(String((await call(runtime, 'GET', path)).body)).toContain('withheld: flagged as a virus');
  });

  it('answers a forged upload id with an error, not a file', async () => {
    const { runtime, path } = await setUp();
    expect((await call(runtime, 'GET', path, { upload: 'AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(400);
    expect((await call(runtime, 'GET', path, { upload: '../../inbound/x' })).statusCode).toBe(400);
  });

  it('stops offering upload forms to one status link after its hourly allowance', async () => {
    const { runtime, path } = await setUp();
    for (let i = 0; i < CUSTOMER_UPLOADS_PER_HOUR; i += 1) await call(runtime, 'GET', path);
    const page = String((await call(runtime, 'GET', path)).body);
    expect(page).not.toContain('multipart/form-data');
    expect(page).toContain('reached its uploads for this hour');
  });
});
