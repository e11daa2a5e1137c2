import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import {
  invitationThrottle,
  passwordResetThrottle,
  signupThrottle,
  verificationMailThrottle,
} from '#accounts/middleware/throttles'

const Landing = () => import('#accounts/controllers/landing_controller')
const Registrations = () => import('#accounts/controllers/registrations_controller')
const Sessions = () => import('#accounts/controllers/sessions_controller')
const PasswordResetRequests = () =>
  import('#accounts/controllers/password_reset_requests_controller')
const PasswordResets = () => import('#accounts/controllers/password_resets_controller')
const EmailVerifications = () => import('#accounts/controllers/email_verifications_controller')
const EmailChanges = () => import('#accounts/controllers/email_changes_controller')
const Dashboard = () => import('#accounts/controllers/dashboard_controller')
const Profile = () => import('#accounts/controllers/profile_controller')
const Passwords = () => import('#accounts/controllers/passwords_controller')
const Accounts = () => import('#accounts/controllers/accounts_controller')
const Companies = () => import('#accounts/controllers/companies_controller')
const CurrentCompanies = () => import('#accounts/controllers/current_companies_controller')
const Members = () => import('#accounts/controllers/members_controller')
const Roles = () => import('#accounts/controllers/roles_controller')
const Invitations = () => import('#accounts/controllers/invitations_controller')
const InvitationResends = () => import('#accounts/controllers/invitations/resends_controller')
const InvitationAcceptances = () =>
  import('#accounts/controllers/invitations/acceptances_controller')
const ApiTokens = () => import('#accounts/controllers/api_tokens_controller')
const ApiAuthTokens = () => import('#accounts/controllers/api/auth_tokens_controller')
const ApiMe = () => import('#accounts/controllers/api/me_controller')
const ApiMembers = () => import('#accounts/controllers/api/members_controller')

router.get('/', [Landing, 'show']).as('accounts.landing.show')
router.get('/invitations/:token', [InvitationAcceptances, 'show']).as('accounts.invitations.show')
router
  .get('/verify-email/:id', [EmailVerifications, 'show'])
  .where('id', idMatcher)
  .as('accounts.email_verifications.show')
router
  .get('/email-changes/:id', [EmailChanges, 'show'])
  .where('id', idMatcher)
  .as('accounts.email_changes.show')

router
  .group(() => {
    router.get('/signup', [Registrations, 'create']).as('accounts.registrations.create')
    router
      .post('/signup', [Registrations, 'store'])
      .as('accounts.registrations.store')
      .use(signupThrottle)
    router.get('/login', [Sessions, 'create']).as('accounts.sessions.create')
    router.post('/login', [Sessions, 'store']).as('accounts.sessions.store')
    router
      .get('/forgot-password', [PasswordResetRequests, 'create'])
      .as('accounts.password_reset_requests.create')
    router
      .post('/forgot-password', [PasswordResetRequests, 'store'])
      .as('accounts.password_reset_requests.store')
      .use(passwordResetThrottle)
    router
      .get('/reset-password/:token', [PasswordResets, 'edit'])
      .as('accounts.password_resets.edit')
    router
      .post('/reset-password/:token', [PasswordResets, 'update'])
      .as('accounts.password_resets.update')
  })
  .use(middleware.guest())

router
  .group(() => {
    router.post('/logout', [Sessions, 'destroy']).as('accounts.sessions.destroy')
    router
      .post('/verify-email', [EmailVerifications, 'store'])
      .as('accounts.email_verifications.store')
      .use(verificationMailThrottle)
    router.get('/dashboard', [Dashboard, 'show']).as('accounts.dashboard.show')
    router.get('/profile', [Profile, 'edit']).as('accounts.profile.edit')
    router.put('/profile', [Profile, 'update']).as('accounts.profile.update')
    router.put('/profile/password', [Passwords, 'update']).as('accounts.passwords.update')
    router.delete('/account', [Accounts, 'destroy']).as('accounts.accounts.destroy')
    router.get('/companies/new', [Companies, 'create']).as('accounts.companies.create')
    router.post('/companies', [Companies, 'store']).as('accounts.companies.store')
    router
      .put('/current-company', [CurrentCompanies, 'update'])
      .as('accounts.current_companies.update')
    router
      .post('/invitations/:token/accept', [InvitationAcceptances, 'store'])
      .as('accounts.invitations.accept')
  })
  .use(middleware.auth())

/* Company-scoped pages: `company` resolves :companyId to a membership or answers 404. */
router
  .group(() => {
    router.get('/settings', [Companies, 'edit']).as('accounts.companies.edit')
    router.put('/', [Companies, 'update']).as('accounts.companies.update')
    router.delete('/', [Companies, 'destroy']).as('accounts.companies.destroy')
    router.get('/members', [Members, 'index']).as('accounts.members.index')
    router.put('/members/:id', [Members, 'update']).as('accounts.members.update')
    router.delete('/members/:id', [Members, 'destroy']).as('accounts.members.destroy')
    router.get('/roles', [Roles, 'index']).as('accounts.roles.index')
    router
      .post('/invitations', [Invitations, 'store'])
      .as('accounts.company_invitations.store')
      .use(invitationThrottle)
    router
      .delete('/invitations/:id', [Invitations, 'destroy'])
      .as('accounts.company_invitations.destroy')
    router
      .post('/invitations/:id/resend', [InvitationResends, 'store'])
      .as('accounts.invitation_resends.store')
      .use(invitationThrottle)
    router.get('/tokens', [ApiTokens, 'index']).as('accounts.api_tokens.index')
    router.post('/tokens', [ApiTokens, 'store']).as('accounts.api_tokens.store')
    router.delete('/tokens/:id', [ApiTokens, 'destroy']).as('accounts.api_tokens.destroy')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .where('id', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Public API for desktops and scripts (bearer tokens). */
router
  .group(() => {
    router.post('/auth/tokens', [ApiAuthTokens, 'store']).as('accounts.api.auth_tokens.store')
    router
      .group(() => {
        router
          .delete('/auth/tokens/current', [ApiAuthTokens, 'destroy'])
          .as('accounts.api.auth_tokens.destroy')
        router.get('/me', [ApiMe, 'show']).as('accounts.api.me.show')
        router
          .get('/members', [ApiMembers, 'index'])
          .as('accounts.api.members.index')
          .use(middleware.ability({ ability: 'members:read' }))
      })
      .use([middleware.auth({ guards: ['api'] }), middleware.apiTenant()])
  })
  .prefix('/api/v1')
