import { connect } from 'node:net'
import { redisConnection } from './bullmq_options.js'

/*
| Two questions asked of Redis over a raw socket, without a client library: is it there, and how
| much CPU has it used (INFO cpu) — Redis is single-threaded, so in the queue benchmark it can be
| the bottleneck rather than either worker.
*/
function ask(command: string, done: (reply: string) => boolean) {
  const { host, port, password } = redisConnection()
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, host)
    let reply = ''
    const finish = (error: Error | null) => {
      socket.destroy()
      if (error) reject(error)
      else resolve(reply)
    }
    socket.setTimeout(2000, () => finish(new Error('no answer within 2 s')))
    socket.on('error', finish)
    socket.on('connect', () =>
      socket.write(`${password ? `AUTH ${password}\r\n` : ''}${command}\r\n`)
    )
    socket.on('data', (data) => {
      reply += data.toString()
      if (done(reply)) finish(null)
    })
  })
}

/* null when Redis answers PING, otherwise why not. */
export async function redisProblem() {
  try {
    const reply = await ask('PING', (text) => text.includes('+PONG\r\n') || /^-.*\r\n/m.test(text))
    return reply.includes('+PONG') ? null : reply.trim()
  } catch (error: any) {
    return error.message as string
  }
}

/* CPU seconds Redis has used (user + system, all threads); null when it cannot be read. */
export async function redisCpuSeconds() {
  try {
    const reply = await ask('INFO cpu', (text) => {
      const bulk = /\$(\d+)\r\n/.exec(text)
      return bulk !== null && text.length >= bulk.index + bulk[0].length + Number(bulk[1]) + 2
    })
    const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(reply)?.[1])
    const total = value('used_cpu_sys') + value('used_cpu_user')
    return Number.isFinite(total) ? total : null
  } catch {
    return null
  }
}
