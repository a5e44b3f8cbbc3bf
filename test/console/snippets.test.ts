import { describe, expect, it } from 'vitest';
import { fillPlaceholders, insertMacro, missingPlaceholders } from '../../console/src/snippets.js';
import { DEFAULT_MACROS as SNIPPETS } from '../../shared/templates/macros.js';

const values = { customerName: 'Zhang*', agentName: 'Alice Wang', ticketNo: 'CS20240520001', summary: 'cannot log in', replyBy: '20 May 2024, 14:00' };

describe('fillPlaceholders', () => {
  it('replaces each placeholder with its value', () => {
    expect(fillPlaceholders('Hello {{customerName}}, ticket {{ ticketNo }}', values)).toBe('Hello Zhang*, ticket CS20240520001');
  });

  it('leaves no braces behind for an unknown placeholder', () => {
    expect(fillPlaceholders('Hi {{nobody}}!', values)).toBe('Hi !');
  });

  it('does not re-expand placeholders that arrive inside a value', () => {
    expect(fillPlaceholders('{{summary}}', { summary: '{{agentName}}' })).toBe('{{agentName}}');
  });
});

describe('the desk macros', () => {
  for (const snippet of SNIPPETS) {
    for (const language of ['en', 'zh-CN'] as const) {
      it(`${snippet.id} in ${language} fills completely from the ticket`, () => {
        expect(fillPlaceholders(snippet.text[language], values)).not.toMatch(/\{\{|\}\}/);
      });
    }
  }
});

describe('missingPlaceholders', () => {
  it('names the reply-by time when the ticket has no deadline, so the snippet is refused', () => {
    const checking = SNIPPETS.find((snippet) => snippet.id === 'checking')!;
    expect(missingPlaceholders(checking.text['zh-CN'], { ...values, replyBy: undefined })).toEqual(['replyBy']);
    expect(missingPlaceholders(checking.text.en, values)).toEqual([]);
  });
});

describe('insertMacro', () => {
  it("inserts at the cursor and keeps the agent's own words", () => {
    const result = insertMacro('Hello,\n\nRegards', { start: 7, end: 7 }, undefined, 'checking', 'We are checking.');
    expect(result.text).toBe('Hello,\nWe are checking.\nRegards');
    expect(result.cursor).toBe(7 + 'We are checking.'.length);
  });

  it('replaces the text of the previous macro instead of appending a second one', () => {
    const first = insertMacro('Hello,\n', { start: 7, end: 7 }, undefined, 'checking', 'We are checking.');
    const second = insertMacro(first.text, { start: first.text.length, end: first.text.length }, first.inserted, 'answer', 'Try these steps.');
    expect(second.text).toBe('Hello,\nTry these steps.');
    expect(second.text).not.toContain('We are checking.');
  });

  it('inserts at the cursor again once the agent edited the earlier text', () => {
    const first = insertMacro('', { start: 0, end: 0 }, undefined, 'checking', 'We are checking.');
    const edited = `${first.text.replace('checking', 'looking')} More.`;
    const second = insertMacro(edited, { start: edited.length, end: edited.length }, first.inserted, 'closing', ' Bye.');
    expect(second.text).toBe('We are looking. More. Bye.');
  });
});
