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

const SHARED = 'services/|events/|models/user$|models/company$'
/* Tests may also use other modules' factories to set up data. */
const SHARED_WITH_TESTS = `${SHARED}|database/factories/`

function boundariesOf(module, { tests }) {
  const others = modules.filter((other) => other !== module).join('|')
  const allowed = tests ? SHARED_WITH_TESTS : SHARED
  return {
    name: `tandem/boundaries/${module}${tests ? '/tests' : ''}`,
    files: [tests ? `modules/${module}/tests/**/*.ts` : `modules/${module}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^#(${others})/(?!${allowed})`,
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
  ...modules.flatMap((module) => [boundariesOf(module, { tests: false }), boundariesOf(module, { tests: true })]),
  {
    name: 'tandem/tests',
    files: ['tests/**/*.ts', 'modules/*/tests/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off', 'no-control-regex': 'off' },
  },
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
