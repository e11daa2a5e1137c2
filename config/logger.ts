import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/*
| JSON lines on stdout in production (one object per event, with the request id); pretty output
| on a developer's terminal.
*/
const pretty = !app.inProduction && !app.inTest && process.stdout.isTTY

const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: env.get('APP_NAME', 'tandem'),
      level: env.get('LOG_LEVEL'),
      transport: pretty ? { targets: targets().push(targets.pretty()).toArray() } : undefined,
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
