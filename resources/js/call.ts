import { reactive, shallowReactive } from 'vue'
import type { CallPeer, RoomConnection } from '~/rooms'

/*
| A small WebRTC mesh: one RTCPeerConnection per other participant. Whoever joins the call sends
| the offers to everyone already in it, so two peers never offer to each other at once. Offers,
| answers and ICE candidates travel as `signal` events through the server, room members only.
*/
export class CallMesh {
  local: MediaStream | null = null
  peers = new Map<string, RTCPeerConnection>()
  remote = shallowReactive(new Map<string, MediaStream>())
  state = reactive({
    inCall: false,
    audio: true,
    video: true,
    error: '',
    states: {} as Record<string, string>,
  })

  constructor(
    private connection: RoomConnection,
    private roomId: number,
    private iceServers: RTCIceServer[]
  ) {
    /* One queue per peer: a candidate must wait for the offer it belongs to. */
    connection.onSignal = (signal) => {
      const previous = this.#queues.get(signal.from) ?? Promise.resolve()
      const next = previous
        .then(() => this.#onSignal(signal.from, signal.data))
        .catch((error) => (this.state.error = `Call signaling failed: ${error.message}`))
      this.#queues.set(signal.from, next)
    }
  }

  #queues = new Map<string, Promise<unknown>>()

  async join() {
    try {
      this.local = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: 640, height: 360 },
      })
    } catch (error) {
      this.state.error = `Camera or microphone unavailable: ${(error as Error).message}`
      return
    }
    const reply = await this.connection.emit('call:join', {
      roomId: this.roomId,
      audio: true,
      video: true,
    })
    if (!reply.ok) return this.#stopLocal()
    if (Array.isArray(reply.iceServers)) this.iceServers = reply.iceServers
    this.state.inCall = true
    for (const peer of reply.call as CallPeer[]) await this.#offer(peer.socketId)
  }

  async leave() {
    await this.connection.emit('call:leave', { roomId: this.roomId })
    for (const id of [...this.peers.keys()]) this.#close(id)
    this.#stopLocal()
    this.state.inCall = false
  }

  toggle(kind: 'audio' | 'video') {
    const enabled = !this.state[kind]
    this.state[kind] = enabled
    const tracks = kind === 'audio' ? this.local?.getAudioTracks() : this.local?.getVideoTracks()
    for (const track of tracks ?? []) track.enabled = enabled
    this.connection.emit('call:update', {
      roomId: this.roomId,
      audio: this.state.audio,
      video: this.state.video,
    })
  }

  /** Drops connections to peers that are no longer in the call (closed tab, left, lost). */
  sync(call: CallPeer[]) {
    const present = new Set(call.map((peer) => peer.socketId))
    for (const id of [...this.peers.keys()]) if (!present.has(id)) this.#close(id)
  }

  #connection(peerId: string) {
    let pc = this.peers.get(peerId)
    if (pc) return pc
    pc = new RTCPeerConnection({ iceServers: this.iceServers })
    this.peers.set(peerId, pc)
    for (const track of this.local?.getTracks() ?? []) pc.addTrack(track, this.local!)
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#signal(peerId, { type: 'candidate', candidate: candidate.toJSON() })
    }
    pc.ontrack = ({ streams }) => {
      if (streams[0]) this.remote.set(peerId, streams[0])
    }
    pc.onconnectionstatechange = () => {
      this.state.states[peerId] = pc!.connectionState
      if (pc!.connectionState === 'failed') this.#close(peerId)
    }
    return pc
  }

  async #offer(peerId: string) {
    const pc = this.#connection(peerId)
    await pc.setLocalDescription(await pc.createOffer())
    this.#signal(peerId, { type: 'offer', sdp: pc.localDescription!.sdp })
  }

  async #onSignal(from: string, data: any) {
    if (!this.state.inCall || !data) return
    const pc = this.#connection(from)
    if (data.type === 'offer') {
      await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp })
      await pc.setLocalDescription(await pc.createAnswer())
      this.#signal(from, { type: 'answer', sdp: pc.localDescription!.sdp })
    } else if (data.type === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp })
    } else if (data.type === 'candidate') {
      await pc.addIceCandidate(data.candidate).catch(() => {})
    }
  }

  #signal(to: string, data: unknown) {
    this.connection.emit('signal', { roomId: this.roomId, to, data })
  }

  #close(peerId: string) {
    this.peers.get(peerId)?.close()
    this.peers.delete(peerId)
    this.remote.delete(peerId)
    this.#queues.delete(peerId)
    delete this.state.states[peerId]
  }

  #stopLocal() {
    for (const track of this.local?.getTracks() ?? []) track.stop()
    this.local = null
  }
}
