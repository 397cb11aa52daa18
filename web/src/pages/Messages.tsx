/*
 * The conversations, as people know them from WhatsApp Web: the chats with
 * their unread counts and a search (the server's, so it finds every chat),
 * a page at a time in a virtual scroller (10,000 chats scroll as smoothly
 * as ten: bench/web-frames.mjs), the open chat's thread with a separator
 * per day, each sent message's ticks moving live from /status (sent,
 * delivered, read; failed with its reason), received messages arriving
 * from /smartbot, and a composer for text and media (picked or dropped on
 * the thread; its kind and size checked before the upload, media.ts).
 * Opening a chat marks it read.
 */
import { Badge } from 'primereact/badge';
import { Button } from 'primereact/button';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { VirtualScroller } from 'primereact/virtualscroller';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api/client';
import { usePages } from '../api/pages';
import { ACCEPT, checkFile, sizeText, type MediaType } from '../media';
import PageHeader from '../components/PageHeader';
import { useResync, useSocketEvent } from '../realtime';
import { failed } from '../toast';

type Status = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';
interface Message {
	id: string; instanceId: string; chatId: string; direction: 'in' | 'out'; type: string;
	content: Record<string, unknown>; status: Status; error: Record<string, unknown> | null;
	createdAt: string; contactName?: string | null;
}
interface Chat {
	instanceId: string; chatId: string; name: string | null; unreadCount: number;
	lastMessage: Pick<Message, 'id' | 'direction' | 'type' | 'content' | 'status' | 'createdAt'>;
}
interface StatusEvent { messageId: string; instanceId: string; chatId: string; status: Status; error?: Record<string, unknown> }
interface IncomingEvent {
	messageId: string; instanceId: string; chatId: string; contactName?: string | null; type: string; content: Record<string, unknown>;
}

/* A status only moves forward (a late "sent" never undoes "read"). */
const RANK: Record<Status, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4, received: 0 };
const TICKS: Partial<Record<Status, string>> = {
	pending: 'pi pi-clock', sent: 'pi pi-check', delivered: 'pi pi-check-circle', read: 'pi pi-check-circle', failed: 'pi pi-exclamation-circle',
};
/* the chat list: a page at a time as it scrolls, each row this tall (.chat-item) */
const PAGE = 50;
const ITEM_PX = 68;
const SEARCH_MS = 300;
const key = (c: { instanceId: string; chatId: string }) => `${c.instanceId} ${c.chatId}`;
/** A chat's number as people write it. */
const phone = (chatId: string) => '+' + chatId.replace(/@.*/, '');
/** A chat's name, else its number. */
const title = (c: Chat) => c.name ?? phone(c.chatId);
/** Whether a message at `from` moves on to `to`. */
const forward = (from: Status, to: Status) => RANK[to] > RANK[from];
/** Marks the chat's received messages read on the server. */
const markRead = (c: { instanceId: string; chatId: string }) =>
	post(`/api/v1/chats/${encodeURIComponent(c.chatId)}/read?instanceId=${c.instanceId}`);

/** A media message's file, when this page may show it (the API's own media, same origin). */
function mediaUrl(m: { content: Record<string, unknown> }): string | null {
	const u = m.content.url;
	return typeof u === 'string' && u.startsWith(`${location.origin}/api/v1/media/`) ? u : null;
}

function Media({ m }: { m: Message }) {
	const { t } = useTranslation();
	const url = mediaUrl(m);
	const name = typeof m.content.filename === 'string' ? m.content.filename : t(`messages.kind.${m.type}`, { defaultValue: m.type });
	if (m.type === 'image' || m.type === 'sticker') {
		return url ? <img src={url} alt={name} className="bubble-image" loading="lazy" data-testid="bubble-image" /> : null;
	}
	if (!['audio', 'video', 'document'].includes(m.type)) return null;
	const icon = { audio: 'pi pi-volume-up', video: 'pi pi-video', document: 'pi pi-file' }[m.type];
	return (
		<div className="bubble-file" data-testid="bubble-file">
			<i className={icon} aria-hidden="true" />
			{url ? <a href={url} target="_blank" rel="noreferrer" dir="auto">{name}</a> : <span dir="auto">{name}</span>}
		</div>
	);
}

/** What a message says in a line: its text, or its kind. */
function preview(m: { type: string; content: Record<string, unknown> }, t: TFunction): string {
	const text = m.content.text ?? m.content.body ?? m.content.caption;
	return typeof text === 'string' && text ? text : t(`messages.kind.${m.type}`, { defaultValue: t('messages.kind.unknown') });
}

function errorReason(e: Record<string, unknown> | null): string | null {
	if (!e) return null;
	const m = e.message ?? e.title ?? e.code;
	return typeof m === 'string' || typeof m === 'number' ? String(m) : JSON.stringify(e);
}

function Ticks({ m }: { m: Message }) {
	const { t } = useTranslation();
	if (m.direction !== 'out') return null;
	const label = m.status === 'failed' && errorReason(m.error)
		? `${t('messages.status.failed')}: ${errorReason(m.error)}` : t(`messages.status.${m.status}`);
	return (
		<span className={`ticks ticks-${m.status}`} data-testid="ticks" data-status={m.status} title={label}>
			<i className={TICKS[m.status]} aria-hidden="true" />
			<span className="visually-hidden">{label}</span>
		</span>
	);
}

function Thread({ chat, onSent }: { chat: Chat; onSent: (m: Message) => void }) {
	const { t, i18n } = useTranslation();
	const [messages, setMessages] = useState<Message[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [text, setText] = useState('');
	const [busy, setBusy] = useState(false);
	const [file, setFile] = useState<{ file: File; type: MediaType } | null>(null);
	const [dragging, setDragging] = useState(false);
	const picker = useRef<HTMLInputElement>(null);
	const end = useRef<HTMLDivElement>(null);
	const load = useCallback(() => {
		const q = `chatId=${encodeURIComponent(chat.chatId)}&instanceId=${chat.instanceId}&limit=200`;
		get<{ messages: Message[] }>(`/api/v1/messages?${q}`).then((r) => {
			setMessages(r.messages.slice().reverse()); // newest first from the API; oldest first here
			setError(null);
		}, (e) => setError(errorText(e)));
	}, [chat.chatId, chat.instanceId]);
	useEffect(load, [load]);
	useResync('/status', load);
	useEffect(() => {
		end.current?.scrollIntoView({ block: 'end' });
	}, [messages?.length]);
	useSocketEvent<StatusEvent>('/status', 'message-status', (e) => setMessages((l) => l?.map((m) =>
		m.id === e.messageId && forward(m.status, e.status) ? { ...m, status: e.status, error: e.error ?? m.error } : m) ?? l));
	useSocketEvent<IncomingEvent>('/smartbot', 'incoming', (e) => {
		if (e.chatId !== chat.chatId || e.instanceId !== chat.instanceId) return;
		setMessages((l) => (l && !l.some((m) => m.id === e.messageId) ? [...l, {
			id: e.messageId, instanceId: e.instanceId, chatId: e.chatId, direction: 'in', type: e.type, content: e.content,
			status: 'received', error: null, createdAt: new Date().toISOString(), contactName: e.contactName,
		}] : l));
		void markRead(chat);
	});

	/* a file picked or dropped: refused at once when WhatsApp would not take it */
	const attach = (f: File | undefined) => {
		if (!f) return;
		const c = checkFile(f);
		if (c.ok) setFile({ file: f, type: c.type });
		else if (c.reason === 'size') {
			failed(t('messages.fileTooBig', { name: f.name }), new Error(t('messages.fileMax', {
				kind: t(`messages.kind.${c.type}`), max: sizeText(c.max, i18n.language) })));
		} else failed(t('messages.fileKind', { name: f.name }), new Error(t('messages.fileKinds')));
	};
	const send = async (ev?: FormEvent) => {
		ev?.preventDefault();
		const body = text.trim();
		if ((!body && !file) || busy) return;
		setBusy(true);
		try {
			const idem = { headers: { 'Idempotency-Key': crypto.randomUUID() } };
			let q: { messageId: string; timestamp: string };
			let m: Pick<Message, 'type' | 'content'>;
			if (file) {
				const form = new FormData();
				const fields = { instanceId: chat.instanceId, chatId: chat.chatId, type: file.type, filename: file.file.name };
				for (const [k, v] of Object.entries(fields)) form.append(k, v);
				if (body) form.append('caption', body);
				form.append('file', file.file);
				q = await post('/api/v1/messages/send-media', form, idem);
				// the stored message has the file's URL: read it back for the bubble
				const stored = await get<Message>(`/api/v1/messages/${q.messageId}`).catch(() => null);
				m = { type: file.type, content: stored?.content ?? { caption: body, filename: file.file.name } };
			} else {
				q = await post('/api/v1/messages/send-text', { instanceId: chat.instanceId, chatId: chat.chatId, text: body }, idem);
				m = { type: 'text', content: { text: body } };
			}
			const sent: Message = { id: q.messageId, instanceId: chat.instanceId, chatId: chat.chatId, direction: 'out', ...m,
				status: 'pending', error: null, createdAt: q.timestamp };
			setMessages((l) => (l && !l.some((x) => x.id === sent.id) ? [...l, sent] : l));
			onSent(sent);
			setText('');
			setFile(null);
		} catch (e) {
			failed(t('messages.sendFailed'), e);
		} finally {
			setBusy(false);
		}
	};
	const enter = (e: KeyboardEvent) => {
		if (e.key === 'Enter' && !e.shiftKey) {
			e.preventDefault();
			void send();
		}
	};

	const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full' });
	const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' });
	let last = '';
	return (
		<section className={`thread${dragging ? ' dragging' : ''}`} aria-label={t('messages.threadWith', { name: title(chat) })}
			onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDragging(true); } }}
			onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false); }}
			onDrop={(e) => { e.preventDefault(); setDragging(false); attach(e.dataTransfer.files[0]); }} data-testid="thread-drop">
			{dragging && <div className="drop-hint" aria-hidden="true"><i className="pi pi-upload" /> {t('messages.drop')}</div>}
			<header className="thread-head">
				<strong dir="auto">{title(chat)}</strong>
				<span className="muted text-sm" dir="ltr">{phone(chat.chatId)}</span>
			</header>
			<div className="thread-body" role="log" aria-live="polite" data-testid="thread">
				{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
				{messages === null && !error && <p className="muted">{t('common.loading')}</p>}
				{messages?.length === 0 && <p className="muted">{t('messages.noMessages')}</p>}
				{messages?.map((m) => {
					const d = day.format(new Date(m.createdAt));
					const sep = d !== last;
					last = d;
					return (
						<div key={m.id}>
							{sep && <div className="day-separator" role="separator"><span>{d}</span></div>}
							<div className={`bubble bubble-${m.direction}`} data-testid="bubble" data-id={m.id}>
								<Media m={m} />
								{(m.type === 'text' || !mediaUrl(m) || !!m.content.caption) && (
									<div className="bubble-text" dir="auto">{preview(m, t)}</div>
								)}
								<div className="bubble-meta">
									<time dateTime={m.createdAt}>{time.format(new Date(m.createdAt))}</time>
									<Ticks m={m} />
								</div>
								{m.status === 'failed' && errorReason(m.error) && (
									<div className="bubble-error" data-testid="failure">{errorReason(m.error)}</div>
								)}
							</div>
						</div>
					);
				})}
				<div ref={end} />
			</div>
			{file && (
				<div className="attachment" data-testid="attachment">
					<i className={file.type === 'image' || file.type === 'sticker' ? 'pi pi-image' : 'pi pi-file'} aria-hidden="true" />
					<span dir="auto" className="attachment-name">{file.file.name}</span>
					<span className="muted text-sm">{t(`messages.kind.${file.type}`)} · {sizeText(file.file.size, i18n.language)}</span>
					<Button type="button" icon="pi pi-times" text rounded size="small" aria-label={t('messages.removeFile')}
						onClick={() => setFile(null)} />
				</div>
			)}
			<form className="composer" onSubmit={(e) => void send(e)}>
				<input ref={picker} type="file" accept={ACCEPT} hidden data-testid="file-input"
					onChange={(e) => { attach(e.target.files?.[0]); e.target.value = ''; }} />
				<Button type="button" icon="pi pi-paperclip" text aria-label={t('messages.attach')} onClick={() => picker.current?.click()} />
				<label htmlFor="composer-text" className="visually-hidden">{file ? t('messages.caption') : t('messages.type')}</label>
				<InputTextarea id="composer-text" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={enter}
					rows={1} autoResize maxLength={file ? 1024 : 4096} placeholder={file ? t('messages.caption') : t('messages.type')}
					className="flex-1" />
				<Button type="submit" icon="pi pi-send" aria-label={t('messages.send')} loading={busy} disabled={!text.trim() && !file} />
			</form>
		</section>
	);
}

/** A chat's last activity as WhatsApp shows it: the time today, the weekday this week, else the date. */
function chatTime(lang: string) {
	const time = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
	const day = new Intl.DateTimeFormat(lang, { weekday: 'short' });
	const date = new Intl.DateTimeFormat(lang, { dateStyle: 'short' });
	return (iso: string) => {
		const d = new Date(iso), midnight = new Date();
		midnight.setHours(0, 0, 0, 0);
		if (d >= midnight) return time.format(d);
		return d.getTime() > midnight.getTime() - 6 * 86400000 ? day.format(d) : date.format(d);
	};
}

/** The chat's row in the list, looked up again (a chat the list did not hold). */
const fetchChat = (c: { instanceId: string; chatId: string }) =>
	get<{ chats: Chat[] }>(`/api/v1/chats?instanceId=${c.instanceId}&search=${c.chatId.replace(/\D/g, '')}&limit=10`)
		.then((r) => r.chats.find((x) => key(x) === key(c)) ?? null);

export default function Messages() {
	const { t, i18n } = useTranslation();
	const [typed, setTyped] = useState('');
	const [search, setSearch] = useState('');
	const [open, setOpen] = useState<string | null>(null);
	useEffect(() => {
		const id = window.setTimeout(() => setSearch(typed.trim()), SEARCH_MS);
		return () => window.clearTimeout(id);
	}, [typed]);
	const q = new URLSearchParams({ limit: String(PAGE), ...(search ? { search } : {}) });
	const { items: chats, setItems: setChats, more, reload, error } = usePages<Chat>(`/api/v1/chats?${q}`, 'chats', key);
	useResync('/smartbot', reload);

	/* a chat's last message changed: it moves to the top */
	const bump = (k: string, last: Chat['lastMessage'], unread: (n: number) => number) => setChats((l) => {
		const c = l?.find((x) => key(x) === k);
		if (!l || !c) return l;
		return [{ ...c, lastMessage: last, unreadCount: unread(c.unreadCount) }, ...l.filter((x) => x !== c)];
	});
	/* a chat the list does not hold (new, or further down than loaded) comes to the top;
	   a search shows what it found until it changes */
	const arrive = (e: { instanceId: string; chatId: string }) => {
		if (search) return;
		void fetchChat(e).then((c) => c && setChats((l) => l && [c, ...l.filter((x) => key(x) !== key(c))]), () => undefined);
	};
	const held = (e: { instanceId: string; chatId: string }) => chats?.some((c) => key(c) === key(e));
	useSocketEvent<IncomingEvent>('/smartbot', 'incoming', (e) => {
		const k = key(e);
		if (!held(e)) {
			arrive(e);
			return;
		}
		bump(k, { id: e.messageId, direction: 'in', type: e.type, content: e.content, status: 'received',
			createdAt: new Date().toISOString() }, (n) => (k === open ? 0 : n + 1));
	});
	useSocketEvent<StatusEvent>('/status', 'message-status', (e) => {
		if (!held(e)) {
			arrive(e); // a chat written to from elsewhere (the API, a campaign)
			return;
		}
		setChats((l) => l?.map((c) => c.lastMessage.id === e.messageId && forward(c.lastMessage.status, e.status)
			? { ...c, lastMessage: { ...c.lastMessage, status: e.status } } : c) ?? l);
	});

	const select = (c: Chat) => {
		setOpen(key(c));
		if (c.unreadCount > 0) {
			setChats((l) => l?.map((x) => (x === c ? { ...x, unreadCount: 0 } : x)) ?? l);
			void markRead(c)
				.catch((e) => failed(t('messages.readFailed'), e));
		}
	};
	const current = chats?.find((c) => key(c) === open) ?? null;
	const when = useMemo(() => chatTime(i18n.language), [i18n.language]);

	return (
		<>
			<PageHeader title={t('menu.messages')} subtitle={t('messages.subtitle')} />
			{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
			<div className="card chat-layout p-0">
				<aside className="chat-list" aria-label={t('messages.chats')}>
					<div className="p-2">
						<InputText value={typed} onChange={(e) => setTyped(e.target.value)} className="w-full"
							placeholder={t('messages.search')} aria-label={t('messages.search')} type="search" />
					</div>
					{chats === null && !error && <p className="muted p-3">{t('common.loading')}</p>}
					{chats?.length === 0 && (search
						? <p className="muted p-3">{t('messages.noMatch')}</p>
						: <p className="muted p-3" data-testid="no-chats">{t('messages.noChats')}</p>)}
					{chats && chats.length > 0 && (
						<VirtualScroller items={chats} itemSize={ITEM_PX} className="chat-scroller"
							onScrollIndexChange={(e) => { if (Number(e.last) >= chats.length - PAGE / 2) more?.(); }}
							itemTemplate={(c: Chat) => (
								<button type="button" className={`chat-item${key(c) === open ? ' active' : ''}`} onClick={() => select(c)}
									aria-current={key(c) === open ? 'true' : undefined} data-testid="chat">
									<span className="chat-name" dir="auto">{title(c)}</span>
									<time className="muted text-sm" dateTime={c.lastMessage.createdAt}>
										{when(c.lastMessage.createdAt)}</time>
									<span className="chat-preview muted text-sm" dir="auto">
										{c.lastMessage.direction === 'out' && <i className={TICKS[c.lastMessage.status]} aria-hidden="true" />}{' '}
										{preview(c.lastMessage, t)}
									</span>
									{c.unreadCount > 0 && (
										<Badge value={c.unreadCount} data-testid="unread"
											aria-label={t('messages.unread', { count: c.unreadCount })} />
									)}
								</button>
							)} />
					)}
				</aside>
				{current ? (
					<Thread key={open} chat={current} onSent={(m) => bump(key(m), m, () => 0)} />
				) : (
					<div className="thread-empty muted"><i className="pi pi-comments" aria-hidden="true" /> {t('messages.pick')}</div>
				)}
			</div>
		</>
	);
}
