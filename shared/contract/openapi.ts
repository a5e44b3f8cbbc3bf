import * as z from 'zod';
import { AGENT_API, type RouteContract } from './agent-api.js';

/**
 * The agent API as an OpenAPI 3.1 document, generated from the same zod schemas the API validates
 * with (`z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Served at
 * `GET /api/v1/openapi.json`; a route added to the contract appears here without another edit.
 */

type JsonSchema = Record<string, unknown>;

const schema = (type: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

const problem: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` (and `params`) are stable and language-free, for clients to translate.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', examples: ['invalid-request', 'illegal-transition', 'not-found', 'forbidden', 'conflict'] },
    params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' }, params: { type: 'object' } }, required: ['field', 'message'] } },
  },
  required: ['type', 'title', 'status'],
};

function parameters(route: RouteContract): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, type] of [['path', route.params], ['query', route.query]] as const) {
    if (!type) continue;
    const object = schema(type, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: property });
    }
  }
  return list;
}

/** The whole document. `serverUrl` is where the API is reached (the desk's public base URL). */
export function openApiDocument(serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, route] of Object.entries(AGENT_API) as Array<[string, RouteContract]>) {
    const operation: JsonSchema = {
      operationId,
      security: [{ bearer: [] }],
      parameters: parameters(route),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: schema(route.response, 'output') } } },
        '400': { description: 'Invalid request', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        '401': { description: 'No, expired or badly signed token', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        '403': { description: 'Role or team does not allow it', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        '404': { description: 'Unknown resource', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        '409': { description: 'Illegal transition or concurrent change', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: schema(route.body, 'input') } } };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Ticketline agent API', version: '1', description: 'The API behind the agent console. Errors are problem+json with a stable `code`.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: { Problem: problem } },
    paths,
  };
}
