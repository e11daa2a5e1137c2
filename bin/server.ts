/*
| HTTP server entrypoint: `node ace serve` in development, `npm start` for the built app.
*/
import { createIgnitor, printBootError } from './ignitor.js'

createIgnitor().httpServer().start().catch(printBootError)
