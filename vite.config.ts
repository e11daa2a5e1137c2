import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import tailwindcss from '@tailwindcss/vite'
import adonisjs from '@adonisjs/vite/client'

export default defineConfig({
  plugins: [
    vue(),
    tailwindcss(),
    adonisjs({ entryPoints: ['resources/js/app.ts'], reload: ['resources/views/**/*.edge'] }),
  ],
  resolve: {
    alias: { '~/': `${import.meta.dirname}/resources/js/` },
  },
  /*
  | The app is rendered client-side only. Building just the client environment keeps Vite's
  | default SSR environment from overwriting the browser bundle in public/assets.
  */
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.client)
    },
  },
})
