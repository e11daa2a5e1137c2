import { HttpContext } from '@adonisjs/core/http'

/*
| For group commit (the credits ledger, telemetry ingestion): a function that runs `fn` on the
| event loop's next turn (setImmediate), once however often it is asked before then. A
| transaction on SQLite runs to its commit without ever yielding to I/O, so writes only meet in
| a group when its start waits for the requests being handled now (a few microseconds when
| idle). `fn` runs outside the asking request's context: a group belongs to no request
| (HttpContext.get).
*/
export function onNextTurn(fn: () => void) {
  let scheduled = false
  return () => {
    if (scheduled) return
    scheduled = true
    HttpContext.runOutsideContext(() =>
      setImmediate(() => {
        scheduled = false
        fn()
      })
    )
  }
}
