import { describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { LocalFileLinks, readUploadPost, uploadRefusalRedirect } from '../../local/file-links.js';
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

async function setUp(options: { onCapacity?: (operation: string) => void } = {}) {
  const runtime = await testRuntime(options);
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

  it('adds every file sent with one form (the customer went back and sent another), each once', async () => {
    const { runtime, links, ticket, path } = await setUp();
    const page = String((await call(runtime, 'GET', path)).body);
    const first = await submitFile(runtime, links, page, PNG, 'shot.png');
    expect((await call(runtime, 'GET', path, Object.fromEntries(new URL(first).searchParams))).statusCode).toBe(303);
    // Back to the same page (same form), another file whose name sorts first.
    const second = await submitFile(runtime, links, page, Buffer.concat([PNG, Buffer.from('other')]), 'a-receipt.png');
    expect((await call(runtime, 'GET', path, Object.fromEntries(new URL(second).searchParams))).statusCode).toBe(303);
    expect((await call(runtime, 'GET', path, Object.fromEntries(new URL(second).searchParams))).statusCode).toBe(303);
    const names = (await runtime.store.getTicketRecords(ticket.ticketNo))!.messages.flatMap((message) => message.attachments.map((file) => file.name));
    expect(names.sort()).toEqual(['a-receipt.png', 'shot.png']);
  });

  it('answers a forged upload id with an error, not a file', async () => {
    const { runtime, path } = await setUp();
    expect((await call(runtime, 'GET', path, { upload: 'AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(400);
    expect((await call(runtime, 'GET', path, { upload: '../../inbound/x' })).statusCode).toBe(400);
  });

  it('a view writes nothing to the table however often it is loaded, and still offers the form', async () => {
    const writes: string[] = [];
    const { runtime, path } = await setUp({ onCapacity: (operation) => (/Put|Update|Delete|Write/.test(operation) ? writes.push(operation) : undefined) });
    writes.length = 0;
    for (let i = 0; i < CUSTOMER_UPLOADS_PER_HOUR + 5; i += 1) {
      const page = await call(runtime, 'GET', path);
      expect(page.statusCode).toBe(200);
      expect(String(page.body)).toContain('multipart/form-data');
    }
    expect(writes).toEqual([]);
  });

  it("stops offering the form once the link added its hour's files, and refuses one more with the reason", async () => {
    const { runtime, links, ticket, path } = await setUp();
    const spare = String((await call(runtime, 'GET', path)).body);
    for (let i = 0; i < CUSTOMER_UPLOADS_PER_HOUR; i += 1) {
      const redirect = await submitFile(runtime, links, String((await call(runtime, 'GET', path)).body), PNG, `shot-${i}.png`);
      expect((await call(runtime, 'GET', path, Object.fromEntries(new URL(redirect).searchParams))).statusCode).toBe(303);
    }
    const page = String((await call(runtime, 'GET', path)).body);
    expect(page).not.toContain('multipart/form-data');
    expect(page).toContain('reached its uploads for this hour');

    // A form signed before the limit was reached: the file comes back, and is not added.
    const late = await submitFile(runtime, links, spare, PNG, 'one-more.png');
    const refused = await call(runtime, 'GET', path, Object.fromEntries(new URL(late).searchParams));
    expect(refused.statusCode).toBe(429);
    expect(String(refused.body)).toContain('reached its uploads for this hour');
    const files = (await runtime.store.getTicketRecords(ticket.ticketNo))!.messages.flatMap((message) => message.attachments);
    expect(files).toHaveLength(CUSTOMER_UPLOADS_PER_HOUR);

    // An hour later the form is back.
    runtime.clock.advanceMinutes(61);
    expect(String((await call(runtime, 'GET', path)).body)).toContain('multipart/form-data');
  });

  it('refuses a file over 5 MB on the page, in the customer\'s words, instead of leaving it to the file store', async () => {
    const { runtime, links, ticket, path } = await setUp();
    const big = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024, 7)]);
    const redirect = await submitFile(runtime, links, String((await call(runtime, 'GET', path)).body), big, 'photo.png');
    const page = await call(runtime, 'GET', path, Object.fromEntries(new URL(redirect).searchParams));
    expect(page.statusCode).toBe(400);
    expect(String(page.body)).toContain('The file is larger than 5 MB.');
    expect((await runtime.store.getTicketRecords(ticket.ticketNo))!.messages.flatMap((message) => message.attachments)).toEqual([]);
  });

  it("words the file store's own refusals on the page (the local runtime sends the browser back with the reason)", async () => {
    const { runtime, path } = await setUp();
    const back = new URL(uploadRefusalRedirect(`http://127.0.0.1:3000${path}?upload=abcdefghijklmnopqrst`, 'EntityTooLarge'));
    expect(back.pathname).toBe(path);
    expect(back.searchParams.get('upload')).toBeNull();
    const tooLarge = await call(runtime, 'GET', path, Object.fromEntries(back.searchParams));
    expect(tooLarge.statusCode).toBe(400);
    expect(String(tooLarge.body)).toContain('The file is larger than 5 MB.');
    expect(String((await call(runtime, 'GET', path, { refused: 'AccessDenied' })).body)).toContain('The upload form had expired');
    // Anything else, forged or unknown, gets the general sentence and nothing of what was sent.
    const forged = String((await call(runtime, 'GET', path, { refused: '<script>alert(1)</script>' })).body);
    expect(forged).toContain('The file could not be kept; please try again.');
    expect(forged).not.toContain('<script>alert');
  });
});
