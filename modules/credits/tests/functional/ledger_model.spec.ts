import { test } from '@japa/runner'
import fc from 'fast-check'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { CreditsService } from '#credits/services/credits_service'
import { CreditsAudit } from '#credits/services/credits_audit'
import { fakeClock } from '#credits/tests/helpers/credits'

/*
| Property-based: random sequences of grants, consumes (alone and in batches), holds, captures,
| releases and clock jumps run against the real ledger and against a small in-memory model
| written from the rules alone. After every step both must agree on balance, held and available,
| and on which operations are refused. A failure prints the seed; FC_SEED=<seed> replays it.
*/
type Grant = { id: number; remaining: number; expiresAt: number | null; priority: number }
type Hold = {
  amount: number
  expiresAt: number
  status: string
  parts: Array<{ grant: Grant; amount: number }>
}

const order = (a: Grant, b: Grant) =>
  (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || a.priority - b.priority || a.id - b.id

class Model {
  grants: Grant[] = []
  holds: Hold[] = []
  constructor(public now: number) {}

  sweep() {
    for (const hold of this.holds.filter((h) => h.status === 'active' && h.expiresAt <= this.now))
      this.settle(hold, 0, 'expired')
    for (const grant of this.grants)
      if (grant.expiresAt !== null && grant.expiresAt <= this.now) grant.remaining = 0
  }
  get held() {
    return this.holds.filter((h) => h.status === 'active').reduce((t, h) => t + h.amount, 0)
  }
  get available() {
    return this.grants.reduce((t, g) => t + g.remaining, 0)
  }
  draw(amount: number) {
    const parts: Hold['parts'] = []
    for (const grant of this.grants.filter((g) => g.remaining > 0).sort(order)) {
      const take = Math.min(amount, grant.remaining)
      grant.remaining -= take
      amount -= take
      parts.push({ grant, amount: take })
      if (amount === 0) break
    }
    return parts
  }
  settle(hold: Hold, capture: number, status: string) {
    for (const part of [...hold.parts].sort((a, b) => order(a.grant, b.grant))) {
      const used = Math.min(capture, part.amount)
      capture -= used
      part.grant.remaining += part.amount - used
    }
    hold.status = status
  }
}

const step = fc.oneof(
  fc.record({
    op: fc.constant('grant' as const),
    amount: fc.integer({ min: 1, max: 50 }),
    expiresIn: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
    priority: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ op: fc.constant('consume' as const), amount: fc.integer({ min: 1, max: 60 }) }),
  fc.record({
    op: fc.constant('batch' as const),
    amounts: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    op: fc.constant('hold' as const),
    amount: fc.integer({ min: 1, max: 60 }),
    ttl: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({
    op: fc.constant('capture' as const),
    hold: fc.nat(9),
    amount: fc.integer({ min: 0, max: 70 }),
  }),
  fc.record({ op: fc.constant('release' as const), hold: fc.nat(9) }),
  fc.record({ op: fc.constant('jump' as const), seconds: fc.integer({ min: 0, max: 120 }) })
)

const code = (error: any) => error?.code ?? String(error)
const CLOSED: Record<string, string> = {
  captured: 'E_HOLD_CAPTURED',
  released: 'E_HOLD_RELEASED',
  expired: 'E_HOLD_EXPIRED',
}

test.group('Credits ledger against a model', (group) => {
  isolate(group)

  test('random operations and clock jumps: the ledger always matches the model', async ({
    assert,
  }) => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)
    const { clock, restore } = fakeClock(1_800_000_000_000)
    const credits = await app.container.make(CreditsService)
    const actor = { type: 'system' as const }
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
          const { company } = await createCompanyWithOwner()
          const model = new Model(clock.now())
          const holdIds: number[] = []
          const refused = async (run: () => Promise<unknown>) => {
            try {
              await run()
              return null
            } catch (error) {
              return code(error)
            }
          }
          for (const s of steps) {
            model.now = clock.now()
            model.sweep()
            if (s.op === 'jump') {
              clock.jump(s.seconds * 1000)
            } else if (s.op === 'grant') {
              const expiresAt = s.expiresIn === null ? null : clock.now() + s.expiresIn * 1000
              const { result } = await credits.grant(company.id, {
                amount: s.amount,
                expiresAt,
                priority: s.priority,
                actor,
                reason: 'pbt',
              })
              model.grants.push({
                id: result.grantId,
                remaining: s.amount,
                expiresAt,
                priority: s.priority,
              })
            } else if (s.op === 'consume') {
              const expected = model.available < s.amount ? 'E_INSUFFICIENT_CREDITS' : null
              if (!expected) model.draw(s.amount)
              const got = await refused(() =>
                credits.consume(company.id, { amount: s.amount, actor, reason: 'pbt' })
              )
              assert.equal(got, expected, `consume ${s.amount}`)
            } else if (s.op === 'batch') {
              /* Each item is a consume of its own, in order: one that does not fit is skipped. */
              const expected = s.amounts.map((amount) => {
                if (model.available < amount) return 'E_INSUFFICIENT_CREDITS'
                model.draw(amount)
                return null
              })
              const settled = await credits.consumeBatch(
                company.id,
                s.amounts.map((amount) => ({ amount, reason: 'pbt' })),
                { actor }
              )
              const got = settled.map((outcome) =>
                outcome.status === 'fulfilled' ? null : code(outcome.reason)
              )
              assert.deepEqual(got, expected, `batch ${s.amounts}`)
            } else if (s.op === 'hold') {
              const expected = model.available < s.amount ? 'E_INSUFFICIENT_CREDITS' : null
              let id = 0
              const got = await refused(async () => {
                const { result } = await credits.hold(company.id, {
                  amount: s.amount,
                  ttlSeconds: s.ttl,
                  actor,
                  reason: 'pbt',
                })
                id = result.holdId
              })
              assert.equal(got, expected, `hold ${s.amount}`)
              if (!expected) {
                const parts = model.draw(s.amount)
                model.holds.push({
                  amount: s.amount,
                  expiresAt: clock.now() + s.ttl * 1000,
                  status: 'active',
                  parts,
                })
                holdIds.push(id)
              }
            } else {
              const hold = model.holds[s.hold]
              if (!hold) continue
              const amount = s.op === 'capture' ? s.amount : 0
              const expected =
                hold.status !== 'active'
                  ? CLOSED[hold.status]
                  : amount > hold.amount
                    ? 'E_CAPTURE_EXCEEDS_HOLD'
                    : null
              if (!expected)
                model.settle(hold, amount, s.op === 'capture' ? 'captured' : 'released')
              const got = await refused(() =>
                s.op === 'capture'
                  ? credits.capture(company.id, holdIds[s.hold], { amount, actor, reason: 'pbt' })
                  : credits.release(company.id, holdIds[s.hold], { actor, reason: 'pbt' })
              )
              assert.equal(got, expected, `${s.op} hold #${s.hold}`)
            }
            model.now = clock.now()
            model.sweep()
            const account = await credits.balance(company.id)
            assert.deepEqual(
              { balance: account.balance, held: account.held },
              { balance: model.available + model.held, held: model.held },
              `after ${JSON.stringify(s)}`
            )
            /* Which grant each credit came from matters too: it decides what expires later. */
            const rows = await db
              .from('credit_grants')
              .where('company_id', company.id)
              .orderBy('id')
            assert.deepEqual(
              rows.map((row: any) => Number(row.remaining)),
              model.grants.map((grant) => grant.remaining),
              `grant remainders after ${JSON.stringify(s)}`
            )
          }
        }),
        { seed, numRuns: Number(process.env.FC_RUNS ?? 40) }
      )
    } catch (error: any) {
      throw new Error(`${error.message}\nReplay with FC_SEED=${seed}`)
    } finally {
      restore()
    }
    const report = await new CreditsAudit().run()
    assert.deepEqual(report.violations, [])
  }).timeout(180_000)
})
