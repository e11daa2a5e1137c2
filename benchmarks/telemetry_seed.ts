/*
| Seeds the telemetry benchmark: one company with an owner and an ingest token
| (`telemetry:write`). Prints `{"token":"…","companyId":…}`.
*/
import { bootApp, seedCompany } from './seed_company.js'

const app = await bootApp()
const { company, token } = await seedCompany('Telemetry bench', ['telemetry:write'])
console.log(JSON.stringify({ token, companyId: company.id }))
await app.terminate()
