/* The tasks module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }

export const TaskSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    companyId: { type: ['integer', 'null'] },
    userId: { type: ['integer', 'null'] },
    title: { type: 'string' },
    job: { type: 'string', description: 'Job name, `<module>/<file>`' },
    status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
    progress: { type: 'integer', minimum: 0, maximum: 100 },
    message: { type: ['string', 'null'] },
    attempts: { type: 'integer' },
    result: { type: ['object', 'null'] },
    file: {
      type: ['object', 'null'],
      properties: { name: { type: 'string' }, size: { type: 'integer' } },
    },
    error: {
      type: ['object', 'null'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
    cancelRequested: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
}

const one = {
  description: 'The task',
  content: {
    'application/json': {
      schema: { type: 'object', properties: { data: TaskSchema } },
    },
  },
}

export default {
  '/tasks': {
    get: {
      summary: 'The company’s tasks, oldest first (cursor pagination). Needs `tasks:read`.',
      description:
        'Live updates arrive on the realtime channel as `task.updated` (the task) and `task.log` ({ taskId, level, message, at }); tokens need `events:read` to receive them.',
      parameters: [
        {
          name: 'status',
          in: 'query',
          schema: { type: 'string', enum: TaskSchema.properties.status.enum },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        '200': {
          description: 'A page of tasks',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  data: { type: 'array', items: TaskSchema },
                  nextCursor: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
        '401': error('Missing or invalid token'),
        '403': error('The token lacks `tasks:read`'),
      },
    },
  },
  '/tasks/{id}': {
    get: {
      summary: 'One task. Needs `tasks:read`.',
      parameters: [id],
      responses: { '200': one, '404': error('No such task in this company') },
    },
  },
  '/tasks/{id}/result': {
    get: {
      summary: 'Download the file a completed task produced. Needs `tasks:read`.',
      parameters: [id],
      responses: {
        '200': { description: 'The file (Content-Disposition: attachment)' },
        '404': error('No such task, or it has no result file'),
      },
    },
  },
  '/tasks/{id}/cancellation': {
    post: {
      summary:
        'Cancel a task: a queued one at once, a running one within a second. Needs `tasks:write` (and being its author or a company admin).',
      parameters: [id],
      responses: {
        '200': one,
        '403': error('Neither its author nor a company admin'),
        '404': error('No such task in this company'),
        '409': error('E_TASK_FINISHED: the task has already finished'),
      },
    },
  },
}
