/* The billing module's public API, described for /api/v1/openapi.json. */
const error = (description: string) => ({ description, $ref: '#/components/responses/Error' })
const tags = ['Billing']
const Entitlements = {
  type: 'object',
  properties: {
    plan: { type: ['string', 'null'], description: 'The active plan, null without one' },
    status: {
      type: 'string',
      description: 'Stripe’s subscription status (trialing, active, past_due, canceled…), or none',
    },
    active: {
      type: 'boolean',
      description: 'Trialing, active, or past_due until the paid period ends',
    },
    entitlements: { type: 'array', items: { type: 'string' } },
    limits: { type: 'object', additionalProperties: { type: 'number' } },
    currentPeriodEnd: { type: ['string', 'null'], format: 'date-time' },
    cancelAtPeriodEnd: { type: 'boolean' },
    trialEnd: { type: ['string', 'null'], format: 'date-time' },
  },
}

export default {
  '/billing': {
    get: {
      tags,
      summary: 'The company’s plan and what it includes (billing:read)',
      responses: {
        '200': {
          description: 'Entitlements',
          content: { 'application/json': { schema: Entitlements } },
        },
      },
    },
  },
  '/billing/entitlements/{feature}': {
    get: {
      tags,
      summary: 'Whether the company’s active plan includes a feature',
      parameters: [{ name: 'feature', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'Included',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  feature: { type: 'string' },
                  included: { const: true },
                  plan: { type: 'string' },
                },
              },
            },
          },
        },
        '402': error('`E_PLAN_REQUIRED`: no active plan, or the plan does not include the feature'),
      },
    },
  },
}
