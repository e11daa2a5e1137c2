/* The accounts module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const User = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: 'string' },
    fullName: { type: ['string', 'null'] },
    emailVerified: { type: 'boolean' },
    isAdmin: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
}
const Company = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    personal: { type: 'boolean' },
    role: { type: 'string', enum: ['owner', 'admin', 'member'] },
  },
}

export default {
  '/auth/tokens': {
    post: {
      summary: 'Sign a desktop in: trade email + password for a bearer token bound to one company',
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['email', 'password', 'deviceName'],
              properties: {
                email: { type: 'string' },
                password: { type: 'string' },
                deviceName: { type: 'string', maxLength: 120 },
                companyId: { type: 'integer', description: 'Defaults to the current company' },
                abilities: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Defaults to ["*"]',
                },
                expiresInDays: { type: ['integer', 'null'], minimum: 1, maximum: 3650 },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Signed in',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  token: { type: 'string' },
                  type: { const: 'bearer' },
                  expiresAt: { type: ['string', 'null'], format: 'date-time' },
                  abilities: { type: 'array', items: { type: 'string' } },
                  user: User,
                  company: Company,
                },
              },
            },
          },
        },
        '401': error('E_INVALID_CREDENTIALS'),
        '403': error('E_ACCOUNT_DISABLED'),
        '404': error('E_NOT_FOUND: not a member of companyId'),
        '409': error('E_NO_COMPANY'),
        '422': error('E_VALIDATION_ERROR'),
        '429': error('E_TOO_MANY_REQUESTS (see Retry-After)'),
      },
    },
  },
  '/auth/tokens/current': {
    delete: {
      summary: 'Sign the desktop out: revoke the calling token',
      responses: { '204': { description: 'Revoked' }, '401': error('E_UNAUTHORIZED_ACCESS') },
    },
  },
  '/me': {
    get: {
      summary: 'The token’s user, company, abilities and role permissions',
      responses: {
        '200': {
          description: 'Who the token acts as',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  user: User,
                  company: Company,
                  abilities: { type: 'array', items: { type: 'string' } },
                  permissions: { type: 'array', items: { type: 'string' } },
                  token: { type: 'object' },
                },
              },
            },
          },
        },
        '401': error('E_UNAUTHORIZED_ACCESS'),
        '403': error('E_ACCOUNT_DISABLED'),
      },
    },
  },
  '/members': {
    get: {
      summary: 'Members of the token’s company (ability members:read), cursor-paginated',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
        },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: '`{ data: Member[], nextCursor: string | null }`' },
        '403': error('E_MISSING_ABILITY'),
        '422': error('E_INVALID_CURSOR'),
      },
    },
  },
}
