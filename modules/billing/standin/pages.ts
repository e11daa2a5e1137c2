import type { StripeObject } from '#billing/standin/standin_store'

/* The stand-in's two pages: a checkout that completes or cancels, and a small customer portal. */
const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100)
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function layout(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 4px 24px #0001;padding:32px;width:380px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#697386;font-size:14px}.amount{font-size:32px;font-weight:700;margin:16px 0}
button{width:100%;padding:12px;border:0;border-radius:6px;font-size:16px;font-weight:600;cursor:pointer;margin-top:10px}
.pay{background:#635bff;color:#fff}.quiet{background:#e3e8ee;color:#1a1f36}
.badge{display:inline-block;background:#fff4e5;color:#a15c07;border-radius:4px;padding:2px 6px;font-size:12px;font-weight:600}
</style></head><body><main>${body}<p class="muted" style="margin-top:24px">Stripe stand-in · test mode · no card is charged</p></main></body></html>`
}

export function checkoutPage(session: StripeObject, price: StripeObject) {
  const recurring = price.recurring ? ` / ${price.recurring.interval}` : ''
  const trial = session._trialDays
    ? `<p><span class="badge">${session._trialDays}-day free trial</span> then ${money(price.unit_amount, price.currency)}${recurring}</p>`
    : ''
  const closed = session.status !== 'open'
  return layout(
    'Checkout',
    `<h1>${escape(price.nickname ?? price.id)}</h1>
<p class="muted">${session.mode === 'subscription' ? 'Subscription' : 'One-time purchase'}</p>
<p class="amount" data-amount>${money(session._trialDays ? 0 : price.unit_amount, price.currency)}${session._trialDays ? ' today' : recurring}</p>${trial}
${
  closed
    ? `<p>This checkout is ${escape(session.status)}.</p>`
    : `<form method="post" action="/checkout/${session.id}/pay"><button class="pay" id="pay" type="submit">${session._trialDays ? 'Start trial' : 'Pay'}</button></form>
<form method="post" action="/checkout/${session.id}/cancel"><button class="quiet" id="cancel" type="submit">Cancel</button></form>`
}`
  )
}

export function portalPage(
  portal: StripeObject,
  subscription: StripeObject | null,
  prices: StripeObject[]
) {
  if (!subscription)
    return layout(
      'Billing portal',
      `<h1>No subscription</h1><p><a href="${escape(portal.return_url)}">Return</a></p>`
    )
  const current = subscription.items.data[0].price
  const choices = prices
    .filter((p) => p.recurring && p.id !== current.id && p.active)
    .map(
      (p) =>
        `<form method="post" action="/portal/${portal.id}/plan"><input type="hidden" name="price" value="${p.id}"><button class="quiet" type="submit" data-price="${p.id}">Switch to ${escape(p.nickname)} (${money(p.unit_amount, p.currency)} / ${p.recurring.interval})</button></form>`
    )
    .join('')
  const cancel = subscription.cancel_at_period_end
    ? `<form method="post" action="/portal/${portal.id}/resume"><button class="pay" id="resume" type="submit">Renew subscription</button></form>`
    : `<form method="post" action="/portal/${portal.id}/cancel"><button class="quiet" id="cancel-subscription" type="submit">Cancel subscription</button></form>`
  return layout(
    'Billing portal',
    `<h1>${escape(current.nickname)}</h1><p class="muted">Status: <b data-status>${subscription.status}</b>${
      subscription.cancel_at_period_end ? ' · cancels at period end' : ''
    }</p>${choices}${cancel}<p><a href="${escape(portal.return_url)}" id="return">Return to Tandem</a></p>`
  )
}
