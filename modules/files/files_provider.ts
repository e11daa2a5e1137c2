import { ModuleProvider } from '#app/modules/module_provider'
import { grant } from '#accounts/services/roles'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage } from '#files/services/files_storage'
import openapi from '#files/openapi'

/*
| Files: company files on the local disk or S3 behind one API, streamed uploads, signed download
| links, quotas, soft deletion and purging (docs/adr/0011-files.md).
*/
export default class FilesProvider extends ModuleProvider {
  routes = () => import('#files/routes')

  navigation = [
    {
      section: 'company' as const,
      label: 'Files',
      route: 'files.files.index',
      icon: 'folder',
      order: 8,
    },
  ]

  register() {
    this.app.container.singleton(FilesSettings, () => new FilesSettings())
    grant('files:manage', ['owner', 'admin'])
    this.app.container.singleton(FilesStorage, async (resolver) => {
      const settings = await resolver.make(FilesSettings)
      return FilesStorage.fromEnv(settings.disk)
    })
  }

  openapi() {
    return openapi
  }
}
