/*
 * The Socket.IO names of the platform's event types: lib/event.c's table
 * (ARCHITECTURE.md), seen from the browser. The event monitor listens to
 * every namespace here and shows each event under its type.
 */
export const EVENT_NAMES: { type: string; ns: string; event: string }[] = [
	{ type: 'session.qr', ns: '/status', event: 'qr' },
	{ type: 'session.status', ns: '/status', event: 'status' },
	{ type: 'session.stats', ns: '/status', event: 'stats' },
	{ type: 'message.sent', ns: '/status', event: 'message-status' },
	{ type: 'campaign.progress', ns: '/campaigns', event: 'progress' },
	{ type: 'campaign.completed', ns: '/campaigns', event: 'completed' },
	{ type: 'message.received', ns: '/smartbot', event: 'incoming' },
	{ type: 'smartbot.reply', ns: '/smartbot', event: 'reply' },
	{ type: 'smartbot.rule-updated', ns: '/smartbot', event: 'rule-updated' },
	{ type: 'notification.new', ns: '/notifications', event: 'notification:new' },
];

export const NAMESPACES = [...new Set(EVENT_NAMES.map((e) => e.ns))];

/** The type of a namespace's Socket.IO event, or null for one the platform does not send. */
export function eventType(ns: string, event: string): string | null {
	return EVENT_NAMES.find((e) => e.ns === ns && e.event === event)?.type ?? null;
}
