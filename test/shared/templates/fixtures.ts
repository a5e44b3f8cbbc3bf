import type { TemplateDefinition } from '../../../shared/templates/types.js';

/** A value for every placeholder of a template: URLs for url placeholders, a recognisable word otherwise. */
export function fullVars(template: TemplateDefinition): Record<string, string> {
  return Object.fromEntries(
    Object.entries(template.placeholders).map(([name, spec]) => [
      name,
      spec.kind === 'url' ? `https://desk.example.com/${name}?a=1&b=2` : name === 'ticketNo' ? 'CS20240520001' : `value-of-${name}`,
    ]),
  );
}

/** Only the required placeholders. */
export function requiredVars(template: TemplateDefinition): Record<string, string> {
  const all = fullVars(template);
  return Object.fromEntries(Object.entries(all).filter(([name]) => template.placeholders[name]?.required));
}
