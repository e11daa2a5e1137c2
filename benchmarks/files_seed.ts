/*
| Seeds the files benchmark: one company with an owner and a `files:write` token.
| Prints `{"token":"…"}`.
*/
import { bootApp, seedCompany } from './seed_company.js'

const app = await bootApp()
const { token } = await seedCompany('Files bench', ['files:write', 'files:read'])
console.log(JSON.stringify({ token }))
await app.terminate()
