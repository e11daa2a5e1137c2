/*
| Ace entrypoint. Commands boot the application only when they ask for it (`startApp`).
*/
import { createIgnitor, printBootError } from './ignitor.js'

createIgnitor().ace().handle(process.argv.splice(2)).catch(printBootError)
