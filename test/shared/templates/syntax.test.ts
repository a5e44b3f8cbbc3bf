import { describe, expect, it } from 'vitest';
import { parseTemplate, placeholderNames, unconditionalNames } from '../../../shared/templates/syntax.js';

function nodesOf(source: string) {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.nodes;
}

describe('parseTemplate', () => {
  it('parses text, variables and nested sections', () => {
    expect(nodesOf('Hi {{ name }}{{#if a}}[{{#if b}}{{b}}{{/if}}]{{/if}}')).toEqual([
      { kind: 'text', value: 'Hi ' },
      { kind: 'var', name: 'name' },
      {
        kind: 'if',
        name: 'a',
        children: [{ kind: 'text', value: '[' }, { kind: 'if', name: 'b', children: [{ kind: 'var', name: 'b' }] }, { kind: 'text', value: ']' }],
      },
    ]);
  });

  it('reports an unclosed section', () => {
    const result = parseTemplate('{{#if a}}x');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('never closed')]);
  });

  it('reports a closing tag without an opening one', () => {
    const result = parseTemplate('x{{/if}}');
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('no matching')]);
  });

  it('reports an unclosed "{{"', () => {
    const result = parseTemplate('Hello {{name');
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('unclosed')]);
  });

  it('reports a tag that is not a placeholder', () => {
    const result = parseTemplate('{{name.first}} {{#each x}}');
    expect(result.ok ? [] : result.errors).toHaveLength(2);
  });

  it('reports a stray "}}"', () => {
    const result = parseTemplate('Hello {name}}');
    expect(result.ok).toBe(false);
  });

  it('collects every problem rather than stopping at the first', () => {
    const result = parseTemplate('{{/if}} {{bad tag}} {{#if x}}');
    expect(result.ok ? [] : result.errors).toHaveLength(3);
  });
});

describe('placeholderNames', () => {
  it('lists variables and section conditions', () => {
    expect([...placeholderNames(nodesOf('{{a}}{{#if b}}{{c}}{{/if}}'))].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('unconditionalNames', () => {
  it('counts a variable guarded by its own section as always shown', () => {
    expect(unconditionalNames(nodesOf('{{#if a}}{{a}}{{/if}}')).has('a')).toBe(true);
  });

  it('does not count a variable guarded by another section', () => {
    expect(unconditionalNames(nodesOf('{{#if b}}{{a}}{{/if}}')).has('a')).toBe(false);
  });
});
