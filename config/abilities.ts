/*
| What an API token may be allowed to do. Abilities are `resource:action`; `*` grants all.
| A token never exceeds its owner's role: routes check the ability and the member's permission.
| Modules name the abilities their API routes require; this is the catalog offered in the UI.
*/
export const abilities: Record<string, string> = {
  'credits:read': 'Read the credit balance and ledger',
  'credits:write': 'Spend, hold and capture credits',
  'telemetry:write': 'Send telemetry events from a desktop installation',
  'rooms:join': 'Join real-time rooms',
  'files:read': 'List and download company files',
  'files:write': 'Upload and delete company files',
  'tasks:read': 'Follow tasks and their progress, download their results',
  'tasks:write': 'Cancel tasks',
  'members:read': 'List the company members',
  'events:read': 'Receive the company’s live events (realtime)',
  'billing:read': 'Read the company’s plan and what it includes',
}

export const ABILITY_PATTERN = /^(\*|[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*)$/
