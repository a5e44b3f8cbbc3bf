/** Customer and staff texts: the catalogue, rendering, validation of edits, labels. */
export type { PlaceholderKind, PlaceholderSpec, TemplateDefinition, TemplateOverride, TemplateOverrides, TemplateText } from './types.js';
export { defaultTemplates, templateFor } from './catalogue.js';
export { renderTemplate, type RenderedTemplate } from './render.js';
export { validateTemplate, type TemplateValidation } from './validate.js';
export { typeLabel, priorityLabel, statusLabel, reasonLabel } from './labels.js';
