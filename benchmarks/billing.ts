/*
| The billing part of `npm run bench` (issue 7): how fast POST /webhooks/stripe acknowledges a
| burst of 1,000 signed `invoice.paid` events (each one stored once and turned into a credit
| grant before the 200), beside bare node:http doing only the signature check
| (baseline_webhook.ts), and the cost of that check alone, in this process. Aim: p99 < 250 ms.
|
| Stripe delivers to an endpoint over a limited number of connections at once; the burst goes
| through BENCH_CONNECTIONS of them. Afterwards every event must be stored and the company's
| balance must hold exactly one grant per invoice, or the part fails.
*/
import { join } from 'node:path'
import { createRequire } from 'node:module'
import Stripe from 'stripe'
import { ace, runScript, startServer, type Env } from './processes.js'
import { StripeStandin } from '#billing/standin/stripe_standin'

const SECRET = 'whsec_bench_0123456789abcdef'
const KEY = 'sk_test_bench'

export type Burst = {
  events: number
  seconds: number
  latencyMs: { p50: number; p99: number; max: number }
  errors: number
}

function invoiceEvent(index: number) {
  const now = Math.floor(Date.now() / 1000)
  const id = `in_bench_${index}_${now}`
  return {
    id: `evt_bench_${index}_${now}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now,
    type: 'invoice.paid',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id,
        object: 'invoice',
        customer: 'cus_bench',
        status: 'paid',
        billing_reason: 'subscription_cycle',
        currency: 'usd',
        amount_due: 1900,
        amount_paid: 1900,
        created: now,
        parent: {
          type: 'subscription_details',
          subscription_details: { subscription: 'sub_bench', metadata: {} },
        },
        lines: {
          object: 'list',
          data: [
            {
              id: `il_${index}`,
              object: 'line_item',
              amount: 1900,
              period: { start: now, end: now + 30 * 86_400 },
              pricing: {
                type: 'price_details',
                price_details: { price: 'price_starter_monthly', product: 'prod_starter' },
              },
            },
          ],
        },
      },
    },
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function burst(
  url: string,
  payloads: string[],
  connections: number,
  signer: Stripe
): Promise<Burst> {
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const started = performance.now()
  const lane = async () => {
    for (let i = next++; i < payloads.length; i = next++) {
      const sent = performance.now()
      const response = await fetch(`${url}/webhooks/stripe`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signer.webhooks.generateTestHeaderString({
            payload: payloads[i],
            secret: SECRET,
          }),
        },
        body: payloads[i],
      }).catch(() => null)
      await response?.arrayBuffer()
      if (response?.status === 200) latencies.push(performance.now() - sent)
      else errors++
    }
  }
  await Promise.all(Array.from({ length: connections }, lane))
  const sorted = latencies.sort((a, b) => a - b)
  return {
    events: payloads.length,
    seconds: (performance.now() - started) / 1000,
    latencyMs: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
    errors,
  }
}

/* What the check costs on its own: the same SDK call over the same payloads, in this process. */
function verificationAlone(payloads: string[], signer: Stripe) {
  const headers = payloads.map((payload) =>
    signer.webhooks.generateTestHeaderString({ payload, secret: SECRET })
  )
  const times: number[] = []
  for (const [i, payload] of payloads.entries()) {
    const started = performance.now()
    signer.webhooks.constructEvent(payload, headers[i], SECRET, 300)
    times.push((performance.now() - started) * 1000)
  }
  const sorted = times.sort((a, b) => a - b)
  return { p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99) }
}

function stored(sqlitePath: string, companyId: number) {
  const require = createRequire(import.meta.url)
  const Database = require('better-sqlite3')
  const db = new Database(sqlitePath, { readonly: true })
  const events = db
    .prepare("SELECT count(*) AS n FROM billing_events WHERE status = 'processed'")
    .get().n
  const balance =
    db.prepare('SELECT balance FROM credit_accounts WHERE company_id = ?').get(companyId)
      ?.balance ?? 0
  db.close()
  return { events: Number(events), balance: Number(balance) }
}

export async function billingBenchmark(options: {
  env: Env
  workDir: string
  fromSource: boolean
  connections: number
  events: number
  say: (message: string) => void
}) {
  /* Tandem's Stripe host for the run (invoice.paid itself needs no Stripe call); events are made here. */
  const standin = await new StripeStandin({ secretKey: KEY, prices: [] }).start()
  const sqlitePath = join(options.workDir, 'billing.sqlite3')
  const env: Env = {
    ...options.env,
    SQLITE_PATH: sqlitePath,
    QUEUE_IN_PROCESS: 'false',
    STRIPE_SECRET_KEY: KEY,
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_BASE: standin.url,
  }
  try {
    options.say('billing: migrating, one company with a Stripe customer')
    await ace(['migration:run', '--force'], env)
    const seed = options.fromSource
      ? 'benchmarks/billing_seed.ts'
      : 'build/benchmarks/billing_seed.js'
    const seeded = await runScript(seed, env)
    const { companyId } = JSON.parse(seeded.trim().split('\n').at(-1)!)
    const payloads = Array.from({ length: options.events }, (_, i) =>
      JSON.stringify(invoiceEvent(i))
    )
    const signer = new Stripe(KEY)
    const ready = (url: string) =>
      fetch(url + '/webhooks/stripe', { method: 'POST' }).then((r) => r.status === 400)

    options.say(
      `billing: Tandem, ${options.events.toLocaleString('en-US')} invoice.paid events over ${options.connections} connections`
    )
    const server = await startServer(
      'Tandem',
      options.fromSource ? 'bin/server.ts' : 'build/bin/server.js',
      env,
      ready
    )
    let tandem: Burst
    try {
      tandem = await burst(server.url, payloads, options.connections, signer)
    } finally {
      await server.stop()
    }
    const after = stored(sqlitePath, companyId)
    if (after.events !== options.events || after.balance !== options.events * 1000)
      throw new Error(
        `billing: ${after.events} events stored and a balance of ${after.balance} after ${options.events} invoices`
      )

    options.say('billing: baseline (benchmarks/baseline_webhook.ts, signature check only)')
    const bare = await startServer('baseline', 'benchmarks/baseline_webhook.ts', env, ready)
    let baseline: Burst
    try {
      baseline = await burst(bare.url, payloads, options.connections, signer)
    } finally {
      await bare.stop()
    }
    return { tandem, baseline, verification: verificationAlone(payloads, signer), stored: after }
  } finally {
    await standin.stop()
  }
}
