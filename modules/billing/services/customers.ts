import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Company from '#accounts/models/company'
import User from '#accounts/models/user'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { BillingSettings } from '#billing/services/billing_settings'

/*
| The company's Stripe customer. Created once: Stripe's idempotency key makes two racing
| creations return the same customer, and the row insert ignores the second writer.
*/
@inject()
export class Customers {
  constructor(
    private gateway: StripeGateway,
    private settings: BillingSettings
  ) {}

  async find(companyId: number): Promise<string | null> {
    const row = await db.from('billing_customers').where('company_id', companyId).first()
    return row?.stripe_customer_id ?? null
  }

  async companyOf(customerId: string): Promise<number | null> {
    const row = await db.from('billing_customers').where('stripe_customer_id', customerId).first()
    return row ? Number(row.company_id) : null
  }

  async ensure(company: Company, payer: User) {
    const existing = await this.find(company.id)
    if (existing) return existing
    const customer = await this.gateway.createCustomer(company, payer.email)
    await this.link(company.id, customer.id)
    return (await this.find(company.id))!
  }

  /** Records which company a Stripe customer pays for (first writer wins). */
  async link(companyId: number, customerId: string) {
    await db
      .insertQuery()
      .table('billing_customers')
      .insert({
        company_id: companyId,
        stripe_customer_id: customerId,
        created_at: this.settings.now(),
      })
      .onConflict('company_id')
      .ignore()
  }
}
