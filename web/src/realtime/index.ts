/*
 * The dashboard's one Realtime, opened after sign-in and closed on sign-out,
 * and the seed's hooks over it: useWebSocket(namespace) for a namespace's
 * socket, state and latency; useSocketEvent to listen to one event.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { Socket } from 'socket.io-client';
import { post } from '../api/client';
import { Realtime, type Snapshot } from './socket';

let current: Realtime | null = null;
const waiting = new Set<() => void>();

export function openRealtime(onSessionEnded: () => void): Realtime {
	current?.close();
	current = new Realtime({
		url: window.location.origin,
		token: () => post<{ token: string; expiresAt: string }>('/api/v1/realtime/token', {}),
		onSessionEnded,
	});
	waiting.forEach((f) => f());
	return current;
}

export function closeRealtime(): void {
	current?.close();
	current = null;
	waiting.forEach((f) => f());
}

export function realtime(): Realtime | null {
	return current;
}

const OFFLINE: Snapshot = { state: 'offline', latency: null, connected: [] };

function subscribe(cb: () => void): () => void {
	waiting.add(cb);
	const off = current?.on(cb);
	return () => {
		waiting.delete(cb);
		off?.();
	};
}

/** The connection's state and latency, re-rendering on change. */
export function useRealtimeState(): Snapshot {
	return useSyncExternalStore(subscribe, () => current?.snapshot ?? OFFLINE);
}

export interface UseWebSocket {
	socket: Socket | null;
	isConnected: boolean;
	latency: number | null;
}

/** The seed's useWebSocket: the namespace's socket, whether it is connected, and the latency. */
export function useWebSocket(namespace: string): UseWebSocket {
	const snap = useRealtimeState();
	return {
		socket: current ? current.socket(namespace) : null,
		isConnected: snap.connected.includes(namespace),
		latency: snap.latency,
	};
}

/** Calls `handler` with each `event` of `namespace` (the last argument, the recovery offset, is dropped). */
export function useSocketEvent<T>(namespace: string, event: string, handler: (data: T) => void): void {
	const ref = useRef(handler);
	ref.current = handler;
	const { socket } = useWebSocket(namespace);
	useEffect(() => {
		if (!socket) return;
		const f = (data: T) => ref.current(data);
		socket.on(event, f);
		return () => {
			socket.off(event, f);
		};
	}, [socket, event]);
}

/** Calls `f` when `namespace` reconnected without recovering its missed events. */
export function useResync(namespace: string, f: () => void): void {
	const ref = useRef(f);
	ref.current = f;
	useRealtimeState(); // re-render when the connection is opened or closed
	const rt = current;
	useEffect(() => rt?.onResync((ns) => ns === namespace && ref.current()), [rt, namespace]);
}
