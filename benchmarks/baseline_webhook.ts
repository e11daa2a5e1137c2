/*
| The billing benchmark's baseline: bare node:http answering a Stripe webhook after verifying
| its signature with the same SDK call Tandem makes, and nothing else (no storage, no credits).
*/
import { createServer } from 'node:http'
import Stripe from 'stripe'

const stripe = new Stripe('sk_test_baseline')
const secret = process.env.STRIPE_WEBHOOK_SECRET!

createServer(async (request, response) => {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  try {
    const event = stripe.webhooks.constructEvent(
      Buffer.concat(chunks),
      String(request.headers['stripe-signature']),
      secret,
      300
    )
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ received: true, id: event.id }))
  } catch {
    response.writeHead(400)
    response.end()
  }
}).listen(Number(process.env.PORT), '127.0.0.1')
