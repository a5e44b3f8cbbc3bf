import { describe, expect, it } from 'vitest';
import { fillPlaceholders, missingPlaceholders, SNIPPETS } from '../../console/src/snippets.js';

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

describe('reply snippets', () => {
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
