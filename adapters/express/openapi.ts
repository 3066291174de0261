import { z } from 'zod';
import type { Route } from './http.js';

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas, so it cannot drift
 * from what the router accepts.
 */

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const envelope: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'integer', description: '0 ok, 100 exception, 101 argument, 102 data, 109 auth' }, data: {}, message: { type: 'string' } },
  required: ['code'],
};

const json = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } } });

function operation(route: Route): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const match of route.path.matchAll(/:(\w+)/g)) {
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  const querySchema = route.query ?? (route.bodyFromQuery && route.method === 'get' ? route.body : undefined);
  if (querySchema) {
    const properties = (toSchema(querySchema).properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, schema] of Object.entries(properties)) parameters.push({ name, in: 'query', required: false, schema });
  }
  const responses: Record<string, unknown> = {
    '200': json('`{code: 0, data}` on success; `{code: 101 | 102, message}` for a refused request'),
    '401': json('Missing or unknown API key (code 109)'),
    '500': json('Unexpected failure (code 100)'),
  };
  if (route.produces === 'download') {
    responses['200'] = { description: 'The original file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  }
  if (route.produces === 'sse') {
    responses['200'] = {
      description: 'With `stream` (default true): server-sent events `data:{code, data}`; otherwise the JSON envelope',
      content: {
        'text/event-stream': { schema: { type: 'string' } },
        'application/json': { schema: { $ref: '#/components/schemas/Envelope' } },
      },
    };
  }
  if (route.multipart) responses['413'] = json('A file or the request is over the limit (code 101); nothing is kept');
  const op: JsonSchema = {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[/:](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
    parameters,
    responses,
  };
  if (route.public) op.security = [];
  if (route.multipart) {
    op.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } }, required: ['file'] },
        },
      },
    };
  } else if (route.body && route.method !== 'get') {
    op.requestBody = { required: false, content: { 'application/json': { schema: toSchema(route.body) } } };
  }
  return op;
}

export function openApiDocument(routes: readonly Route[], version = '0.1.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ragflow-ts HTTP API',
      version,
      description: "RAGFlow's HTTP API (draft and RAGFlow field names both accepted) over an embedded ragflow-ts.",
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `ragflow keys create`' } },
      schemas: { Envelope: envelope },
    },
    paths,
  };
}
