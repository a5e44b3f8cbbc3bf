import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, TemplateChangedError, type TemplateRecord } from '../../console/src/api.js';

/**
 * The template editor's save (console/src/api.ts `saveTemplateTexts`) against a stand-in of the
 * templates API that keeps one versioned document for every template, as the service does
 * (shared/services/templates.ts): a PUT naming an older version gets 409 `settings-changed`.
 */

type Texts = Record<string, { subject: string; body: string }>;

const DEFAULTS: Texts = { 'zh-CN': { subject: '已收到', body: '您好 {{ticketNo}}' }, en: { subject: 'Received', body: 'Hello {{ticketNo}}' } };

function templatesApi() {
  const desk = { version: 0, edits: {} as Record<string, Texts>, updatedBy: undefined as string | undefined, updatedAt: undefined as string | undefined };
  const puts: Array<{ id: string; body: Record<string, unknown> }> = [];
  const recordOf = (id: string) => {
    const edited = desk.edits[id] ?? {};
    return {
      id,
      audience: 'customer',
      texts: { ...DEFAULTS, ...edited },
      edited,
      version: desk.version,
      ...(desk.updatedBy ? { updatedBy: desk.updatedBy, updatedAt: desk.updatedAt } : {}),
    };
  };
  /** Another supervisor's save, straight into the document. */
  const saveElsewhere = (id: string, language: string, text: { subject: string; body: string }, by = 'sam') => {
    desk.edits[id] = { ...desk.edits[id], [language]: text };
    desk.version += 1;
    desk.updatedBy = by;
    desk.updatedAt = '2026-12-02T03:04:00.000Z';
  };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const id = decodeURIComponent(new URL(url, 'http://desk').pathname.split('/').pop()!);
    if (init.method === 'GET') return json(200, recordOf(id));
    const body = JSON.parse(String(init.body)) as { language: string; subject: string; body: string; version?: number };
    puts.push({ id, body });
    if (body.version !== undefined && body.version !== desk.version) {
      return json(409, { title: 'Conflict', status: 409, code: 'settings-changed', detail: `templates changed since version ${body.version}` });
    }
    saveElsewhere(id, body.language, { subject: body.subject, body: body.body }, 'alice');
    return json(200, recordOf(id));
  });
  return { desk, puts, saveElsewhere };
}

afterEach(() => vi.unstubAllGlobals());

describe("the template editor's save", () => {
  const api = new ApiClient('', () => 'token', () => undefined);
  const edit = (loaded: TemplateRecord, language: string, body: string): Texts => ({ ...loaded.texts, [language]: { subject: loaded.texts[language]!.subject, body } });

  it('sends the version it loaded, and the version its own first language made for the second', async () => {
    const { puts, desk } = templatesApi();
    const loaded = await api.template('acknowledgement');
    const saved = await api.saveTemplateTexts(loaded, { 'zh-CN': { subject: '已收到', body: '您好，工单 {{ticketNo}}' }, en: { subject: 'Received', body: 'Hi, ticket {{ticketNo}}' } });
    expect(puts.map((put) => [put.body.language, put.body.version])).toEqual([
      ['zh-CN', 0],
      ['en', 1],
    ]);
    expect(saved.version).toBe(2);
    expect(desk.edits.acknowledgement?.en?.body).toBe('Hi, ticket {{ticketNo}}');
    expect(saved.overridden).toBe(true);
  });

  it('sends nothing for a language left as it was', async () => {
    const { puts } = templatesApi();
    const loaded = await api.template('acknowledgement');
    await api.saveTemplateTexts(loaded, edit(loaded, 'en', 'Hi {{ticketNo}}'));
    expect(puts.map((put) => put.body.language)).toEqual(['en']);
  });

  it('stops at a save of the same template made meanwhile, writes nothing over it, and names who saved it', async () => {
    const { puts, desk, saveElsewhere } = templatesApi();
    const loaded = await api.template('acknowledgement');
    saveElsewhere('acknowledgement', 'en', { subject: 'Received', body: "Sam's words {{ticketNo}}" });
    const attempt = api.saveTemplateTexts(loaded, edit(loaded, 'en', 'My words {{ticketNo}}'));
    await expect(attempt).rejects.toBeInstanceOf(TemplateChangedError);
    const changed = (await attempt.catch((error: unknown) => error)) as TemplateChangedError;
    expect(changed.latest).toMatchObject({ version: 1, updatedBy: 'sam' });
    expect(changed.latest.texts.en?.body).toBe("Sam's words {{ticketNo}}");
    expect(desk.edits.acknowledgement?.en?.body).toBe("Sam's words {{ticketNo}}");
    expect(desk.version).toBe(1);
    expect(puts).toHaveLength(1);
  });

  it('saves over a save of another template made meanwhile, keeping both', async () => {
    const { puts, desk, saveElsewhere } = templatesApi();
    const loaded = await api.template('acknowledgement');
    saveElsewhere('reply', 'en', { subject: 'Re', body: 'Reply {{ticketNo}}' });
    const saved = await api.saveTemplateTexts(loaded, edit(loaded, 'en', 'My words {{ticketNo}}'));
    expect(puts.map((put) => put.body.version)).toEqual([0, 1]);
    expect(saved.version).toBe(2);
    expect(desk.edits.reply?.en?.body).toBe('Reply {{ticketNo}}');
    expect(desk.edits.acknowledgement?.en?.body).toBe('My words {{ticketNo}}');
  });

  it('passes on any other refusal (a placeholder the API does not know) as it came', async () => {
    templatesApi();
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ title: 'Bad Request', status: 400, code: 'validation', fields: [{ field: 'texts.en', message: 'unknown placeholder {{nosuch}}' }] }), { status: 400 }));
    const loaded = { id: 'acknowledgement', audience: 'customer', texts: DEFAULTS, edited: {}, version: 0, overridden: false } as unknown as TemplateRecord;
    await expect(api.saveTemplateTexts(loaded, edit(loaded, 'en', '{{nosuch}}'))).rejects.toMatchObject({ name: 'ApiError', status: 400 });
  });
});
