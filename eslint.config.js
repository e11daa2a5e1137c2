import { readdirSync } from 'node:fs'
import { configApp } from '@adonisjs/eslint-config'

/*
| Module boundaries (docs/modules.md): a module imports another module only through its
| services and events; accounts' User and Company models are the one shared exception.
| The kernel in app/ never imports a module. Violations fail `npm run lint`.
*/
const modules = readdirSync(new URL('./modules', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const SHARED = '(?!services/|events/|models/user$|models/company$)'

function boundariesOf(module) {
  const others = modules.filter((other) => other !== module).join('|')
  return {
    name: `tandem/boundaries/${module}`,
    files: [`modules/${module}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^#(${others})/${SHARED}`,
              message: 'Use another module only through its services/ or events/ (or the User and Company models).',
            },
            {
              regex: `^(\\.\\./)+(modules/)?(${others})(/|$)`,
              message: 'Import other modules through their #alias, never by relative path.',
            },
          ],
        },
      ],
    },
  }
}

export default configApp(
  { ignores: ['resources/**', 'public/**', 'build/**', 'storage/**', 'tmp/**', '.adonisjs/**', 'benchmarks/results/**'] },
  ...modules.map(boundariesOf),
  {
    name: 'tandem/boundaries/kernel',
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^#(${modules.join('|')})/`, message: 'The kernel (app/) must not depend on feature modules.' }] },
      ],
    },
  }
)
