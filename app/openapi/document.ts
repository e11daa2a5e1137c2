import { moduleRegistry } from '#app/modules/registry'

/*
| The public API's OpenAPI 3.1 document, served at /api/v1/openapi.json. Each module describes
| its own paths (ModuleProvider.openapi); the shared pieces (auth, the error shape) live here.
*/
export function openApiDocument(serverUrl: string) {
  const paths = Object.assign(
    {},
    ...moduleRegistry.providers().map((provider) => provider.openapi?.() ?? {})
  )
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1',
      description:
        'For desktop clients and scripts. Authenticate with `Authorization: Bearer <token>` (see POST /auth/tokens). Errors are `{ errors: [{ code, message, field?, retryAfter? }] }`; any request may be answered 503 `E_DATABASE_UNAVAILABLE` or `E_DATABASE_BUSY` with `Retry-After` (seconds) when the database is down or busy: send it again after that. Lists are cursor-paginated.',
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, '')}/api/v1` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (tdm_…)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['errors'],
          properties: {
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: {
                    type: 'string',
                    examples: ['E_VALIDATION_ERROR', 'E_UNAUTHORIZED_ACCESS', 'E_NOT_FOUND'],
                  },
                  message: { type: 'string' },
                  field: { type: 'string' },
                  retryAfter: {
                    type: 'integer',
                    description: 'Seconds to wait before sending again (429 and 503)',
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        Error: {
          description: 'An error in the shared shape',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  }
}
