import { BaseSeeder } from '@adonisjs/lucid/seeders'
import env from '#start/env'
import User from '#accounts/models/user'
import Membership from '#accounts/models/membership'
import { UsersService } from '#accounts/services/users_service'

/*
| A demo company with a member and a platform admin, for trying Tandem locally. Safe to run
| again: existing demo accounts are kept. Development only (`node ace db:seed`).
*/
export const DEMO = {
  company: 'Demo Company',
  user: { email: 'demo@tandem.local', password: 'tandem-demo-password', fullName: 'Dana Demo' },
  admin: { email: 'admin@tandem.local', password: 'tandem-admin-password', fullName: 'Alex Admin' },
}

export default class DemoSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    const users = new UsersService()
    const owner = await this.#ensure(users, DEMO.user, false)
    const admin = await this.#ensure(users, DEMO.admin, true)
    if (
      owner.currentCompanyId &&
      !(await Membership.findBy({ companyId: owner.currentCompanyId, userId: admin.id }))
    ) {
      await Membership.create({
        companyId: owner.currentCompanyId,
        userId: admin.id,
        role: 'admin',
      })
    }
    this.#print()
  }

  async #ensure(users: UsersService, account: typeof DEMO.user, admin: boolean) {
    const existing = await User.findBy('email', account.email)
    if (existing) return existing
    const { user } = await users.create({
      ...account,
      companyName: admin ? undefined : DEMO.company,
      admin,
    })
    return user
  }

  #print() {
    const url = env.get('APP_URL')
    const lines = [
      `Tandem demo data is ready at ${url}`,
      '',
      `  Demo user      ${DEMO.user.email}  /  ${DEMO.user.password}   (owner of ${DEMO.company})`,
      `  Platform admin ${DEMO.admin.email}  /  ${DEMO.admin.password}  (admin area: ${url}/admin)`,
    ]
    const width = Math.max(...lines.map((line) => line.length)) + 2
    console.log(`\n┌${'─'.repeat(width)}┐`)
    for (const line of lines) console.log(`│ ${line.padEnd(width - 1)}│`)
    console.log(`└${'─'.repeat(width)}┘\n`)
  }
}
