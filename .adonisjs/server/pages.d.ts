import '@adonisjs/inertia/types'

import type { VNodeProps, AllowedComponentProps, ComponentInstance } from 'vue'

type ExtractProps<T> = Omit<
  ComponentInstance<T>['$props'],
  keyof VNodeProps | keyof AllowedComponentProps
>

declare module '@adonisjs/inertia/types' {
  export interface InertiaPages {
    'accounts/api_tokens/index': ExtractProps<(typeof import('../../resources/pages/accounts/api_tokens/index.vue'))['default']>
    'accounts/companies/create': ExtractProps<(typeof import('../../resources/pages/accounts/companies/create.vue'))['default']>
    'accounts/companies/edit': ExtractProps<(typeof import('../../resources/pages/accounts/companies/edit.vue'))['default']>
    'accounts/dashboard/show': ExtractProps<(typeof import('../../resources/pages/accounts/dashboard/show.vue'))['default']>
    'accounts/invitations/show': ExtractProps<(typeof import('../../resources/pages/accounts/invitations/show.vue'))['default']>
    'accounts/landing/show': ExtractProps<(typeof import('../../resources/pages/accounts/landing/show.vue'))['default']>
    'accounts/members/index': ExtractProps<(typeof import('../../resources/pages/accounts/members/index.vue'))['default']>
    'accounts/password_reset_requests/create': ExtractProps<(typeof import('../../resources/pages/accounts/password_reset_requests/create.vue'))['default']>
    'accounts/password_resets/edit': ExtractProps<(typeof import('../../resources/pages/accounts/password_resets/edit.vue'))['default']>
    'accounts/profile/edit': ExtractProps<(typeof import('../../resources/pages/accounts/profile/edit.vue'))['default']>
    'accounts/registrations/create': ExtractProps<(typeof import('../../resources/pages/accounts/registrations/create.vue'))['default']>
    'accounts/roles/index': ExtractProps<(typeof import('../../resources/pages/accounts/roles/index.vue'))['default']>
    'accounts/sessions/create': ExtractProps<(typeof import('../../resources/pages/accounts/sessions/create.vue'))['default']>
    'admin/audit_logs/index': ExtractProps<(typeof import('../../resources/pages/admin/audit_logs/index.vue'))['default']>
    'admin/companies/index': ExtractProps<(typeof import('../../resources/pages/admin/companies/index.vue'))['default']>
    'admin/companies/show': ExtractProps<(typeof import('../../resources/pages/admin/companies/show.vue'))['default']>
    'admin/users/index': ExtractProps<(typeof import('../../resources/pages/admin/users/index.vue'))['default']>
    'admin/users/show': ExtractProps<(typeof import('../../resources/pages/admin/users/show.vue'))['default']>
    'billing/billing/show': ExtractProps<(typeof import('../../resources/pages/billing/billing/show.vue'))['default']>
    'billing/plans/index': ExtractProps<(typeof import('../../resources/pages/billing/plans/index.vue'))['default']>
    'credits/admin/index': ExtractProps<(typeof import('../../resources/pages/credits/admin/index.vue'))['default']>
    'credits/admin/show': ExtractProps<(typeof import('../../resources/pages/credits/admin/show.vue'))['default']>
    'credits/credits/index': ExtractProps<(typeof import('../../resources/pages/credits/credits/index.vue'))['default']>
    'errors/forbidden': ExtractProps<(typeof import('../../resources/pages/errors/forbidden.vue'))['default']>
    'errors/not_found': ExtractProps<(typeof import('../../resources/pages/errors/not_found.vue'))['default']>
    'errors/server_error': ExtractProps<(typeof import('../../resources/pages/errors/server_error.vue'))['default']>
    'files/files/index': ExtractProps<(typeof import('../../resources/pages/files/files/index.vue'))['default']>
    'ops/system/show': ExtractProps<(typeof import('../../resources/pages/ops/system/show.vue'))['default']>
    'rooms/rooms/index': ExtractProps<(typeof import('../../resources/pages/rooms/rooms/index.vue'))['default']>
    'rooms/rooms/show': ExtractProps<(typeof import('../../resources/pages/rooms/rooms/show.vue'))['default']>
    'tasks/admin/index': ExtractProps<(typeof import('../../resources/pages/tasks/admin/index.vue'))['default']>
    'tasks/tasks/index': ExtractProps<(typeof import('../../resources/pages/tasks/tasks/index.vue'))['default']>
    'tasks/tasks/show': ExtractProps<(typeof import('../../resources/pages/tasks/tasks/show.vue'))['default']>
    'telemetry/admin/dashboard': ExtractProps<(typeof import('../../resources/pages/telemetry/admin/dashboard.vue'))['default']>
    'telemetry/events/index': ExtractProps<(typeof import('../../resources/pages/telemetry/events/index.vue'))['default']>
    'telemetry/installations/index': ExtractProps<(typeof import('../../resources/pages/telemetry/installations/index.vue'))['default']>
    'telemetry/issues/index': ExtractProps<(typeof import('../../resources/pages/telemetry/issues/index.vue'))['default']>
    'telemetry/issues/show': ExtractProps<(typeof import('../../resources/pages/telemetry/issues/show.vue'))['default']>
    'telemetry/releases/index': ExtractProps<(typeof import('../../resources/pages/telemetry/releases/index.vue'))['default']>
  }
}
