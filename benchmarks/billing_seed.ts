/*
| Seeds the billing benchmark: one company whose Stripe customer is `cus_bench`.
| Prints `{"companyId":…}`.
*/
import { bootApp } from './seed_company.js'

const app = await bootApp()
const { default: Company } = await import('#accounts/models/company')
const { Customers } = await import('#billing/services/customers')
const company = await Company.create({ name: 'Billing bench', personal: false })
const customers = await app.container.make(Customers)
await customers.link(company.id, 'cus_bench')
console.log(JSON.stringify({ companyId: company.id }))
await app.terminate()
