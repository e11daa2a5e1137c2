import { Job } from '#app/queue/job'

/*
| The job `npm run bench` measures (`benchmarks/noop`): does nothing, so what is measured is the
| queue itself — dispatch, the round trip through Redis, Tandem's job runner, completion.
| Discovered only when TANDEM_EXTRA_JOBS lists benchmarks/jobs (the benchmark sets it).
*/
export default class Noop extends Job<{ n: number }, null> {
  async handle() {
    return null
  }
}
