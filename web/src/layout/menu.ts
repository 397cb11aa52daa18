/*
 * The sidebar's sections (both parts of the dashboard). `badge` is the
 * seed's "New" tag; `premium` pages sit behind the plan gate.
 */
export interface MenuItem {
	key: string;
	icon: string;
	to: string;
	badge?: 'new';
	premium?: boolean;
}

export interface MenuSection {
	key: string;
	items: MenuItem[];
}

export const MENU: MenuSection[] = [
	{ key: 'home', items: [{ key: 'dashboard', icon: 'pi pi-home', to: '/dashboard' }] },
	{
		key: 'whatsapp',
		items: [
			{ key: 'instances', icon: 'pi pi-mobile', to: '/instances' },
			{ key: 'messages', icon: 'pi pi-comments', to: '/messages' },
			{ key: 'campaigns', icon: 'pi pi-megaphone', to: '/campaigns', badge: 'new', premium: true },
			{ key: 'contacts', icon: 'pi pi-users', to: '/contacts' },
			{ key: 'smartbot', icon: 'pi pi-android', to: '/smartbot' },
			{ key: 'interactive', icon: 'pi pi-th-large', to: '/interactive', badge: 'new', premium: true },
		],
	},
	{
		key: 'insights',
		items: [
			{ key: 'reports', icon: 'pi pi-chart-bar', to: '/reports', badge: 'new', premium: true },
			{ key: 'events', icon: 'pi pi-bolt', to: '/events' },
			{ key: 'notifications', icon: 'pi pi-bell', to: '/notifications' },
		],
	},
	{
		key: 'configuration',
		items: [
			{ key: 'settings', icon: 'pi pi-cog', to: '/settings' },
			{ key: 'webhooks', icon: 'pi pi-send', to: '/settings/webhooks' },
		],
	},
	{
		key: 'uikit',
		items: [
			{ key: 'button', icon: 'pi pi-mobile', to: '/uikit/button' },
			{ key: 'charts', icon: 'pi pi-chart-pie', to: '/uikit/charts' },
			{ key: 'file', icon: 'pi pi-file', to: '/uikit/file' },
			{ key: 'formlayout', icon: 'pi pi-id-card', to: '/uikit/formlayout' },
			{ key: 'input', icon: 'pi pi-check-square', to: '/uikit/input' },
			{ key: 'message', icon: 'pi pi-comment', to: '/uikit/message' },
			{ key: 'table', icon: 'pi pi-table', to: '/uikit/table' },
			{ key: 'badge', icon: 'pi pi-circle-fill', to: '/uikit/badge' },
			{ key: 'tag', icon: 'pi pi-tag', to: '/uikit/tag' },
			{ key: 'chip', icon: 'pi pi-tags', to: '/uikit/chip' },
			{ key: 'avatar', icon: 'pi pi-user', to: '/uikit/avatar' },
		],
	},
	{
		key: 'account',
		items: [
			{ key: 'profile', icon: 'pi pi-user', to: '/profile' },
			{ key: 'about', icon: 'pi pi-info-circle', to: '/about' },
		],
	},
];
