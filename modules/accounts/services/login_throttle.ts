import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'

/*
| Brute-force protection for password logins (web and desktop API alike). Three counters:
| - account + IP: 5 failures in 15 minutes lock that pair for 15 minutes (the usual case),
| - account: 50 failures in an hour from anywhere lock the account for an hour (distributed
|   guessing), so one stranger cannot lock a person out with 5 wrong passwords,
| - IP: 50 failures in 15 minutes lock the address for an hour (credential stuffing).
| Every attempt takes its slots *before* the password is checked, so a burst of parallel
| guesses cannot slip past the limit; a successful login gives them back.
*/
const pairLimit = () => limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })
const accountLimit = () =>
  limiter.use({ requests: 50, duration: '1 hour', blockDuration: '1 hour' })
const ipLimit = () => limiter.use({ requests: 50, duration: '15 mins', blockDuration: '1 hour' })

type Bucket = { limiter: ReturnType<typeof pairLimit>; key: string }

export class LoginThrottle {
  #buckets(email: string, ip: string): Bucket[] {
    const account = email.trim().toLowerCase()
    return [
      { limiter: pairLimit(), key: `login:pair:${account}:${ip}` },
      { limiter: accountLimit(), key: `login:account:${account}` },
      { limiter: ipLimit(), key: `login:ip:${ip}` },
    ]
  }

  /** Runs a credential check under the throttle. */
  async attempt<T>(email: string, ip: string, check: () => Promise<T>) {
    const buckets = this.#buckets(email, ip)
    await this.#take(buckets)
    const result = await check()
    const [pair, ...others] = buckets
    await pair.limiter.delete(pair.key)
    for (const bucket of others) await bucket.limiter.decrement(bucket.key)
    return result
  }

  async #take(buckets: Bucket[]) {
    const taken: Bucket[] = []
    for (const bucket of buckets) {
      try {
        await bucket.limiter.consume(bucket.key)
        taken.push(bucket)
      } catch (error) {
        for (const given of taken) await given.limiter.decrement(given.key)
        if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
          const minutes = Math.max(1, Math.ceil(error.response.availableIn / 60))
          error.setMessage(
            `Too many failed attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`
          )
        }
        throw error
      }
    }
  }
}
