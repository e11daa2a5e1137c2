/* The files module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const tags = ['Files']
const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const File = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: {
      type: 'string',
      description: 'Sanitised: no path, no control characters, ≤ 200 characters',
    },
    size: { type: 'integer' },
    mime: { type: 'string', description: 'Detected from the bytes, not taken from the client' },
    sha256: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
}
const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } })

export default {
  '/files': {
    get: {
      tags,
      summary: 'The company’s files, newest first (files:read)',
      parameters: [
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      ],
      responses: {
        '200': {
          description: 'A page',
          content: json({
            type: 'object',
            properties: {
              data: { type: 'array', items: File },
              nextCursor: { type: ['string', 'null'] },
            },
          }),
        },
      },
    },
    post: {
      tags,
      summary:
        'Upload one file (files:write), multipart/form-data with a part named `file`; streamed',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
          },
        },
      },
      responses: {
        '201': { description: 'Stored', content: json(File) },
        '413': error('`E_FILE_TOO_LARGE`: over FILES_MAX_BYTES'),
        '422': error('`E_QUOTA_EXCEEDED`, `E_FILE_MISSING` or `E_MULTIPART_REQUIRED`'),
      },
    },
  },
  '/files/{id}': {
    get: {
      tags,
      summary: 'One file, with a short-lived signed download URL (files:read)',
      parameters: [id],
      responses: {
        '200': {
          description: 'The file',
          content: json({
            allOf: [
              File,
              {
                type: 'object',
                properties: {
                  download: {
                    type: 'object',
                    properties: {
                      url: { type: 'string' },
                      expiresAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            ],
          }),
        },
        '404': error('No such file in the token’s company'),
      },
    },
    delete: {
      tags,
      summary: 'Delete a file (files:write); its bytes are purged after FILES_PURGE_AFTER_DAYS',
      parameters: [id],
      responses: { '204': { description: 'Deleted' }, '404': error('No such file') },
    },
  },
  '/files/uploads': {
    post: {
      tags,
      summary:
        'Create a resumable upload (tus 1.0, files:write): Upload-Length, Upload-Metadata `filename`',
      parameters: [
        { name: 'Tus-Resumable', in: 'header', required: true, schema: { const: '1.0.0' } },
        { name: 'Upload-Length', in: 'header', required: true, schema: { type: 'integer' } },
        { name: 'Upload-Metadata', in: 'header', schema: { type: 'string' } },
      ],
      responses: {
        '201': { description: 'Created; `Location` is the upload’s URL' },
        '413': error('Over FILES_MAX_BYTES'),
        '422': error('E_QUOTA_EXCEEDED'),
      },
    },
  },
  '/files/uploads/{uploadId}': {
    head: {
      tags,
      summary: 'How much of the upload the server has (`Upload-Offset`): resume from there',
      parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'Upload-Offset and Upload-Length headers' },
        '404': error('No such upload for this company'),
      },
    },
    patch: {
      tags,
      summary: 'Append bytes at `Upload-Offset` (Content-Type: application/offset+octet-stream)',
      parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '204': {
          description: 'Appended; the last PATCH also answers `Tandem-File-Id`, the stored file',
        },
        '409': error('The offset does not match the server’s'),
      },
    },
    delete: {
      tags,
      summary: 'Abandon an upload',
      parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Removed' } },
    },
  },
  '/files/direct': {
    post: {
      tags,
      summary:
        'Start a browser-to-S3 upload (S3 storage only): a presigned PUT for the declared size',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['name', 'size'],
          properties: { name: { type: 'string' }, size: { type: 'integer' } },
        }),
      },
      responses: {
        '201': {
          description: 'PUT the bytes to `uploadUrl`, then call complete',
          content: json({
            type: 'object',
            properties: {
              fileId: { type: 'integer' },
              uploadUrl: { type: 'string' },
              method: { const: 'PUT' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          }),
        },
        '409': error('`E_DIRECT_UPLOAD_UNAVAILABLE`: the storage is the local disk'),
        '413': error('`E_FILE_TOO_LARGE`'),
        '422': error('`E_QUOTA_EXCEEDED`'),
      },
    },
  },
  '/files/direct/{id}/complete': {
    post: {
      tags,
      summary:
        'Finish a direct upload: the stored bytes are measured (size, sha256, type) and the file appears',
      parameters: [id],
      responses: {
        '200': { description: 'The file', content: json(File) },
        '404': error('No pending upload with this id'),
        '409': error('`E_UPLOAD_INCOMPLETE`: nothing arrived in storage yet'),
      },
    },
  },
}
