import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, ValidationError } from '../../../shared/services/errors.js';
import type { Runtime } from '../../../shared/services/context.js';
import { InvalidStoredSettingsError, SettingsDocumentService, changedFields, invalidateSettings, type SettingsDefinition } from '../../../shared/services/settings.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';

/** Integration on DynamoDB Local: the one versioned settings-document mechanism every editable setting uses. */

const greetingsSchema = z.strictObject({
  greeting: z.string().min(1).max(200),
  teams: z.array(z.string()).default([]),
  limit: z.number().int().min(1).default(5),
});
type Greetings = z.infer<typeof greetingsSchema>;

const definition: SettingsDefinition<Greetings> = {
  name: 'greetings',
  schema: greetingsSchema,
  defaults: () => ({ greeting: 'Hello', teams: [], limit: 5 }),
  check: (body, runtime) =>
    body.teams.flatMap((team, index) => (runtime.config.teams.some((known) => known.id === team) ? [] : [{ field: `teams.${index}`, message: `unknown team "${team}"` }])),
};

/** A second function (another Lambda container) on the same table: its own runtime object, so its own cache. */
const otherProcess = (runtime: TestRuntime): Runtime => ({ ...runtime });

describe('settings documents', { timeout: 300_000 }, () => {
  describe('read and save', () => {
    it('answers the defaults at version 0 until the first save, then the saved body at version 1', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      expect(await service.read()).toEqual({ name: 'greetings', version: 0, body: { greeting: 'Hello', teams: [], limit: 5 } });

      const saved = await service.save({ greeting: 'Good morning' }, 0, 'alice');
      expect(saved).toMatchObject({ version: 1, body: { greeting: 'Good morning', teams: [], limit: 5 }, updatedBy: 'alice', updatedAt: '2024-05-20T02:00:00.000Z' });
      expect(await new SettingsDocumentService(otherProcess(runtime), definition).read()).toEqual(saved);
    });

    it('keeps every save in the audit trail, newest first, with the changed fields and the whole body', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      await service.save({ greeting: 'Good morning' }, 0, 'alice', 'first wording');
      runtime.clock.advanceMinutes(5);
      await service.save({ greeting: 'Good morning', teams: ['technical'], limit: 9 }, 1, 'bob');

      const audit = await service.audit();
      expect(audit.map((entry) => [entry.version, entry.by, entry.changed])).toEqual([
        [2, 'bob', ['limit', 'teams']],
        [1, 'alice', ['greeting']],
      ]);
      expect(audit[0]).toMatchObject({ at: '2024-05-20T02:05:00.000Z', body: { greeting: 'Good morning', teams: ['technical'], limit: 9 } });
      expect(audit[1]?.note).toBe('first wording');
    });

    it('refuses a save over a version the editor did not see, and keeps the document and its trail as they were', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      await service.save({ greeting: 'One' }, 0, 'alice');
      await service.save({ greeting: 'Two' }, 1, 'bob');

      const stale = service.save({ greeting: 'Stale' }, 1, 'carol');
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toMatchObject({ code: 'settings-changed' });
      await expect(service.save({ greeting: 'Too new' }, 0, 'carol')).rejects.toMatchObject({ code: 'settings-changed' });
      expect((await service.read()).body.greeting).toBe('Two');
      expect(await service.audit()).toHaveLength(2);
    });

    it('lets exactly one of two editors who saw the same version save', async () => {
      const runtime = await testRuntime();
      await new SettingsDocumentService(runtime, definition).save({ greeting: 'Base' }, 0, 'alice');
      const outcomes = await Promise.allSettled(
        ['A', 'B', 'C'].map((greeting) => new SettingsDocumentService(otherProcess(runtime), definition).save({ greeting }, 1, `editor-${greeting}`)),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected')) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      const service = new SettingsDocumentService(runtime, definition);
      expect((await service.read()).version).toBe(2);
      expect(await service.audit()).toHaveLength(2);
    });

    it('names every invalid field, checks what needs the desk (unknown team), and stores nothing', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      const invalid = await service.save({ greeting: '', limit: 0, extra: true }, 0, 'alice').catch((error: unknown) => error);
      expect(invalid).toBeInstanceOf(ValidationError);
      expect((invalid as ValidationError).fields.map((field) => field.field).sort()).toEqual(['(body)', 'greeting', 'limit']);
      const unknownTeam = await service.save({ greeting: 'Hi', teams: ['technical', 'nobody'] }, 0, 'alice').catch((error: unknown) => error);
      expect((unknownTeam as ValidationError).fields).toEqual([{ field: 'teams.1', message: 'unknown team "nobody"' }]);
      expect((await service.read()).version).toBe(0);
      expect(await service.audit()).toEqual([]);
    });

    it('refuses a body too large for one item instead of failing in DynamoDB', async () => {
      const runtime = await testRuntime();
      const big = new SettingsDocumentService(runtime, { name: 'big', schema: z.object({ text: z.string() }), defaults: () => ({ text: '' }) });
      const error = await big.save({ text: '字'.repeat(110_000) }, 0, 'alice').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields[0]?.message).toMatch(/330\d{3} bytes as JSON; at most 307200 fit/);
      expect((await big.read()).version).toBe(0);
    });

    it('does not write a new version for a save that changes nothing', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      await service.save({ greeting: 'Same' }, 0, 'alice');
      expect((await service.save({ greeting: 'Same', teams: [], limit: 5 }, 1, 'bob')).version).toBe(1);
      expect(await service.audit()).toHaveLength(1);
    });

    it('keeps bodies exactly as saved (empty keys, deep nesting, large numbers, non-ASCII)', async () => {
      const runtime = await testRuntime();
      const free = new SettingsDocumentService(runtime, { name: 'free-form', schema: z.record(z.string(), z.unknown()), defaults: () => ({}) });
      let deep: unknown = { leaf: '叶' };
      for (let level = 0; level < 40; level += 1) deep = { level: deep };
      const body = { '': 'empty key', deep, big: 9007199254740991, fraction: 0.1 + 0.2, text: '退款 / refund 💬' };
      await free.save(body, 0, 'alice');
      expect((await free.read()).body).toEqual(body);
    });

    it('reports a stored body the schema no longer accepts instead of running on it', async () => {
      const runtime = await testRuntime();
      await runtime.store.documentClient.send(
        new PutCommand({
          TableName: runtime.store.tableName,
          Item: { pk: 'SETTINGS', sk: 'greetings', entity: 'settings', name: 'greetings', version: 3, body: JSON.stringify({ greeting: 42 }), updatedAt: 'x', updatedBy: 'y' },
        }),
      );
      const error = await new SettingsDocumentService(runtime, definition).read().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidStoredSettingsError);
      expect((error as InvalidStoredSettingsError).fields[0]?.field).toBe('greeting');
    });

    it('refuses a document name that is not lower-case words', async () => {
      const runtime = await testRuntime();
      expect(() => new SettingsDocumentService(runtime, { ...definition, name: 'AGENT#x' })).toThrow(/lower-case/);
    });
  });

  describe('seed', () => {
    it('saves version 1 once; an existing document always wins', async () => {
      const runtime = await testRuntime();
      const service = new SettingsDocumentService(runtime, definition);
      expect(await service.seed({ greeting: 'From the config file' }, 'deploy')).toBe(true);
      expect(await service.seed({ greeting: 'Again' }, 'deploy')).toBe(false);
      await service.save({ greeting: 'Edited' }, 1, 'alice');
      expect(await service.seed({ greeting: 'Third' }, 'deploy')).toBe(false);
      expect((await service.read()).body.greeting).toBe('Edited');
      expect((await service.audit()).map((entry) => entry.note ?? '')).toEqual(['', 'seeded']);
    });

    it('lets one of several processes seeding at once win, the others report false', async () => {
      const runtime = await testRuntime();
      const results = await Promise.all(['a', 'b', 'c'].map((who) => new SettingsDocumentService(otherProcess(runtime), definition).seed({ greeting: who }, who)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('current (the cached read)', () => {
    it('answers from its copy within the time to live, and reads again after it', async () => {
      const runtime = await testRuntime();
      const reader = new SettingsDocumentService(runtime, definition);
      const editor = new SettingsDocumentService(otherProcess(runtime), definition);
      expect((await reader.current({ now: 0 })).greeting).toBe('Hello');
      await editor.save({ greeting: 'Edited elsewhere' }, 0, 'alice');

      // Another function's save reaches this one only after the time to live...
      expect((await reader.current({ now: 10_000, ttlMs: 30_000 })).greeting).toBe('Hello');
      // ...then the stale copy answers once while the table is read in the background...
      expect((await reader.current({ now: 31_000, ttlMs: 30_000 })).greeting).toBe('Hello');
      // ...and the read's result answers from then on, once it has come back (a fixed pause lost that
      // race on a busy machine, where one DynamoDB Local read can take longer).
      await expect.poll(async () => (await reader.current({ now: 31_500, ttlMs: 30_000 })).greeting, { timeout: 30_000 }).toBe('Edited elsewhere');
    });

    it('shares one copy between services of the same runtime, and applies its own save at once', async () => {
      const runtime = await testRuntime();
      await new SettingsDocumentService(runtime, definition).current();
      const saved = await new SettingsDocumentService(runtime, definition).save({ greeting: 'Now' }, 0, 'alice');
      expect(await new SettingsDocumentService(runtime, definition).currentView()).toEqual(saved);
    });

    it('keeps the last good copy when a refresh fails, and waits for the read after an invalidation', async () => {
      const runtime = await testRuntime();
      const reader = new SettingsDocumentService(runtime, definition);
      await reader.save({ greeting: 'Good' }, 0, 'alice');
      const original = runtime.store.getSettingsDocument;
      runtime.store.getSettingsDocument = async () => {
        throw new Error('table unreachable');
      };
      try {
        expect((await reader.current({ now: Date.now() + 60_000 })).greeting).toBe('Good');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect((await reader.current({ now: Date.now() + 120_000 })).greeting).toBe('Good');
        invalidateSettings(runtime, 'greetings');
        await expect(reader.current()).rejects.toThrow('table unreachable');
      } finally {
        runtime.store.getSettingsDocument = original;
      }
      expect((await reader.current()).greeting).toBe('Good');
    });
  });

  describe('changedFields', () => {
    it('lists the top-level fields whose value differs, and (body) for a body that is not an object', () => {
      expect(changedFields({ a: 1, b: [1], c: 'x' }, { a: 1, b: [1, 2], d: true })).toEqual(['b', 'c', 'd']);
      expect(changedFields(undefined, { a: 1 })).toEqual(['a']);
      expect(changedFields([1], [2])).toEqual(['(body)']);
      expect(changedFields('x', 'x')).toEqual([]);
    });
  });
});
