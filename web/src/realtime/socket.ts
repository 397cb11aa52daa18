/*
 * The socket layer: one Socket.IO Manager (one Engine.IO connection) for
 * all namespaces, the official socket.io-client underneath.
 *
 * - Auth: each namespace connect asks `token()` for its credential (the
 *   dashboard mints a realtime token, valid 5 minutes, from its session);
 *   a token is reused until 30 s before it expires.
 * - Reconnect: the Manager's exponential backoff with jitter for the
 *   connection; a namespace the server refused (a stale token, PostgreSQL
 *   away) is retried on the same backoff, never in a tight loop. A
 *   refusal that says the session ended, or a server disconnect (the
 *   credential was revoked), stops and calls `onSessionEnded`.
 * - Recovery: pushd keeps each tenant's recent events; socket.io-client
 *   resumes from its last offset by itself. `onResync` tells listeners
 *   when a reconnect (not the first connect) did not recover: they reload
 *   what they show.
 * - Heartbeat: `ping` with an ack every `heartbeatMs`; the round trip is
 *   the latency.
 */
import { Manager, type Socket } from 'socket.io-client';

export type ConnState = 'connecting' | 'online' | 'offline';

export interface RealtimeOptions {
	url: string;
	token: () => Promise<{ token: string; expiresAt?: string }>;
	heartbeatMs?: number;
	/** Backoff: first delay, cap, and the share of each delay that is random. */
	delayMs?: number;
	delayMaxMs?: number;
	jitter?: number;
	onSessionEnded?: () => void;
	transports?: ('websocket' | 'polling')[];
}

export interface Snapshot {
	state: ConnState;
	latency: number | null;
	/** namespaces connected */
	connected: string[];
}

type Listener = (s: Snapshot) => void;
type Resync = (ns: string) => void;

/** The delay before retry number `attempt` (0-based): exponential, capped, with jitter. */
export function backoff(attempt: number, base: number, max: number, jitter: number, rnd = Math.random): number {
	const d = Math.min(max, base * 2 ** Math.min(attempt, 20));
	const spread = d * jitter;
	return Math.max(0, Math.round(d - spread + 2 * spread * rnd()));
}

const SESSION_ENDED = /Session ended|Invalid API key/;

export class Realtime {
	private readonly opts: Required<Omit<RealtimeOptions, 'onSessionEnded'>> & Pick<RealtimeOptions, 'onSessionEnded'>;
	private readonly manager: Manager;
	private readonly sockets = new Map<string, Socket>();
	private readonly retries = new Map<string, { n: number; timer: ReturnType<typeof setTimeout> | null }>();
	private readonly listeners = new Set<Listener>();
	private readonly resyncs = new Set<Resync>();
	private cached: { token: string; until: number } | null = null;
	private heartbeat: ReturnType<typeof setInterval> | null = null;
	private snap: Snapshot = { state: 'connecting', latency: null, connected: [] };
	private closed = false;

	constructor(opts: RealtimeOptions) {
		this.opts = {
			heartbeatMs: 15000, delayMs: 1000, delayMaxMs: 30000, jitter: 0.5,
			transports: ['websocket', 'polling'], ...opts,
		};
		this.manager = new Manager(this.opts.url, {
			path: '/socket.io/',
			transports: this.opts.transports,
			reconnection: true,
			reconnectionDelay: this.opts.delayMs,
			reconnectionDelayMax: this.opts.delayMaxMs,
			randomizationFactor: this.opts.jitter,
			autoConnect: true,
		});
		this.manager.on('reconnect_attempt', () => this.update({ state: 'connecting' }));
		this.manager.on('error', () => this.update({ state: 'offline', latency: null }));
		this.manager.on('close', () => this.update({ state: 'offline', latency: null }));
	}

	/** The socket of a namespace, made and connected on first use. */
	socket(ns: string): Socket {
		let s = this.sockets.get(ns);
		if (s) return s;
		s = this.manager.socket(ns, {
			auth: (cb: (d: object) => void) => {
				this.credential().then((token) => cb({ token }), () => cb({ token: '' }));
			},
		});
		this.sockets.set(ns, s);
		this.retries.set(ns, { n: 0, timer: null });
		const sock = s;
		let connects = 0;
		s.on('connect', () => {
			const r = this.retries.get(ns);
			if (r) r.n = 0;
			this.update({ state: 'online', connected: [...new Set([...this.snap.connected, ns])] });
			if (connects++ > 0 && !sock.recovered) this.resyncs.forEach((f) => f(ns));
			this.startHeartbeat();
		});
		s.on('disconnect', (reason: string) => {
			this.update({ connected: this.snap.connected.filter((x) => x !== ns),
				state: this.snap.connected.length > 1 ? this.snap.state : 'offline', latency: null });
			if (reason === 'io server disconnect') this.sessionEnded();
		});
		s.on('connect_error', (err: Error) => {
			if (SESSION_ENDED.test(err.message)) return this.sessionEnded();
			this.cached = null; // a stale token is the usual cause: mint another
			if (!sock.active) this.retry(ns);
		});
		return s;
	}

	on(listener: Listener): () => void {
		this.listeners.add(listener);
		listener(this.snap);
		return () => this.listeners.delete(listener);
	}

	onResync(f: Resync): () => void {
		this.resyncs.add(f);
		return () => this.resyncs.delete(f);
	}

	get snapshot(): Snapshot {
		return this.snap;
	}

	close(): void {
		this.closed = true;
		if (this.heartbeat) clearInterval(this.heartbeat);
		this.retries.forEach((r) => r.timer && clearTimeout(r.timer));
		this.sockets.forEach((s) => s.disconnect());
		this.sockets.clear();
		this.manager.engine?.close();
		this.update({ state: 'offline', latency: null, connected: [] });
	}

	/** One heartbeat now: resolves with the round trip in ms. */
	ping(timeoutMs = 5000): Promise<number> {
		const s = [...this.sockets.values()].find((x) => x.connected);
		if (!s) return Promise.reject(new Error('not connected'));
		const start = performance.now();
		return s.timeout(timeoutMs).emitWithAck('ping', {}).then(() => {
			const latency = Math.round(performance.now() - start);
			this.update({ latency });
			return latency;
		});
	}

	private async credential(): Promise<string> {
		if (this.cached && Date.now() < this.cached.until) return this.cached.token;
		const t = await this.opts.token();
		const until = t.expiresAt ? Date.parse(t.expiresAt) - 30000 : Date.now() + 60000;
		this.cached = { token: t.token, until };
		return t.token;
	}

	private retry(ns: string): void {
		const r = this.retries.get(ns);
		if (!r || r.timer || this.closed) return;
		const delay = backoff(r.n++, this.opts.delayMs, this.opts.delayMaxMs, this.opts.jitter);
		r.timer = setTimeout(() => {
			r.timer = null;
			const s = this.sockets.get(ns);
			if (s && !s.connected && !this.closed) s.connect();
		}, delay);
	}

	private sessionEnded(): void {
		if (this.closed) return;
		this.close();
		this.opts.onSessionEnded?.();
	}

	private startHeartbeat(): void {
		if (this.heartbeat) return;
		void this.ping().catch(() => {});
		this.heartbeat = setInterval(() => void this.ping().catch(() => this.update({ latency: null })),
			this.opts.heartbeatMs);
	}

	private update(p: Partial<Snapshot>): void {
		this.snap = { ...this.snap, ...p };
		this.listeners.forEach((l) => l(this.snap));
	}
}
