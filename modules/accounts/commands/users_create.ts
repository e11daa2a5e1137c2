import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Creates a user (email verified) with a company, for operators and scripts. Prints both ids. */
export default class UsersCreate extends BaseCommand {
  static commandName = 'users:create'
  static description = 'Create a user with a company and print their ids'
  static help = [
    'node ace users:create ada@example.com --password="correct horse battery" --name="Ada" --company="Analytical" --admin',
    'Use --json for machine-readable output.',
  ]
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Email address of the new user' })
  declare email: string

  @flags.string({ description: 'Password (at least 8 characters)', required: true })
  declare password: string

  @flags.string({ description: 'Full name' })
  declare name?: string

  @flags.string({ description: 'Company name (default: a personal company named after the user)' })
  declare company?: string

  @flags.boolean({ description: 'Make the user a platform admin' })
  declare admin?: boolean

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { createUserValidator } = await import('#accounts/validators/cli')
    const { UsersService } = await import('#accounts/services/users_service')
    const [error, input] = await createUserValidator.tryValidate({
      email: this.email,
      password: this.password,
      name: this.name,
      company: this.company,
    })
    if (error) {
      for (const message of (error as any).messages)
        this.logger.error(`${message.field}: ${message.message}`)
      this.exitCode = 1
      return
    }
    try {
      const { user, company } = await new UsersService().create({
        email: input.email,
        password: input.password,
        fullName: input.name,
        companyName: input.company,
        admin: this.admin,
      })
      if (this.json) {
        this.logger.log(
          JSON.stringify({
            userId: user.id,
            companyId: company!.id,
            companySlug: company!.slug,
            email: user.email,
            isAdmin: user.isAdmin,
          })
        )
        return
      }
      this.logger.success(`Created ${user.email}${user.isAdmin ? ' (platform admin)' : ''}`)
      this.logger.log(`user id:    ${user.id}`)
      this.logger.log(`company id: ${company!.id} (${company!.name}, slug ${company!.slug})`)
    } catch (failure: any) {
      this.logger.error(failure.message)
      this.exitCode = 1
    }
  }
}
