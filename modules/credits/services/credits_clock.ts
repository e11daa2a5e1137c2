/*
| What time it is for the ledger (expiry of grants and holds). Bound in the container so tests can
| jump the clock with `app.container.swap(CreditsClock, …)`.
*/
export class CreditsClock {
  now() {
    return Date.now()
  }
}
