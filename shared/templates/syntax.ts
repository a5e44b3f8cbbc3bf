/**
 * The template language: `{{name}}` inserts a value, `{{#if name}}...{{/if}}` keeps its content
 * only when `name` has a non-blank value. Sections nest. Nothing else: no expressions, no helpers,
 * no partials, so an edited template can never run code or reach data it was not given.
 */

export type TemplateNode =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'if'; readonly name: string; readonly children: readonly TemplateNode[] };

export type ParseResult = { ok: true; nodes: TemplateNode[] } | { ok: false; errors: string[] };

const NAME = '[A-Za-z][A-Za-z0-9]*';
const VAR_TAG = new RegExp(`^\\s*(${NAME})\\s*$`);
const IF_TAG = new RegExp(`^\\s*#if\\s+(${NAME})\\s*$`);
const END_TAG = /^\s*\/if\s*$/;

interface OpenSection {
  name: string;
  children: TemplateNode[];
}

/**
 * Parses template source into nodes, collecting every problem instead of stopping at the first,
 * so a supervisor editing a template sees them all at once.
 *
 * @example
 * parseTemplate('Hello{{#if name}} {{name}}{{/if}}');
 */
export function parseTemplate(source: string): ParseResult {
  const errors: string[] = [];
  const root: TemplateNode[] = [];
  const stack: OpenSection[] = [];
  const current = (): TemplateNode[] => stack.at(-1)?.children ?? root;
  const pushText = (value: string): void => {
    if (value === '') return;
    if (value.includes('}}')) errors.push(`stray "}}" without a matching "{{"`);
    current().push({ kind: 'text', value });
  };

  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open === -1) {
      pushText(source.slice(pos));
      break;
    }
    pushText(source.slice(pos, open));
    const close = source.indexOf('}}', open + 2);
    if (close === -1) {
      errors.push(`unclosed "{{" at position ${open}`);
      break;
    }
    const inner = source.slice(open + 2, close);
    pos = close + 2;

    const ifMatch = IF_TAG.exec(inner);
    const varMatch = VAR_TAG.exec(inner);
    if (ifMatch?.[1] !== undefined) {
      const section: OpenSection = { name: ifMatch[1], children: [] };
      current().push({ kind: 'if', name: section.name, children: section.children });
      stack.push(section);
    } else if (END_TAG.test(inner)) {
      if (stack.pop() === undefined) errors.push(`"{{/if}}" at position ${open} has no matching "{{#if}}"`);
    } else if (varMatch?.[1] !== undefined) {
      current().push({ kind: 'var', name: varMatch[1] });
    } else {
      errors.push(`"{{${inner.slice(0, 40)}}}" at position ${open} is not a placeholder (expected {{name}}, {{#if name}} or {{/if}})`);
    }
  }
  for (const section of stack) errors.push(`"{{#if ${section.name}}}" is never closed with "{{/if}}"`);

  return errors.length > 0 ? { ok: false, errors } : { ok: true, nodes: root };
}

/** Every placeholder name used, in variables and in section conditions. */
export function placeholderNames(nodes: readonly TemplateNode[]): Set<string> {
  const names = new Set<string>();
  const walk = (list: readonly TemplateNode[]): void => {
    for (const node of list) {
      if (node.kind === 'var') names.add(node.name);
      if (node.kind === 'if') {
        names.add(node.name);
        walk(node.children);
      }
    }
  };
  walk(nodes);
  return names;
}

/**
 * Placeholders that are always printed: used outside any section, or inside sections guarded by
 * the placeholder itself. A required value hidden behind another value's section may never show.
 */
export function unconditionalNames(nodes: readonly TemplateNode[]): Set<string> {
  const names = new Set<string>();
  const walk = (list: readonly TemplateNode[], guards: readonly string[]): void => {
    for (const node of list) {
      if (node.kind === 'var' && guards.every((g) => g === node.name)) names.add(node.name);
      if (node.kind === 'if') walk(node.children, [...guards, node.name]);
    }
  };
  walk(nodes, []);
  return names;
}
