import '../css/app.css'
import { createApp, h, type DefineComponent } from 'vue'
import { createInertiaApp } from '@inertiajs/vue3'
import AppLayout from '~/layouts/app_layout.vue'
import GuestLayout from '~/layouts/guest_layout.vue'

const pages = import.meta.glob<DefineComponent>('../pages/**/*.vue')

createInertiaApp({
  title: (title) => (title ? `${title} · Tandem` : 'Tandem'),
  resolve: async (name) => {
    const page = pages[`../pages/${name}.vue`]
    if (!page) throw new Error(`Unknown page: ${name}`)
    return page()
  },
  /* Signed-in people get the app shell with navigation; everyone else the centred card layout. */
  layout: (name, page) => {
    if (name === 'accounts/landing/show') return null
    return (page.props as { user?: unknown }).user ? AppLayout : GuestLayout
  },
  setup({ el, App, props, plugin }) {
    createApp({ render: () => h(App, props) })
      .use(plugin)
      .mount(el)
  },
  progress: { color: '#4f46e5' },
})
