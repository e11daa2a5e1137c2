import { ModuleProvider } from '#app/modules/module_provider'
import openapiPaths from '#accounts/openapi'
import { Realtime } from '#app/realtime/realtime'
import { realtimeAuthenticator } from '#accounts/services/realtime_identity'
import UserRegistered from '#accounts/events/user_registered'
import ApiTokenCreated from '#accounts/events/api_token_created'
import MemberJoined from '#accounts/events/member_joined'
import MemberLeft from '#accounts/events/member_left'
import UserDeleted from '#accounts/events/user_deleted'
import AccessRevoked from '#accounts/events/access_revoked'
import CredentialsChanged from '#accounts/events/credentials_changed'
import type User from '#accounts/models/user'
import { SESSION_FINGERPRINT_KEY, sessionFingerprint } from '#accounts/services/session_fingerprint'
import type { HttpContext } from '@adonisjs/core/http'

const SendVerificationEmail = () => import('#accounts/listeners/send_verification_email')
const PushAccountChanges = () => import('#accounts/listeners/push_account_changes')

export default class AccountsProvider extends ModuleProvider {
  routes = () => import('#accounts/routes')

  openapi() {
    return openapiPaths
  }

  navigation = [
    {
      section: 'main' as const,
      label: 'Dashboard',
      route: 'accounts.dashboard.show',
      icon: 'home',
      order: 0,
    },
    {
      section: 'company' as const,
      label: 'Members',
      route: 'accounts.members.index',
      icon: 'users',
      order: 10,
    },
    {
      section: 'company' as const,
      label: 'API tokens',
      route: 'accounts.api_tokens.index',
      icon: 'key',
      order: 20,
    },
    {
      section: 'company' as const,
      label: 'Roles',
      route: 'accounts.roles.index',
      icon: 'shield',
      order: 30,
    },
    {
      section: 'company' as const,
      label: 'Settings',
      route: 'accounts.companies.edit',
      icon: 'cog',
      order: 90,
    },
    {
      section: 'account' as const,
      label: 'Profile',
      route: 'accounts.profile.edit',
      icon: 'user',
      order: 0,
    },
  ]

  async boot() {
    const emitter = await this.app.container.make('emitter')
    emitter.on(UserRegistered, [SendVerificationEmail])
    emitter.on(ApiTokenCreated, [PushAccountChanges, 'tokenCreated'])
    emitter.on(MemberJoined, [PushAccountChanges, 'memberJoined'])
    emitter.on(MemberLeft, [PushAccountChanges, 'memberLeft'])
    emitter.on(UserDeleted, [PushAccountChanges, 'userDeleted'])
    emitter.on(AccessRevoked, [PushAccountChanges, 'accessRevoked'])
    emitter.on(CredentialsChanged, [PushAccountChanges, 'credentialsChanged'])
    emitter.on('session_auth:login_succeeded', ({ ctx, user }) => {
      ctx.session.put(SESSION_FINGERPRINT_KEY, sessionFingerprint(user as User))
    })
    emitter.on('queued:mail:error', ({ error }) => {
      this.app.container
        .make('logger')
        .then((logger) => logger.error({ err: error }, 'a queued mail failed'))
    })
    const realtime = await this.app.container.make(Realtime)
    realtime.authenticateWith(realtimeAuthenticator(this.app))
  }

  /* The signed-in user and their companies, on every page. */
  async share(ctx: HttpContext) {
    const { CompaniesService } = await import('#accounts/services/companies_service')
    const user = ctx.auth.user!
    const { current, memberships } = await new CompaniesService().current(user)
    return {
      user: {
        id: user.id,
        email: user.email,
        name: user.displayName,
        isAdmin: user.isAdmin,
        emailVerified: !!user.emailVerifiedAt,
      },
      currentCompany: current
        ? { id: current.companyId, name: current.company.name, role: current.role }
        : null,
      companies: memberships.map((m) => ({ id: m.companyId, name: m.company.name, role: m.role })),
    }
  }
}
