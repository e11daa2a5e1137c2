import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/* A company with an owner and an ingest token (only `telemetry:write` unless told otherwise). */
export async function ingestCompany(abilities: string[] = ['telemetry:write']) {
  const { owner, company } = await createCompanyWithOwner()
  const token = await User.accessTokens.create(owner, abilities, { companyId: company.id })
  return { owner, company, token: token.value!.release() }
}

export function event(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    id: randomUUID(),
    type: 'event',
    name: 'app.opened',
    props: { screen: 'home', count: 1, beta: false },
    sessionId: 's-1',
    timestamp: new Date().toISOString(),
    ...overrides,
  }
}

export function errorEvent(overrides: Record<string, unknown> = {}) {
  return event({
    type: 'error',
    name: 'TypeError',
    level: 'error',
    message: "Cannot read properties of undefined (reading 'id')",
    stack: [
      "TypeError: Cannot read properties of undefined (reading 'id')",
      '    at renderRow (app://renderer/src/table.ts:42:17)',
      '    at render (app://renderer/src/view.ts:10:3)',
      '    at main (app://renderer/src/main.ts:3:1)',
    ].join('\n'),
    props: undefined,
    ...overrides,
  })
}

export function batch(events: any[], overrides: Record<string, unknown> = {}) {
  return {
    installationId: randomUUID(),
    appVersion: '1.4.2',
    platform: 'windows',
    osVersion: '10.0.22631',
    locale: 'en-US',
    events,
    ...overrides,
  }
}

/* A raw POST (gzip, broken JSON…) the API client would not send as is. */
export async function rawBatch(
  token: string,
  body: string | Buffer,
  headers: Record<string, string> = {}
) {
  const response = await fetch(
    `http://${process.env.HOST}:${process.env.PORT}/api/v1/telemetry/batch`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'authorization': `Bearer ${token}`,
        ...headers,
      },
      body,
    }
  )
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  }
}

export const gzipJson = (value: unknown) => gzipSync(Buffer.from(JSON.stringify(value)))

export async function storedEvents(companyId?: number) {
  const query = db.from('telemetry_events').orderBy('id')
  if (companyId) query.where('company_id', companyId)
  return query
}

/* Settings with test-sized limits; restored by the returned function. */
export function testSettings(overrides: Partial<TelemetrySettings>) {
  const settings = Object.assign(new TelemetrySettings(), overrides)
  app.container.swap(TelemetrySettings, () => settings)
  return () => app.container.restore(TelemetrySettings)
}
