import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'

/*
| Brute-force protection for password logins (web and API): 5 failures per account in 15
| minutes lock that account for 15 minutes; 50 failures from one IP lock the IP for an hour.
| A success clears the account's counter but not the IP's, so an attacker cannot reset their
| budget by logging into an account of their own.
*/
const perAccount = () => limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })
const perIp = () => limiter.use({ requests: 50, duration: '15 mins', blockDuration: '1 hour' })

export class LoginThrottle {
  #buckets(email: string, ip: string) {
    return [
      { limiter: perAccount(), key: `login:account:${email.trim().toLowerCase()}` },
      { limiter: perIp(), key: `login:ip:${ip}` },
    ]
  }

  /** Throws E_TOO_MANY_REQUESTS while the account or the IP is locked. */
  async ensureAllowed(email: string, ip: string) {
    for (const bucket of this.#buckets(email, ip)) {
      const state = await bucket.limiter.get(bucket.key)
      if (state && state.remaining <= 0) {
        const minutes = Math.max(1, Math.ceil(state.availableIn / 60))
        const error = new limiterErrors.E_TOO_MANY_REQUESTS(state)
        error.setMessage(
          `Too many failed attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`
        )
        throw error
      }
    }
  }

  async recordFailure(email: string, ip: string) {
    for (const bucket of this.#buckets(email, ip)) {
      const state = await bucket.limiter.increment(bucket.key)
      if (state.consumed >= state.limit && bucket.limiter.blockDuration) {
        await bucket.limiter.block(bucket.key, bucket.limiter.blockDuration)
      }
    }
  }

  async recordSuccess(email: string, ip: string) {
    const [account] = this.#buckets(email, ip)
    await account.limiter.delete(account.key)
  }

  /** Runs a credential check under the throttle. */
  async attempt<T>(email: string, ip: string, check: () => Promise<T>) {
    await this.ensureAllowed(email, ip)
    try {
      const result = await check()
      await this.recordSuccess(email, ip)
      return result
    } catch (error) {
      await this.recordFailure(email, ip)
      throw error
    }
  }
}
