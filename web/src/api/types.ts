/* The API's shapes the dashboard reads (docs/openapi.yaml's schemas). */
export type Role = 'owner' | 'admin' | 'member';
export type Plan = 'free' | 'pro' | 'business';

export interface User {
	id: string;
	name: string;
	email: string;
	role: Role;
	phone: string | null;
	avatarUrl: string;
}

export interface Tenant {
	id: string;
	name: string;
	plan: Plan;
}

export interface Me {
	user: User | null;
	tenant: Tenant;
}

export interface Branding {
	app_logo: string;
	app_logo_text: string;
	app_show_logo_text: boolean;
}

export type ThemeName = 'light' | 'dark' | 'system';
export type Language = 'en' | 'ar';

export interface Preferences {
	theme: ThemeName;
	compact_mode: boolean;
	sidebar_collapsed: boolean;
	language: Language;
	scale: number;
	menu_mode: 'static' | 'overlay';
	notification_sound: boolean;
	desktop_notifications: boolean;
	use_gravatar: boolean;
}

export interface Settings {
	branding: Branding;
	messaging: { default_country_code: string; [k: string]: unknown };
	general: { time_zone: string };
	smartbot: { enabled: boolean; handover_minutes: number; chat_replies_per_minute: number };
	preferences: Preferences | null;
}

export interface Subscription {
	plan: Plan;
	status: 'free' | 'active' | 'expired';
	expiresAt: string | null;
}

export interface ApiKey {
	id: string;
	name: string;
	prefix: string;
	createdAt: string;
	lastUsedAt: string | null;
	createdBy: { id: string; name: string } | null;
}

export interface ApiKeyCreated extends ApiKey {
	key: string;
}

export interface PendingInvitation {
	id: string;
	email: string;
	role: 'admin' | 'member';
	expiresAt: string;
}

export interface MemberList {
	members: User[];
	invitations: PendingInvitation[];
}

export interface AuditEntry {
	id: string;
	action: string;
	userId: string | null;
	apiKeyId: string | null;
	ip: string | null;
	details: Record<string, unknown>;
	createdAt: string;
}

export interface AuditPage {
	items: AuditEntry[];
	nextCursor: string | null;
}

export type NotificationType = 'info' | 'success' | 'warning' | 'error';

export interface Notification {
	id: string;
	userId: string;
	kind: string;
	type: NotificationType;
	title: string;
	message: string;
	icon: string;
	link: string | null;
	read: boolean;
	readAt: string | null;
	createdAt: string;
	data: Record<string, unknown>;
}

export interface NotificationPage {
	notifications: Notification[];
	nextCursor: string | null;
	unread: number;
}

export interface Instance {
	id: string;
	name: string;
	provider: 'sandbox' | 'cloud';
	sandbox: boolean;
	status: string;
	config: Record<string, unknown>;
	secretsSet: string[];
	createdAt: string;
	updatedAt: string;
}

export interface Version {
	name: string;
	version: string;
	[k: string]: unknown;
}
