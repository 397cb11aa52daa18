/*
 * The tenant's settings and the user's preferences, as the server keeps
 * them (the seed's localStorage keys, now in PATCH /settings). A change is
 * shown at once and saved; if the server refuses it, the saved state comes
 * back. `applyPreferences` puts theme, language, scale and compact mode on
 * the document; the last applied theme and language are also remembered in
 * localStorage so the next page load starts in them before /settings answers.
 */
import { create } from 'zustand';
import { get, patch } from '../api/client';
import type { Branding, Preferences, Settings } from '../api/types';
import { applyLanguage } from '../i18n';

export const DEFAULT_PREFERENCES: Preferences = {
	theme: 'system',
	compact_mode: false,
	sidebar_collapsed: false,
	language: 'en',
	scale: 14,
	menu_mode: 'static',
	notification_sound: false,
	desktop_notifications: false,
	use_gravatar: false,
};

const BOOT_KEY = 'waqtor.boot';

export interface SettingsState {
	settings: Settings | null;
	preferences: Preferences;
	load: () => Promise<void>;
	savePreferences: (p: Partial<Preferences>) => Promise<void>;
	saveTenant: (group: 'branding' | 'general' | 'messaging' | 'smartbot', values: Record<string, unknown>) => Promise<void>;
	setBranding: (b: Branding) => void;
}

export function effectiveTheme(p: Preferences): 'light' | 'dark' {
	if (p.theme !== 'system') return p.theme;
	return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyPreferences(p: Preferences): void {
	const theme = effectiveTheme(p);
	const link = document.getElementById('theme-link') as HTMLLinkElement | null;
	const href = `/themes/${theme}.css`;
	if (link && link.getAttribute('href') !== href) link.setAttribute('href', href);
	const html = document.documentElement;
	html.dataset.theme = theme;
	html.style.fontSize = `${p.scale}px`;
	html.classList.toggle('compact', p.compact_mode);
	applyLanguage(p.language);
	try {
		localStorage.setItem(BOOT_KEY, JSON.stringify({ theme: p.theme, language: p.language, scale: p.scale }));
	} catch {
		/* storage may be off: the server's settings still apply */
	}
}

/** The preferences of the last visit, before the server answers. */
export function bootPreferences(): Preferences {
	try {
		const saved = JSON.parse(localStorage.getItem(BOOT_KEY) ?? '{}') as Partial<Preferences>;
		return { ...DEFAULT_PREFERENCES, ...saved };
	} catch {
		return DEFAULT_PREFERENCES;
	}
}

export const useSettings = create<SettingsState>((set, getState) => ({
	settings: null,
	preferences: bootPreferences(),
	load: async () => {
		const settings = await get<Settings>('/api/v1/settings');
		const preferences = { ...DEFAULT_PREFERENCES, ...settings.preferences };
		set({ settings, preferences });
		applyPreferences(preferences);
	},
	savePreferences: async (change) => {
		const before = getState().preferences;
		const preferences = { ...before, ...change };
		set({ preferences });
		applyPreferences(preferences);
		try {
			const settings = await patch<Settings>('/api/v1/settings', { preferences: change });
			set({ settings, preferences: { ...DEFAULT_PREFERENCES, ...settings.preferences } });
		} catch (e) {
			set({ preferences: before });
			applyPreferences(before);
			throw e;
		}
	},
	saveTenant: async (group, values) => {
		const settings = await patch<Settings>('/api/v1/settings', { [group]: values });
		set({ settings });
	},
	setBranding: (branding) => {
		const s = getState().settings;
		if (s) set({ settings: { ...s, branding } });
	},
}));
