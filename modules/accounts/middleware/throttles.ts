import limiter from '@adonisjs/limiter/services/main'

/*
| Limits on the actions that send mail or cost a password hash, so Tandem cannot be used to spam
| addresses with branded mail or to tie up the hashing threads. Exceeding one answers 429
| (E_TOO_MANY_REQUESTS, with Retry-After), or a message on the form in the browser.
*/
export const signupThrottle = limiter.define('signup', (ctx) =>
  limiter.allowRequests(5).every('1 hour').usingKey(`ip_${ctx.request.ip()}`)
)

export const passwordResetThrottle = limiter.define('password_reset', (ctx) =>
  limiter.allowRequests(10).every('15 mins').usingKey(`ip_${ctx.request.ip()}`)
)

export const invitationThrottle = limiter.define('invitations', (ctx) =>
  limiter
    .allowRequests(30)
    .every('1 hour')
    .usingKey(`user_${ctx.auth.user?.id ?? ctx.request.ip()}`)
)

export const verificationMailThrottle = limiter.define('verification_mail', (ctx) =>
  limiter
    .allowRequests(3)
    .every('1 hour')
    .usingKey(`user_${ctx.auth.user?.id ?? ctx.request.ip()}`)
)
