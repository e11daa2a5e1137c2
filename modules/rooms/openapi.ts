/* The rooms module's public API, described for /api/v1/openapi.json (socket protocol: docs/api.md). */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const id = (name = 'id') => ({ name, in: 'path', required: true, schema: { type: 'integer' } })
const tags = ['Rooms']
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties })
const body = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: { 'application/json': { schema: { ...obj(properties), required } } },
})
const ok = (description: string, properties: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: obj(properties) } },
})
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Retry-safe: the same key and body return the first response without a second effect',
  schema: { type: 'string', maxLength: 255 },
}

const Room = obj({
  id: { type: 'integer' },
  name: { type: 'string', maxLength: 80 },
  topic: { type: ['string', 'null'], maxLength: 250 },
  visibility: { type: 'string', enum: ['public', 'invite_only'] },
  archived: { type: 'boolean' },
  archivedAt: { type: ['string', 'null'], format: 'date-time' },
  createdBy: { type: ['integer', 'null'] },
  joined: { type: 'boolean' },
  memberCount: { type: 'integer' },
  canManage: { type: 'boolean' },
  createdAt: { type: 'string', format: 'date-time' },
})
const Message = obj({
  id: { type: 'integer' },
  roomId: { type: 'integer' },
  userId: { type: ['integer', 'null'] },
  author: { type: 'string' },
  body: { type: 'string', description: 'Empty when deleted' },
  createdAt: { type: 'string', format: 'date-time' },
  editedAt: { type: ['string', 'null'], format: 'date-time' },
  deleted: { type: 'boolean' },
})
const Member = obj({
  userId: { type: 'integer' },
  name: { type: 'string' },
  joinedAt: { type: 'string', format: 'date-time' },
})
const notFound = error('No such room in the token’s company, or an invite-only room you are not in')
const notMember = error('`E_NOT_A_ROOM_MEMBER` (join first) or `E_FORBIDDEN`')

export default {
  '/rooms': {
    get: {
      tags,
      summary: 'Rooms the token’s user can see in its company (rooms:join)',
      parameters: [{ name: 'archived', in: 'query', schema: { type: 'boolean' } }],
      responses: { '200': ok('Rooms by name', { data: { type: 'array', items: Room } }) },
    },
    post: {
      tags,
      summary: 'Create a room; its creator is its first member',
      parameters: [idempotencyKey],
      requestBody: body(
        {
          name: { type: 'string', minLength: 1, maxLength: 80 },
          topic: { type: ['string', 'null'], maxLength: 250 },
          visibility: { type: 'string', enum: ['public', 'invite_only'], default: 'public' },
        },
        ['name']
      ),
      responses: { '201': ok('Created', { room: Room }), '422': error('Invalid input') },
    },
  },
  '/rooms/ice-servers': {
    get: {
      tags,
      summary: 'STUN servers and short-lived TURN credentials (coturn REST API scheme)',
      responses: {
        '200': ok('For RTCPeerConnection({ iceServers })', {
          iceServers: {
            type: 'array',
            items: obj({
              urls: { type: 'array', items: { type: 'string' } },
              username: { type: 'string', description: '`<expiry unix seconds>:<user id>`' },
              credential: { type: 'string', description: 'base64(HMAC-SHA1(secret, username))' },
            }),
          },
          ttlSeconds: { type: 'integer' },
          expiresAt: { type: 'string', format: 'date-time' },
        }),
      },
    },
  },
  '/rooms/{id}': {
    get: {
      tags,
      summary: 'One room',
      parameters: [id()],
      responses: { '200': ok('The room', { room: Room }), '404': notFound },
    },
    patch: {
      tags,
      summary: 'Rename, change the topic, archive or restore (creator, owners and admins)',
      parameters: [id()],
      requestBody: body({
        name: { type: 'string', maxLength: 80 },
        topic: { type: ['string', 'null'], maxLength: 250 },
        archived: { type: 'boolean' },
      }),
      responses: {
        '200': ok('Updated', { room: Room }),
        '403': error('Not allowed'),
        '404': notFound,
      },
    },
  },
  '/rooms/{id}/membership': {
    post: {
      tags,
      summary: 'Join a public room (idempotent)',
      parameters: [id()],
      responses: { '200': ok('Joined', { room: Room }), '403': notMember, '404': notFound },
    },
    delete: {
      tags,
      summary: 'Leave a room (live connections leave it too)',
      parameters: [id()],
      responses: { '204': { description: 'Left' }, '404': notFound },
    },
  },
  '/rooms/{id}/members': {
    get: {
      tags,
      summary: 'The room’s members',
      parameters: [id()],
      responses: { '200': ok('Members', { data: { type: 'array', items: Member } }) },
    },
    post: {
      tags,
      summary: 'Add a company member to the room (members of the room may invite)',
      parameters: [id()],
      requestBody: body({ userId: { type: 'integer' } }, ['userId']),
      responses: {
        '201': ok('Members', { data: { type: 'array', items: Member } }),
        '422': error('`E_NOT_A_COMPANY_MEMBER`'),
      },
    },
  },
  '/rooms/{id}/members/{userId}': {
    delete: {
      tags,
      summary: 'Remove a member (creator, owners and admins; anyone may remove themselves)',
      parameters: [id(), id('userId')],
      responses: { '204': { description: 'Removed' }, '403': error('Not allowed') },
    },
  },
  '/rooms/{id}/messages': {
    get: {
      tags,
      summary:
        'History newest first (`cursor` pages back), or with `after` the messages after an id, oldest first',
      parameters: [
        id(),
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
        { name: 'after', in: 'query', schema: { type: 'integer' } },
      ],
      responses: {
        '200': ok('Messages', {
          data: { type: 'array', items: Message },
          nextCursor: { type: ['string', 'null'] },
          hasMore: { type: 'boolean' },
        }),
        '403': notMember,
      },
    },
    post: {
      tags,
      summary: 'Post a message; it is delivered live to the room like any other',
      parameters: [id(), idempotencyKey],
      requestBody: body({ body: { type: 'string' } }, ['body']),
      responses: {
        '201': ok('Posted', { message: Message }),
        '403': notMember,
        '409': error('`E_ROOM_ARCHIVED`'),
        '413': error('`E_MESSAGE_TOO_LONG`'),
        '422': error('`E_MESSAGE_EMPTY`'),
        '429': error('`E_TOO_MANY_REQUESTS` (per-user rate, with Retry-After)'),
      },
    },
  },
  '/rooms/{id}/messages/{messageId}': {
    patch: {
      tags,
      summary: 'Edit your own message',
      parameters: [id(), id('messageId')],
      requestBody: body({ body: { type: 'string' } }, ['body']),
      responses: {
        '200': ok('Edited', { message: Message }),
        '403': error('`E_NOT_MESSAGE_AUTHOR`'),
      },
    },
    delete: {
      tags,
      summary: 'Delete your own message (it stays in the history as deleted)',
      parameters: [id(), id('messageId')],
      responses: { '204': { description: 'Deleted' }, '403': error('`E_NOT_MESSAGE_AUTHOR`') },
    },
  },
}
