/*
 * The tenant's instances with their states kept live from /status: the
 * list from the API, each `status` and `qr` event applied as it arrives,
 * and the list asked for again when the namespace reconnected without
 * recovering what it missed, or when an instance it does not hold
 * reports its state (one created since). A list that was asked for before a live
 * state arrived is older than that state, which is kept.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { errorText, get } from '../api/client';
import type { Instance } from '../api/types';
import { useResync, useSocketEvent } from './index';

export interface StatusEvent { instanceId: string; status: string; qr?: string }

export const STATUS_SEVERITY: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
	ready: 'success', connecting: 'info', qr: 'warning', pairing: 'warning', disconnected: 'danger',
	auth_failure: 'danger', stopped: 'danger',
};

export interface LiveInstances {
	list: Instance[] | null;
	setList: Dispatch<SetStateAction<Instance[] | null>>;
	error: string | null;
	/** The pairing QR of each instance waiting for a scan. */
	qr: Record<string, string>;
	setQr: Dispatch<SetStateAction<Record<string, string>>>;
	load: () => void;
}

export function useLiveInstances(): LiveInstances {
	const [list, setList] = useState<Instance[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [qr, setQr] = useState<Record<string, string>>({});
	const live = useRef(new Map<string, { status: string; at: number }>());

	const load = useCallback(() => {
		const asked = performance.now();
		get<{ instances: Instance[] }>('/api/v1/instances').then((r) => {
			setList(r.instances.map((i) => {
				const l = live.current.get(i.id);
				return l && l.at > asked ? { ...i, status: l.status } : i;
			}));
			setError(null);
		}, (e) => setError(errorText(e)));
	}, []);
	const setStatus = (id: string, status: string) => {
		live.current.set(id, { status, at: performance.now() });
		if (list && !list.some((i) => i.id === id)) load(); // one created since
		else setList((l) => l?.map((i) => (i.id === id ? { ...i, status } : i)) ?? l);
	};
	useEffect(load, [load]);
	useResync('/status', load);
	useSocketEvent<StatusEvent>('/status', 'status', (e) => {
		setStatus(e.instanceId, e.status);
		if (e.status !== 'qr') setQr((q) => { const { [e.instanceId]: _, ...rest } = q; return rest; });
	});
	useSocketEvent<StatusEvent>('/status', 'qr', (e) => {
		if (!e.qr) return;
		setQr((q) => ({ ...q, [e.instanceId]: e.qr! }));
		setStatus(e.instanceId, 'qr'); // a QR means the state is qr
	});
	return { list, setList, error, qr, setQr, load };
}
