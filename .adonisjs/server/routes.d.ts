import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'accounts.landing.show': { paramsTuple?: []; params?: {} }
    'accounts.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.email_verifications.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.email_changes.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.registrations.create': { paramsTuple?: []; params?: {} }
    'accounts.registrations.store': { paramsTuple?: []; params?: {} }
    'accounts.sessions.create': { paramsTuple?: []; params?: {} }
    'accounts.sessions.store': { paramsTuple?: []; params?: {} }
    'accounts.password_reset_requests.create': { paramsTuple?: []; params?: {} }
    'accounts.password_reset_requests.store': { paramsTuple?: []; params?: {} }
    'accounts.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.sessions.destroy': { paramsTuple?: []; params?: {} }
    'accounts.email_verifications.store': { paramsTuple?: []; params?: {} }
    'accounts.dashboard.show': { paramsTuple?: []; params?: {} }
    'accounts.profile.edit': { paramsTuple?: []; params?: {} }
    'accounts.profile.update': { paramsTuple?: []; params?: {} }
    'accounts.passwords.update': { paramsTuple?: []; params?: {} }
    'accounts.accounts.destroy': { paramsTuple?: []; params?: {} }
    'accounts.companies.create': { paramsTuple?: []; params?: {} }
    'accounts.companies.store': { paramsTuple?: []; params?: {} }
    'accounts.current_companies.update': { paramsTuple?: []; params?: {} }
    'accounts.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.companies.edit': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.companies.update': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.companies.destroy': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.roles.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.company_invitations.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.company_invitations.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.invitation_resends.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.api_tokens.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api_tokens.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api_tokens.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.api.auth_tokens.store': { paramsTuple?: []; params?: {} }
    'accounts.api.auth_tokens.destroy': { paramsTuple?: []; params?: {} }
    'accounts.api.me.show': { paramsTuple?: []; params?: {} }
    'accounts.api.members.index': { paramsTuple?: []; params?: {} }
    'admin.home': { paramsTuple?: []; params?: {} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.users.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.disablements.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.disablements.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.companies.index': { paramsTuple?: []; params?: {} }
    'admin.companies.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.audit_logs.index': { paramsTuple?: []; params?: {} }
    'tasks.tasks.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'tasks.tasks.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.cancellations.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.results.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.admin_tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.admin_cancellations.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.api.tasks.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.results.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.cancellations.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'ops.health.live': { paramsTuple?: []; params?: {} }
    'ops.health.ready': { paramsTuple?: []; params?: {} }
    'ops.metrics.show': { paramsTuple?: []; params?: {} }
    'ops.system.show': { paramsTuple?: []; params?: {} }
    'ops.failed_job_retries.store': { paramsTuple: [ParamValue,ParamValue]; params: {'queue': ParamValue,'id': ParamValue} }
    'ops.queue_jobs.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'queue': ParamValue,'id': ParamValue} }
    'ops.queue_cleanings.store': { paramsTuple: [ParamValue]; params: {'queue': ParamValue} }
    'credits.credits.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.exports.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.low_balance_thresholds.update': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.admin_credits.index': { paramsTuple?: []; params?: {} }
    'credits.admin_credits.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.admin_grants.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.admin_adjustments.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.balances.show': { paramsTuple?: []; params?: {} }
    'credits.api.transactions.index': { paramsTuple?: []; params?: {} }
    'credits.api.consumptions.store': { paramsTuple?: []; params?: {} }
    'credits.api.consumption_batches.store': { paramsTuple?: []; params?: {} }
    'credits.api.holds.store': { paramsTuple?: []; params?: {} }
    'credits.api.captures.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.releases.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.api.batches.store': { paramsTuple?: []; params?: {} }
    'telemetry.api.latest_releases.show': { paramsTuple?: []; params?: {} }
    'telemetry.installations.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'telemetry.dashboard.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.issue_statuses.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.events.index': { paramsTuple?: []; params?: {} }
    'telemetry.event_exports.show': { paramsTuple?: []; params?: {} }
    'telemetry.releases.index': { paramsTuple?: []; params?: {} }
    'telemetry.releases.store': { paramsTuple?: []; params?: {} }
    'telemetry.releases.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.release_halts.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.release_halts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.rooms.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'rooms.rooms.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'rooms.rooms.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.rooms.update': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.archives.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.archives.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.memberships.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.memberships.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.members.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.members.destroy': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue,'userId': ParamValue} }
    'rooms.api.ice_servers.show': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.index': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.store': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.rooms.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.memberships.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.memberships.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'userId': ParamValue} }
    'rooms.api.messages.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.update': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'messageId': ParamValue} }
    'rooms.api.messages.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'messageId': ParamValue} }
    'billing.billing.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.plans.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.checkouts.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.pack_checkouts.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'pack': ParamValue} }
    'billing.portal_sessions.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.webhooks.stripe': { paramsTuple?: []; params?: {} }
    'billing.api.billing.show': { paramsTuple?: []; params?: {} }
    'billing.api.entitlements.show': { paramsTuple: [ParamValue]; params: {'feature': ParamValue} }
    'files.files.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.files.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.files.download': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.direct_uploads.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.direct_uploads.complete': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.files.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.downloads.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.uploads.store': { paramsTuple?: []; params?: {} }
    'files.api.uploads.update': { paramsTuple: [ParamValue]; params: {'uploadId': ParamValue} }
    'files.api.direct_uploads.store': { paramsTuple?: []; params?: {} }
    'files.api.direct_uploads.complete': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.files.index': { paramsTuple?: []; params?: {} }
    'files.api.files.store': { paramsTuple?: []; params?: {} }
    'files.api.files.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.files.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'kernel.openapi.show': { paramsTuple?: []; params?: {} }
  }
  GET: {
    'accounts.landing.show': { paramsTuple?: []; params?: {} }
    'accounts.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.email_verifications.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.email_changes.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.registrations.create': { paramsTuple?: []; params?: {} }
    'accounts.sessions.create': { paramsTuple?: []; params?: {} }
    'accounts.password_reset_requests.create': { paramsTuple?: []; params?: {} }
    'accounts.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.dashboard.show': { paramsTuple?: []; params?: {} }
    'accounts.profile.edit': { paramsTuple?: []; params?: {} }
    'accounts.companies.create': { paramsTuple?: []; params?: {} }
    'accounts.companies.edit': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.roles.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api_tokens.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api.me.show': { paramsTuple?: []; params?: {} }
    'accounts.api.members.index': { paramsTuple?: []; params?: {} }
    'admin.home': { paramsTuple?: []; params?: {} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.companies.index': { paramsTuple?: []; params?: {} }
    'admin.companies.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.audit_logs.index': { paramsTuple?: []; params?: {} }
    'tasks.tasks.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'tasks.tasks.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.results.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.admin_tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.api.tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.api.tasks.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.results.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'ops.health.live': { paramsTuple?: []; params?: {} }
    'ops.health.ready': { paramsTuple?: []; params?: {} }
    'ops.metrics.show': { paramsTuple?: []; params?: {} }
    'ops.system.show': { paramsTuple?: []; params?: {} }
    'credits.credits.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.exports.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.admin_credits.index': { paramsTuple?: []; params?: {} }
    'credits.admin_credits.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.balances.show': { paramsTuple?: []; params?: {} }
    'credits.api.transactions.index': { paramsTuple?: []; params?: {} }
    'telemetry.api.latest_releases.show': { paramsTuple?: []; params?: {} }
    'telemetry.installations.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'telemetry.dashboard.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.events.index': { paramsTuple?: []; params?: {} }
    'telemetry.event_exports.show': { paramsTuple?: []; params?: {} }
    'telemetry.releases.index': { paramsTuple?: []; params?: {} }
    'rooms.rooms.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'rooms.rooms.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.api.ice_servers.show': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.index': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'billing.billing.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.plans.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.api.billing.show': { paramsTuple?: []; params?: {} }
    'billing.api.entitlements.show': { paramsTuple: [ParamValue]; params: {'feature': ParamValue} }
    'files.files.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.files.download': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.downloads.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.files.index': { paramsTuple?: []; params?: {} }
    'files.api.files.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'kernel.openapi.show': { paramsTuple?: []; params?: {} }
  }
  HEAD: {
    'accounts.landing.show': { paramsTuple?: []; params?: {} }
    'accounts.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.email_verifications.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.email_changes.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'accounts.registrations.create': { paramsTuple?: []; params?: {} }
    'accounts.sessions.create': { paramsTuple?: []; params?: {} }
    'accounts.password_reset_requests.create': { paramsTuple?: []; params?: {} }
    'accounts.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.dashboard.show': { paramsTuple?: []; params?: {} }
    'accounts.profile.edit': { paramsTuple?: []; params?: {} }
    'accounts.companies.create': { paramsTuple?: []; params?: {} }
    'accounts.companies.edit': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.roles.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api_tokens.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api.me.show': { paramsTuple?: []; params?: {} }
    'accounts.api.members.index': { paramsTuple?: []; params?: {} }
    'admin.home': { paramsTuple?: []; params?: {} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.companies.index': { paramsTuple?: []; params?: {} }
    'admin.companies.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.audit_logs.index': { paramsTuple?: []; params?: {} }
    'tasks.tasks.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'tasks.tasks.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.results.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.admin_tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.api.tasks.index': { paramsTuple?: []; params?: {} }
    'tasks.api.tasks.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.results.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'ops.health.live': { paramsTuple?: []; params?: {} }
    'ops.health.ready': { paramsTuple?: []; params?: {} }
    'ops.metrics.show': { paramsTuple?: []; params?: {} }
    'ops.system.show': { paramsTuple?: []; params?: {} }
    'credits.credits.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.exports.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'credits.admin_credits.index': { paramsTuple?: []; params?: {} }
    'credits.admin_credits.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.balances.show': { paramsTuple?: []; params?: {} }
    'credits.api.transactions.index': { paramsTuple?: []; params?: {} }
    'telemetry.api.latest_releases.show': { paramsTuple?: []; params?: {} }
    'telemetry.installations.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'telemetry.dashboard.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.index': { paramsTuple?: []; params?: {} }
    'telemetry.issues.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.events.index': { paramsTuple?: []; params?: {} }
    'telemetry.event_exports.show': { paramsTuple?: []; params?: {} }
    'telemetry.releases.index': { paramsTuple?: []; params?: {} }
    'rooms.rooms.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'rooms.rooms.show': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.api.ice_servers.show': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.index': { paramsTuple?: []; params?: {} }
    'rooms.api.rooms.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.index': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'billing.billing.show': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.plans.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.api.billing.show': { paramsTuple?: []; params?: {} }
    'billing.api.entitlements.show': { paramsTuple: [ParamValue]; params: {'feature': ParamValue} }
    'files.files.index': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.files.download': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.downloads.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.uploads.update': { paramsTuple: [ParamValue]; params: {'uploadId': ParamValue} }
    'files.api.files.index': { paramsTuple?: []; params?: {} }
    'files.api.files.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'kernel.openapi.show': { paramsTuple?: []; params?: {} }
  }
  POST: {
    'accounts.registrations.store': { paramsTuple?: []; params?: {} }
    'accounts.sessions.store': { paramsTuple?: []; params?: {} }
    'accounts.password_reset_requests.store': { paramsTuple?: []; params?: {} }
    'accounts.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.sessions.destroy': { paramsTuple?: []; params?: {} }
    'accounts.email_verifications.store': { paramsTuple?: []; params?: {} }
    'accounts.companies.store': { paramsTuple?: []; params?: {} }
    'accounts.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'accounts.company_invitations.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.invitation_resends.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.api_tokens.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.api.auth_tokens.store': { paramsTuple?: []; params?: {} }
    'admin.disablements.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.cancellations.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'tasks.admin_cancellations.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'tasks.api.cancellations.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'ops.failed_job_retries.store': { paramsTuple: [ParamValue,ParamValue]; params: {'queue': ParamValue,'id': ParamValue} }
    'ops.queue_cleanings.store': { paramsTuple: [ParamValue]; params: {'queue': ParamValue} }
    'credits.admin_grants.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.admin_adjustments.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.consumptions.store': { paramsTuple?: []; params?: {} }
    'credits.api.consumption_batches.store': { paramsTuple?: []; params?: {} }
    'credits.api.holds.store': { paramsTuple?: []; params?: {} }
    'credits.api.captures.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'credits.api.releases.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.api.batches.store': { paramsTuple?: []; params?: {} }
    'telemetry.releases.store': { paramsTuple?: []; params?: {} }
    'telemetry.release_halts.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.rooms.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'rooms.archives.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.memberships.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.members.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.api.rooms.store': { paramsTuple?: []; params?: {} }
    'rooms.api.memberships.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'billing.checkouts.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.pack_checkouts.store': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'pack': ParamValue} }
    'billing.portal_sessions.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'billing.webhooks.stripe': { paramsTuple?: []; params?: {} }
    'files.files.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.direct_uploads.store': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'files.direct_uploads.complete': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.api.uploads.store': { paramsTuple?: []; params?: {} }
    'files.api.direct_uploads.store': { paramsTuple?: []; params?: {} }
    'files.api.direct_uploads.complete': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'files.api.files.store': { paramsTuple?: []; params?: {} }
  }
  PUT: {
    'accounts.profile.update': { paramsTuple?: []; params?: {} }
    'accounts.passwords.update': { paramsTuple?: []; params?: {} }
    'accounts.current_companies.update': { paramsTuple?: []; params?: {} }
    'accounts.companies.update': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'credits.low_balance_thresholds.update': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'telemetry.issue_statuses.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'telemetry.releases.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.rooms.update': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
  }
  DELETE: {
    'accounts.accounts.destroy': { paramsTuple?: []; params?: {} }
    'accounts.companies.destroy': { paramsTuple: [ParamValue]; params: {'companyId': ParamValue} }
    'accounts.members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.company_invitations.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.api_tokens.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'accounts.api.auth_tokens.destroy': { paramsTuple?: []; params?: {} }
    'admin.users.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.disablements.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'ops.queue_jobs.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'queue': ParamValue,'id': ParamValue} }
    'telemetry.release_halts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.archives.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.memberships.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'rooms.members.destroy': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue,'userId': ParamValue} }
    'rooms.api.memberships.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'userId': ParamValue} }
    'rooms.api.messages.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'messageId': ParamValue} }
    'files.files.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'companyId': ParamValue,'id': ParamValue} }
    'files.api.uploads.update': { paramsTuple: [ParamValue]; params: {'uploadId': ParamValue} }
    'files.api.files.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  PATCH: {
    'rooms.api.rooms.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'rooms.api.messages.update': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'messageId': ParamValue} }
    'files.api.uploads.update': { paramsTuple: [ParamValue]; params: {'uploadId': ParamValue} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}