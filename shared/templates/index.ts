/** Customer and staff texts: the catalogue, rendering, validation of edits, labels. */
export type { PlaceholderKind, PlaceholderSpec, TemplateDefinition, TemplateOverride, TemplateOverrides, TemplateText } from './types.js';
export { defaultTemplates, templateFor } from './catalogue.js';
export { renderTemplate, MAX_SUBJECT_CHARS, type RenderedTemplate } from './render.js';
export { validateTemplate, MAX_BODY_TEMPLATE_CHARS, MAX_SUBJECT_TEMPLATE_CHARS, type TemplateValidation } from './validate.js';
export { typeLabel, priorityLabel, statusLabel, reasonLabel } from './labels.js';
export { formatDateTime } from './format.js';
export { TemplateError, TemplateSyntaxError, TemplateVariableError } from './errors.js';
