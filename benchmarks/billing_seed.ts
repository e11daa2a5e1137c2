/*
| Seeds the billing benchmark (its own process, on the database its env names): one company
| whose Stripe customer is `cus_bench`. Prints `{"companyId":…}`.
*/
import { createIgnitor } from '../bin/ignitor.js'

const app = createIgnitor().createApp('console')
await app.init()
await app.boot()
await app.start(() => {})

const { default: Company } = await import('#accounts/models/company')
const { Customers } = await import('#billing/services/customers')
const company = await Company.create({ name: 'Billing bench', personal: false })
const customers = await app.container.make(Customers)
await customers.link(company.id, 'cus_bench')
console.log(JSON.stringify({ companyId: company.id }))
await app.terminate()
