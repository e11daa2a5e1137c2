import { defineModules, type ModuleDefinition } from '#app/modules/define_modules'

/*
| Tandem's feature modules, in dependency order: a module is listed after the modules it uses,
| and its migrations run after theirs. TANDEM_MODULES (allow-list) and TANDEM_MODULES_DISABLED
| (deny-list), validated in start/env.ts, switch modules per environment; `node ace modules:list`
| shows the result.
*/
export const catalog: Record<string, ModuleDefinition> = {
  accounts: {
    description: 'Users, companies, memberships, invitations and API tokens',
    required: true,
  },
  admin: {
    description: 'Platform administration: users, companies and the audit log',
    dependsOn: ['accounts'],
  },
  tasks: {
    description: 'Background tasks people wait on: progress, logs, results, cancel, history',
    dependsOn: ['accounts'],
  },
  ops: {
    description: 'Health checks, Prometheus metrics and the admin System page',
    dependsOn: ['accounts'],
  },
  credits: {
    description:
      'Company credit balances: an append-only ledger with grants, holds, expiry and idempotent writes',
    dependsOn: ['accounts'],
  },
  telemetry: {
    description:
      'Desktop telemetry: installations, batched event ingestion, error issues, releases and the admin dashboard',
    dependsOn: ['accounts'],
  },
  rooms: {
    description:
      'Real-time rooms: chat, presence, a synchronized focus timer and WebRTC video calls',
    dependsOn: ['accounts'],
  },
  billing: {
    description:
      'Stripe subscriptions, credit packs, the customer portal and webhooks applied exactly once',
    dependsOn: ['accounts', 'credits'],
  },
  files: {
    description:
      'Company files on the local disk or S3: streamed uploads, signed links, quotas, purging',
    dependsOn: ['accounts'],
  },
  // `node ace make:module <name>` adds new modules above this line.
}

/* Read from process.env: the Ace command loader evaluates this file before .env is loaded. */
const modulesConfig = defineModules({
  modules: catalog,
  only: process.env.TANDEM_MODULES,
  disabled: process.env.TANDEM_MODULES_DISABLED,
})

export default modulesConfig
