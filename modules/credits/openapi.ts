import { ENTRY_TYPES } from '#credits/services/ledger_tx'

/* The credits module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Retry-safe writes: the same key with the same body returns the first response (header `Idempotent-Replayed: true`) without a second effect, for 24 hours. Same key, other body: 422 `E_IDEMPOTENCY_KEY_REUSED`; first request still running: 409 `E_IDEMPOTENCY_IN_PROGRESS`.',
  schema: { type: 'string', maxLength: 255 },
}
const credits = { type: 'integer', minimum: 1, maximum: 1_000_000_000_000 }
const json = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  'application/json': { schema: { type: 'object', properties, required } },
})
const ok = (description: string, properties: Record<string, unknown>) => ({
  description,
  content: json(properties),
})
const writeErrors = {
  '401': error('Missing or invalid token'),
  '403': error('The token lacks `credits:write`'),
  '422': error(
    'Invalid input (`E_VALIDATION_ERROR`), or an Idempotency-Key reused with another body'
  ),
}
const holdOutcome = {
  holdId: { type: 'integer' },
  status: { type: 'string', enum: ['captured', 'released'] },
  captured: { type: 'integer' },
  released: { type: 'integer' },
  transactionId: { type: ['integer', 'null'] },
  balance: { type: 'integer' },
  available: { type: 'integer' },
}
const holdConflicts = error(
  '`E_CAPTURE_EXCEEDS_HOLD`, `E_HOLD_CAPTURED`, `E_HOLD_RELEASED` or `E_HOLD_EXPIRED`'
)

export const EntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', enum: [...ENTRY_TYPES] },
    amount: { type: 'integer', description: 'Change of the balance (negative when spent)' },
    heldChange: { type: 'integer', description: 'Change of the held credits' },
    balanceAfter: { type: 'integer' },
    heldAfter: { type: 'integer' },
    grantId: { type: ['integer', 'null'] },
    holdId: { type: ['integer', 'null'] },
    actor: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['user', 'token', 'job', 'stripe', 'admin', 'system'] },
        id: { type: ['string', 'null'] },
      },
    },
    reason: { type: 'string' },
    metadata: { type: ['object', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
}

export default {
  '/credits/balance': {
    get: {
      summary: 'The company’s credits. Needs `credits:read`.',
      description:
        'available = balance − held. Changes are pushed on the realtime channel as `credits.balance` ({ companyId, balance, held, available }).',
      responses: {
        '200': ok('Balance and the grants that still hold credits (spent soonest-expiring first)', {
          balance: { type: 'integer' },
          held: { type: 'integer' },
          available: { type: 'integer' },
          grants: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                remaining: { type: 'integer' },
                expiresAt: { type: ['string', 'null'], format: 'date-time' },
                kind: { type: 'string', enum: ['paid', 'free'] },
              },
            },
          },
        }),
        '401': error('Missing or invalid token'),
        '403': error('The token lacks `credits:read`'),
      },
    },
  },
  '/credits/consume': {
    post: {
      summary: 'Spend credits. Needs `credits:write`.',
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: json(
          {
            amount: credits,
            reason: { type: 'string', maxLength: 500 },
            metadata: { type: 'object' },
          },
          ['amount', 'reason']
        ),
      },
      responses: {
        '201': ok('Spent', {
          transactionId: { type: 'integer' },
          balance: { type: 'integer' },
          available: { type: 'integer' },
        }),
        '402': error('`E_INSUFFICIENT_CREDITS`: not enough available; nothing changed'),
        '409': error('`E_IDEMPOTENCY_IN_PROGRESS`'),
        ...writeErrors,
      },
    },
  },
  '/credits/consume/batch': {
    post: {
      summary:
        'Spend credits for up to 100 uses at once (a desktop syncing what it used offline). Each item is a consume of its own, tried in order: one that does not fit is refused (402 in its result) and the others stand. Needs `credits:write`.',
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: json({
          consumes: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: {
              type: 'object',
              properties: {
                amount: credits,
                reason: { type: 'string', maxLength: 500 },
                metadata: { type: 'object' },
              },
              required: ['amount', 'reason'],
            },
          },
        }),
      },
      responses: {
        '200': ok('Every item answered, in the order sent', {
          consumed: { type: 'integer' },
          refused: { type: 'integer' },
          balance: { type: 'integer' },
          available: { type: 'integer' },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                status: { type: 'integer', enum: [201, 402] },
                transactionId: { type: 'integer' },
                balance: { type: 'integer' },
                available: { type: 'integer' },
                error: {
                  type: 'object',
                  properties: { code: { type: 'string' }, message: { type: 'string' } },
                },
              },
              required: ['status'],
            },
          },
        }),
        '409': error('`E_IDEMPOTENCY_IN_PROGRESS`'),
        ...writeErrors,
      },
    },
  },
  '/credits/holds': {
    post: {
      summary:
        'Reserve credits until captured, released or `ttlSeconds` pass. Needs `credits:write`.',
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: json(
          {
            amount: credits,
            ttlSeconds: { type: 'integer', minimum: 1, maximum: 604800 },
            reason: { type: 'string', maxLength: 500 },
            metadata: { type: 'object' },
          },
          ['amount', 'ttlSeconds', 'reason']
        ),
      },
      responses: {
        '201': ok('Held', {
          holdId: { type: 'integer' },
          expiresAt: { type: 'string', format: 'date-time' },
          available: { type: 'integer' },
        }),
        '402': error('`E_INSUFFICIENT_CREDITS`'),
        ...writeErrors,
      },
    },
  },
  '/credits/holds/{id}/capture': {
    post: {
      summary: 'Spend up to the held amount; the rest is released. Needs `credits:write`.',
      parameters: [id, idempotencyKey],
      requestBody: {
        required: true,
        content: json({ amount: { type: 'integer', minimum: 0 } }),
      },
      responses: {
        '200': ok('Captured', holdOutcome),
        '404': error('`E_HOLD_NOT_FOUND`'),
        '409': holdConflicts,
        ...writeErrors,
      },
    },
  },
  '/credits/holds/{id}/release': {
    post: {
      summary: 'Give the held credits back. Needs `credits:write`.',
      parameters: [id, idempotencyKey],
      responses: {
        '200': ok('Released', holdOutcome),
        '404': error('`E_HOLD_NOT_FOUND`'),
        '409': holdConflicts,
        ...writeErrors,
      },
    },
  },
  '/credits/transactions': {
    get: {
      summary: 'The ledger, newest first (cursor pagination). Needs `credits:read`.',
      parameters: [
        {
          name: 'type',
          in: 'query',
          schema: { type: 'string', enum: EntrySchema.properties.type.enum },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        '200': ok('A page of entries', {
          data: { type: 'array', items: EntrySchema },
          nextCursor: { type: ['string', 'null'] },
        }),
        '401': error('Missing or invalid token'),
        '403': error('The token lacks `credits:read`'),
        '422': error('`E_INVALID_CURSOR` or an unknown type'),
      },
    },
  },
}
