import { EVENT_TYPES, LEVELS, LIMITS } from '#telemetry/services/batch'

/* The telemetry module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const uuid = { type: 'string', format: 'uuid' }

const event = {
  type: 'object',
  required: ['id', 'type', 'name', 'timestamp'],
  properties: {
    id: { ...uuid, description: 'Client-made; a re-sent id is a duplicate and stored once' },
    type: { type: 'string', enum: [...EVENT_TYPES] },
    name: { type: 'string', maxLength: LIMITS.name, description: 'For errors: the error type' },
    level: { type: 'string', enum: [...LEVELS] },
    message: { type: 'string', maxLength: LIMITS.message },
    props: {
      type: 'object',
      maxProperties: LIMITS.propsKeys,
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      description: `Flat: keys of 1-${LIMITS.propKey} of A-Z a-z 0-9 _ . : $ -, strings up to ${LIMITS.propValue}`,
    },
    sessionId: { type: 'string', maxLength: LIMITS.sessionId },
    timestamp: {
      oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
      description: 'ISO 8601 or epoch ms; at most a day old, at most 5 minutes ahead',
    },
    stack: { type: 'string', maxLength: LIMITS.stack },
  },
}

const openapi = {
  '/telemetry/batch': {
    post: {
      tags: ['Telemetry'],
      summary: 'Send a batch of events, logs and errors (telemetry:write)',
      description: `At most ${LIMITS.events} events and ${LIMITS.bytes} bytes decompressed; \`Content-Encoding: gzip\` accepted. Answered after the accepted events are committed. Rate limited per token and per installation (429 with Retry-After).`,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['installationId', 'appVersion', 'platform', 'events'],
              properties: {
                installationId: uuid,
                appVersion: { type: 'string', maxLength: 64 },
                platform: { type: 'string', maxLength: 32 },
                osVersion: { type: 'string', maxLength: 64 },
                locale: { type: 'string', maxLength: 35 },
                events: { type: 'array', maxItems: LIMITS.events, items: event },
              },
            },
          },
        },
      },
      responses: {
        '202': {
          description: 'Stored',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  accepted: { type: 'integer' },
                  duplicates: { type: 'integer' },
                  rejected: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        index: { type: 'integer' },
                        code: { type: 'string' },
                        message: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        '400': error('`E_MALFORMED_JSON` or `E_INVALID_ENCODING` (broken gzip)'),
        '401': error('Missing or invalid token'),
        '403': error(
          'The token lacks `telemetry:write`, or `E_INSTALLATION_FORBIDDEN`: the installation belongs to another company'
        ),
        '413': error('`E_BATCH_TOO_LARGE` (over 1 MiB decompressed) or `E_TOO_MANY_EVENTS`'),
        '415': error('`E_UNSUPPORTED_MEDIA_TYPE` or `E_UNSUPPORTED_ENCODING`'),
        '422': error('`E_VALIDATION_ERROR`: the envelope is wrong (nothing stored)'),
        '429': error('`E_TOO_MANY_REQUESTS`; see Retry-After'),
        '503': error(
          '`E_INGEST_BUSY` (the server is behind), `E_DATABASE_UNAVAILABLE` or `E_DATABASE_BUSY`; see Retry-After, then send the same batch again (events already stored count as duplicates)'
        ),
      },
    },
  },
  '/releases/latest': {
    get: {
      tags: ['Telemetry'],
      summary: 'The release this installation should install (public)',
      security: [],
      parameters: [
        { name: 'platform', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'channel', in: 'query', schema: { type: 'string', default: 'stable' } },
        { name: 'current', in: 'query', schema: { type: 'string' } },
        {
          name: 'installationId',
          in: 'query',
          description: 'Places the installation in partial rollouts (or header X-Installation-Id)',
          schema: uuid,
        },
      ],
      responses: {
        '200': { description: 'A newer release reaches this installation' },
        '204': { description: 'Up to date, or outside every newer rollout' },
        '422': error('Invalid query'),
      },
    },
  },
}

export default openapi
