import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/*
| `node ace make:module <name>`: a working module (provider, routes, controller, service, page,
| a passing functional test) registered in config/modules.ts and package.json imports.
*/
export const MODULE_NAME = /^[a-z][a-z0-9_]{1,30}$/
const CATALOG_MARKER = '  // `node ace make:module <name>` adds new modules above this line.'

export async function scaffoldModule(root: string, name: string, description: string) {
  if (!MODULE_NAME.test(name))
    throw new Error('Module names are snake_case: a-z, 0-9 and _, 2 to 31 characters')
  if (existsSync(join(root, 'modules', name))) throw new Error(`modules/${name} already exists`)

  const files = moduleFiles(name, description)
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), contents)
  }
  await registerInCatalog(root, name, description)
  await registerImportAlias(root, name)
  return Object.keys(files)
}

async function registerInCatalog(root: string, name: string, description: string) {
  const path = join(root, 'config/modules.ts')
  const source = await readFile(path, 'utf8')
  if (!source.includes(CATALOG_MARKER))
    throw new Error('config/modules.ts lost its make:module marker line')
  const entry = `  ${name}: {\n    description: ${JSON.stringify(description)},\n    dependsOn: ['accounts'],\n  },\n`
  await writeFile(path, source.replace(CATALOG_MARKER, `${entry}${CATALOG_MARKER}`))
}

async function registerImportAlias(root: string, name: string) {
  const path = join(root, 'package.json')
  const pkg = JSON.parse(await readFile(path, 'utf8'))
  pkg.imports[`#${name}/*`] = `./modules/${name}/*.js`
  await writeFile(path, JSON.stringify(pkg, null, 2) + '\n')
}

function title(name: string) {
  return name.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase())
}

function pascal(name: string) {
  return name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())
}

function moduleFiles(name: string, description: string): Record<string, string> {
  const path = `/${name.replace(/_/g, '-')}`
  const Service = `${pascal(name)}Service`
  return {
    [`modules/${name}/${name}_provider.ts`]: `import { ModuleProvider } from '#app/modules/module_provider'

/* ${description} */
export default class ${pascal(name)}Provider extends ModuleProvider {
  routes = () => import('#${name}/routes')

  navigation = [{ section: 'main' as const, label: ${JSON.stringify(title(name))}, route: '${name}.home.index', icon: 'list', order: 50 }]
}
`,
    [`modules/${name}/routes.ts`]: `import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Home = () => import('#${name}/controllers/home_controller')

router
  .group(() => {
    router.get('${path}', [Home, 'index']).as('${name}.home.index')
  })
  .use(middleware.auth())
`,
    [`modules/${name}/controllers/home_controller.ts`]: `import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ${Service} } from '#${name}/services/${name}_service'

@inject()
export default class HomeController {
  constructor(private service: ${Service}) {}

  async index({ inertia, auth }: HttpContext) {
    return inertia.render('${name}/home/index', { summary: this.service.summary(auth.getUserOrFail().email) })
  }
}
`,
    [`modules/${name}/services/${name}_service.ts`]: `/* The module's business logic lives in services: plain inputs, no HttpContext. */
export class ${Service} {
  summary(email: string) {
    return { module: '${name}', greeting: \`Hello \${email}, the ${name} module is on.\` }
  }
}
`,
    [`modules/${name}/database/migrations/.gitkeep`]: '',
    [`resources/pages/${name}/home/index.vue`]: `<script setup lang="ts">
import PageHeader from '~/components/page_header.vue'

defineProps<{ summary: { module: string; greeting: string } }>()
</script>

<template>
  <PageHeader title=${JSON.stringify(title(name))} subtitle=${JSON.stringify(description)} />
  <div class="card">{{ summary.greeting }}</div>
</template>
`,
    [`modules/${name}/tests/functional/home.spec.ts`]: `import { test } from '@japa/runner'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'

test.group('${title(name)} home', (group) => {
  isolate(group)

  test('shows the module page to a signed-in user', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client.get('${path}').loginAs(owner).withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('${name}/home/index')
    response.assertInertiaPropsContains({ summary: { module: '${name}' } })
  })

  test('sends visitors to the login page', async ({ client }) => {
    const response = await client.get('${path}').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })
})
`,
  }
}
