import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import { readsOwnBody } from '#app/http/own_body'

const Files = () => import('#files/controllers/files_controller')
const Downloads = () => import('#files/controllers/downloads_controller')
const ApiFiles = () => import('#files/controllers/api/files_controller')
const Uploads = () => import('#files/controllers/api/uploads_controller')
const Direct = () => import('#files/controllers/api/direct_uploads_controller')

/* The company's files (web). Uploads stream: the body parser leaves them alone. */
router
  .group(() => {
    router.get('/files', [Files, 'index']).as('files.files.index')
    readsOwnBody(router.post('/files', [Files, 'store']).as('files.files.store'))
    router.get('/files/:id/download', [Files, 'download']).as('files.files.download')
    router.post('/files/direct', [Direct, 'store']).as('files.direct_uploads.store')
    router
      .post('/files/direct/:id/complete', [Direct, 'complete'])
      .as('files.direct_uploads.complete')
    router.delete('/files/:id', [Files, 'destroy']).as('files.files.destroy')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .where('id', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Signed, short-lived download links (local disk); the link is the authorisation. */
router
  .get('/files/:id/download', [Downloads, 'show'])
  .as('files.downloads.show')
  .where('id', idMatcher)

/* Public API (docs/api.md, Files). */
const read = () => middleware.ability({ ability: 'files:read' })
const write = () => middleware.ability({ ability: 'files:write' })
router
  .group(() => {
    /* Resumable uploads (tus 1.0): POST creates, HEAD tells the offset, PATCH appends, DELETE aborts. */
    readsOwnBody(
      router.post('/uploads', [Uploads, 'handle']).as('files.api.uploads.store').use(write())
    )
    readsOwnBody(
      router
        .route('/uploads/:uploadId', ['HEAD', 'PATCH', 'DELETE'], [Uploads, 'handle'])
        .as('files.api.uploads.update')
        .where('uploadId', /^\d+-[0-9a-f-]{36}$/)
        .use(write())
    )
    /* Straight to S3: a presigned PUT, then `complete` measures what arrived. */
    router.post('/direct', [Direct, 'store']).as('files.api.direct_uploads.store').use(write())
    router
      .post('/direct/:id/complete', [Direct, 'complete'])
      .as('files.api.direct_uploads.complete')
      .use(write())
    router.get('/', [ApiFiles, 'index']).as('files.api.files.index').use(read())
    readsOwnBody(router.post('/', [ApiFiles, 'store']).as('files.api.files.store').use(write()))
    router.get('/:id', [ApiFiles, 'show']).as('files.api.files.show').use(read())
    router.delete('/:id', [ApiFiles, 'destroy']).as('files.api.files.destroy').use(write())
  })
  .prefix('/api/v1/files')
  .where('id', idMatcher)
  .use([middleware.auth({ guards: ['api'] }), middleware.apiTenant()])
