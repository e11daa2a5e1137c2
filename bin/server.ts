/*
| HTTP server entrypoint: `node ace serve` in development, `npm start` for the built app.
*/
import { createIgnitor, printBootError } from './ignitor.js'
import { createAppServer } from '#app/http/fast_routes'

createIgnitor().httpServer().start(createAppServer).catch(printBootError)
