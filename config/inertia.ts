import { defineConfig } from '@adonisjs/inertia'
import { servedOverHttps } from '#config/app'

const inertiaConfig = defineConfig({
  rootView: 'inertia_layout',
  /*
  | Page data kept in the browser's history is encrypted (so Back after logging out shows
  | nothing readable). Browsers only allow it in a secure context: https, or localhost.
  */
  encryptHistory: servedOverHttps,
  ssr: { enabled: false, entrypoint: 'resources/js/ssr.ts' },
})

export default inertiaConfig
