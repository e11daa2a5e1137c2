import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'

/*
| Runs `make:module <name>` in a throw-away copy of the project (tracked and untracked files,
| node_modules linked), then that module's tests; returns the test output.
*/
export async function scaffoldInCopy(name: string) {
  const root = mkdtempSync(join(tmpdir(), 'tandem-module-'))
  try {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: app.makePath(),
    })
    execFileSync('tar', ['-cf', join(root, 'src.tar'), '--null', '-T', '-'], {
      cwd: app.makePath(),
      input: files,
    })
    execFileSync('tar', ['-xf', 'src.tar'], { cwd: root })
    symlinkSync(app.makePath('node_modules'), join(root, 'node_modules'))

    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '',
    }
    const make = spawnSync(process.execPath, ['ace.js', 'make:module', name], {
      cwd: root,
      env,
      encoding: 'utf8',
    })
    if (make.status !== 0) throw new Error(`make:module failed:\n${make.stdout}${make.stderr}`)
    const run = spawnSync(
      process.execPath,
      ['ace.js', 'test', 'functional', `--files=${name}/tests/*/*`],
      {
        cwd: root,
        env: { ...env, SQLITE_PATH: join(root, 'test.sqlite3') },
        encoding: 'utf8',
        timeout: 150_000,
      }
    )
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '')
    if (run.status !== 0) throw new Error(`the scaffolded module's tests failed:\n${output}`)
    return output
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
