/*
| Failures that repeat while something outside is down: a worker's poll (twice a second), the
| database pool's connection attempts. The first failure of a step is logged with its error,
| repeats of the same error only once a minute with their count, and the step's next success
| (where there is a signal for it) says that it works again and after how many failures. All of
| it through the app's logger, on the same JSON log as everything else.
*/
export type FailureLogger = {
  error(bindings: object, message: string): void
  info(bindings: object, message: string): void
}

type Failing = { since: number; last: number; count: number; logged: number }

export class FailureLog {
  /* Per step, per error message: errors that alternate (refused, timed out) are counted apart. */
  #failing = new Map<string, Map<string, Failing>>()

  /** `subject` starts every line ("queue worker", `database "pg"`). */
  constructor(
    protected logger: FailureLogger,
    protected subject: string,
    protected repeatEveryMs = 60_000,
    protected now: () => number = Date.now
  ) {}

  /** `step` names what failed ("polling for jobs"). */
  failed(step: string, error: unknown) {
    const message = messageOf(error)
    const now = this.now()
    let messages = this.#failing.get(step)
    if (!messages) this.#failing.set(step, (messages = new Map()))
    const failing = messages.get(message)
    /* A new error, or the same one after two quiet periods (steps with no success signal). */
    if (!failing || now - failing.last > 2 * this.repeatEveryMs) {
      /* Bounded: a step keeps the errors of its last two quiet periods, at most 20. */
      for (const [known, entry] of messages)
        if (now - entry.last > 2 * this.repeatEveryMs || messages.size >= 20) messages.delete(known)
      messages.set(message, { since: now, last: now, count: 1, logged: now })
      this.logger.error({ err: error, step }, `${this.subject}: ${step} failed: ${message}`)
      return
    }
    failing.count++
    failing.last = now
    if (now - failing.logged < this.repeatEveryMs) return
    const seconds = Math.round((now - failing.since) / 1000)
    this.logger.error(
      { err: error, step, failures: failing.count },
      `${this.subject}: ${step} still failing (${failing.count} times in ${seconds} s): ${message}`
    )
    failing.logged = now
  }

  /** The step worked: says so once if it had been failing. */
  succeeded(step: string) {
    const messages = this.#failing.get(step)
    if (!messages) return
    this.#failing.delete(step)
    const entries = [...messages.values()]
    const count = entries.reduce((total, entry) => total + entry.count, 0)
    const since = Math.min(...entries.map((entry) => entry.since))
    const seconds = Math.round((this.now() - since) / 1000)
    this.logger.info(
      { step, failures: count },
      `${this.subject}: ${step} works again (${count} failure(s) in ${seconds} s)`
    )
  }

  /** A failure that concerns one item (a job whose outcome could not be saved): always logged. */
  itemFailed(id: string, step: string, error: unknown) {
    this.logger.error(
      { err: error, step, id },
      `${this.subject}: ${step} failed for ${id}: ${messageOf(error)}`
    )
  }
}

function messageOf(error: unknown) {
  return error instanceof Error ? error.message : String(error)
}

/** Until something is given the app's logger (scripts, tests): the same lines on stderr. */
export const stderrLogger: FailureLogger = {
  error: (bindings, message) => console.error(message, (bindings as { err?: unknown }).err ?? ''),
  info: (_bindings, message) => console.error(message),
}

type AppLogger = FailureLogger & {
  warn(message: string): void
  debug(message: string): void
}

/*
| knex's own logger for a connection (Lucid passes `log` on). knex warns "Acquire connection
| error: <stack>" at every failed connection attempt: with the database down that is every
| request and every worker poll. Those go through a FailureLog (first one, then once a minute
| with the count); everything else knex says is passed on as Lucid would.
*/
export function knexLog(connection: string, logger: () => AppLogger) {
  let failures: FailureLog | undefined
  return {
    warn(message: string) {
      /* "<name>: <message>" then the stack; the name dropped (the breaker's refusals repeat it). */
      const acquire = /^Acquire connection error: (?:\w+: )?([^\n]*)/.exec(message)
      if (!acquire) return logger().warn(message)
      failures ??= new FailureLog(logger(), `database "${connection}"`)
      failures.failed('connecting', acquire[1])
    },
    error: (message: string) => logger().error({}, message),
    deprecate: (message: string) => logger().info({}, message),
    debug: (message: string) => logger().debug(message),
  }
}
