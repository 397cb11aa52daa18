/*
 * The user's notifications: the unread count (the bell's badge), the
 * latest few (its dropdown) and the center's pages. `received` takes one
 * that arrived over /notifications; `arrivals` counts them so the bell can
 * play its animation.
 */
import { create } from 'zustand';
import { del, get, post } from '../api/client';
import type { Notification, NotificationPage } from '../api/types';

export type Filter = 'all' | 'unread';
export const RECENT = 8;

export interface NotificationsState {
	unread: number;
	recent: Notification[];
	arrivals: number;
	last: Notification | null;
	loadRecent: () => Promise<void>;
	page: (filter: Filter, cursor: string | null, limit: number) => Promise<NotificationPage>;
	markRead: (id: string) => Promise<void>;
	markAllRead: () => Promise<void>;
	remove: (id: string) => Promise<void>;
	received: (n: Notification) => void;
	clear: () => void;
}

export const useNotifications = create<NotificationsState>((set, getState) => ({
	unread: 0,
	recent: [],
	arrivals: 0,
	last: null,
	loadRecent: async () => {
		const p = await get<NotificationPage>(`/api/v1/notifications?limit=${RECENT}`);
		set({ recent: p.notifications, unread: p.unread });
	},
	page: async (filter, cursor, limit) => {
		const q = new URLSearchParams({ filter, limit: String(limit) });
		if (cursor) q.set('cursor', cursor);
		const p = await get<NotificationPage>(`/api/v1/notifications?${q}`);
		set({ unread: p.unread });
		return p;
	},
	markRead: async (id) => {
		const n = await post<Notification>(`/api/v1/notifications/mark-read/${id}`);
		const was = getState().recent.find((x) => x.id === id);
		set((s) => ({
			recent: s.recent.map((x) => (x.id === id ? n : x)),
			unread: was && !was.read ? Math.max(0, s.unread - 1) : s.unread,
		}));
		if (!was) await getState().loadRecent();
	},
	markAllRead: async () => {
		await post('/api/v1/notifications/mark-all-read');
		set((s) => ({ unread: 0, recent: s.recent.map((x) => ({ ...x, read: true, readAt: x.readAt ?? new Date().toISOString() })) }));
	},
	remove: async (id) => {
		await del(`/api/v1/notifications/${id}`);
		await getState().loadRecent();
	},
	received: (n) =>
		set((s) => s.recent.some((x) => x.id === n.id) ? s : {
			recent: [n, ...s.recent].slice(0, RECENT),
			unread: s.unread + (n.read ? 0 : 1),
			arrivals: s.arrivals + 1,
			last: n,
		}),
	clear: () => set({ unread: 0, recent: [], arrivals: 0, last: null }),
}));
