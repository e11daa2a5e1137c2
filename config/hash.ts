import app from '@adonisjs/core/services/app'
import { defineConfig, drivers } from '@adonisjs/core/hash'

/*
| scrypt at OWASP's password-storage parameters (N=2^17, r=8, p=1: 128 MiB per hash).
| Tests use a cheap cost so suites that create hundreds of users stay fast; a unit test checks
| the production parameters. Hashes made with other parameters are upgraded at the next login.
*/
export const OWASP_SCRYPT = {
  cost: 131072,
  blockSize: 8,
  parallelization: 1,
  maxMemory: 256 * 1024 * 1024,
}
const TEST_SCRYPT = { cost: 1024, blockSize: 8, parallelization: 1, maxMemory: 32 * 1024 * 1024 }

const hashConfig = defineConfig({
  default: 'scrypt',
  list: {
    scrypt: drivers.scrypt(app.inTest ? TEST_SCRYPT : OWASP_SCRYPT),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
