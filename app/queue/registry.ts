import { readdir } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ApplicationService } from '@adonisjs/core/types'
import type { JobClass } from '#app/queue/job'

/*
| Jobs are discovered, never listed by hand: every file in `app/jobs/` and in the `jobs/`
| folder of each enabled module exports one job class as default. The name is
| `<owner>/<file>` and is what travels in the queue, so renaming a file renames the job.
| TANDEM_EXTRA_JOBS adds folders (comma separated) for plugins and test fixtures.
*/
export class JobRegistry {
  #byName = new Map<string, JobClass>()
  #names = new Map<JobClass, string>()

  register(name: string, job: JobClass) {
    this.#byName.set(name, job)
    this.#names.set(job, name)
  }

  get(name: string) {
    const job = this.#byName.get(name)
    if (!job) throw new Error(`Unknown job "${name}" (is its module enabled?)`)
    return job
  }

  has(name: string) {
    return this.#byName.has(name)
  }

  nameOf(job: JobClass) {
    const name = this.#names.get(job)
    if (!name) throw new Error(`${job.name} is not a discovered job (put it in a jobs/ folder)`)
    return name
  }

  all() {
    return [...this.#byName.entries()].map(([name, job]) => ({ name, job }))
  }

  queues() {
    return [...new Set(['default', ...this.all().map(({ job }) => job.queue)])].sort()
  }

  async discover(app: ApplicationService, modules: string[]) {
    const folders: Array<[string, string]> = [
      ['app', app.makePath('app', 'jobs')],
      ...modules.map((m): [string, string] => [m, app.makePath('modules', m, 'jobs')]),
      ...extraFolders(app),
    ]
    for (const [owner, folder] of folders) await this.#load(owner, folder)
    return this
  }

  async #load(owner: string, folder: string) {
    const files = await readdir(folder).catch(() => [] as string[])
    for (const file of files.sort()) {
      if (!isSource(file)) continue
      const loaded = await import(pathToFileURL(join(folder, file)).href)
      if (typeof loaded.default === 'function') {
        this.register(`${owner}/${basename(file, extname(file))}`, loaded.default)
      }
    }
  }
}

function isSource(file: string) {
  return /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts')
}

function extraFolders(app: ApplicationService): Array<[string, string]> {
  return (process.env.TANDEM_EXTRA_JOBS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const folder = isAbsolute(entry) ? entry : app.makePath(entry)
      /* tests/fixtures/jobs → owner `fixtures` */
      return [basename(dirname(folder)), folder]
    })
}
