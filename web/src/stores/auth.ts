/*
 * Who is signed in. `status` is 'unknown' until the first GET /me answers;
 * login, signup and invitation acceptance set the session cookie (the
 * API's) and the user; logout ends the session on the server.
 */
import { create } from 'zustand';
import { get, patch, post } from '../api/client';
import type { Me, Tenant, User } from '../api/types';

export interface AuthState {
	status: 'unknown' | 'in' | 'out';
	user: User | null;
	tenant: Tenant | null;
	load: () => Promise<void>;
	login: (email: string, password: string) => Promise<void>;
	signup: (body: { tenantName: string; name: string; email: string; password: string }) => Promise<void>;
	acceptInvitation: (body: { token: string; name: string; password: string }) => Promise<void>;
	logout: () => Promise<void>;
	setUser: (u: User) => void;
	setTenant: (t: Tenant) => void;
	updateProfile: (body: Partial<Pick<User, 'name' | 'email' | 'phone'>>) => Promise<void>;
	signedOut: () => void;
}

export const useAuth = create<AuthState>((set) => ({
	status: 'unknown',
	user: null,
	tenant: null,
	load: async () => {
		try {
			const me = await get<Me>('/api/v1/me', { quiet401: true });
			set({ status: me.user ? 'in' : 'out', user: me.user, tenant: me.tenant });
		} catch {
			set({ status: 'out', user: null, tenant: null });
		}
	},
	login: async (email, password) => {
		const me = await post<Me>('/api/v1/auth/login', { email, password }, { quiet401: true });
		set({ status: 'in', user: me.user, tenant: me.tenant });
	},
	signup: async (body) => {
		const me = await post<Me>('/api/v1/auth/signup', body, { quiet401: true });
		set({ status: 'in', user: me.user, tenant: me.tenant });
	},
	acceptInvitation: async (body) => {
		const me = await post<Me>('/api/v1/invitations/accept', body, { quiet401: true });
		set({ status: 'in', user: me.user, tenant: me.tenant });
	},
	logout: async () => {
		try {
			await post('/api/v1/auth/logout', undefined, { quiet401: true });
		} finally {
			set({ status: 'out', user: null, tenant: null });
		}
	},
	setUser: (user) => set({ user }),
	setTenant: (tenant) => set({ tenant }),
	updateProfile: async (body) => {
		const r = await patch<{ user: User }>('/api/v1/me', body);
		set({ user: r.user });
	},
	signedOut: () => set({ status: 'out', user: null, tenant: null }),
}));

/** Whether the signed-in user may change the organisation's settings (an owner or admin). */
export function useIsAdmin(): boolean {
	const role = useAuth((s) => s.user?.role);
	return role === 'owner' || role === 'admin';
}
