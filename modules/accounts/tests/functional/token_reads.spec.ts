import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { Secret } from '@adonisjs/core/helpers'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { CompanyTokensUserProvider } from '#accounts/services/token_user_provider'

const batched = ['postgres', 'mysql'].includes(db.connection().dialect.name)
const ON_SQLITE = 'PostgreSQL and MySQL only: on SQLite each token is read by its own statement'

/*
| On PostgreSQL and MySQL the bearer tokens asked for during one turn of the event loop are read by one
| statement (TokenRows): each request still gets its own token, user and company, and a token
| revoked before its read is refused.
*/
test.group('Bearer token reads on PostgreSQL and MySQL', (group) => {
  isolate(group)

  test('tokens read on one turn share one statement and each gets its own row', async ({
    assert,
  }) => {
    const first = await createCompanyWithOwner()
    const second = await createCompanyWithOwner()
    const issue = async (owner: User, companyId: number) =>
      (await User.accessTokens.create(owner, ['credits:read'], { companyId })).value!.release()
    const a = await issue(first.owner, first.company.id)
    const b = await issue(second.owner, second.company.id)
    const revoked = await issue(first.owner, first.company.id)

    const provider = new CompanyTokensUserProvider({
      tokens: 'accessTokens',
      model: () => import('#accounts/models/user'),
    })
    /* Warm up: the join's SQL is built on first use. */
    await provider.verifyToken(new Secret(a))
    const revokedToken = await provider.verifyToken(new Secret(revoked))
    await db.from('auth_access_tokens').where('id', Number(revokedToken!.identifier)).delete()

    const statements: string[] = []
    const rawQuery = db.rawQuery
    db.rawQuery = ((sql: string, ...rest: any[]) => {
      statements.push(sql)
      return (rawQuery as any).call(db, sql, ...rest)
    }) as typeof db.rawQuery
    let verified
    try {
      verified = await Promise.all([
        provider.verifyToken(new Secret(a)),
        provider.verifyToken(new Secret(b)),
        provider.verifyToken(new Secret(a)),
        provider.verifyToken(new Secret(revoked)),
      ])
    } finally {
      db.rawQuery = rawQuery
    }

    assert.lengthOf(statements, 1)
    assert.match(statements[0], /= ANY\(\?\)|`id` IN \(/)
    const [ta, tb, ta2, tr] = verified
    assert.deepEqual(
      [ta?.tenant?.companyId, tb?.tenant?.companyId, ta2?.tenant?.companyId],
      [first.company.id, second.company.id, first.company.id]
    )
    assert.deepEqual(
      [ta, tb].map((token) => Number(token?.tokenableId)),
      [first.owner.id, second.owner.id]
    )
    assert.isNull(tr, 'a token deleted before the read is refused')
  }).skip(!batched, ON_SQLITE)
})
