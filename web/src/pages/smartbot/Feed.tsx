/*
 * SmartBot's live feed: each message received (/smartbot `incoming`) as it
 * arrives, and under it the reply a rule gave it (`reply`, matched to the
 * message by its inboundId), newest first, the last 50. Pausing holds the
 * list still; what arrives meanwhile is counted and shown on resume.
 */
import { Button } from 'primereact/button';
import { Tag } from 'primereact/tag';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSocketEvent } from '../../realtime';
import type { InstanceOption } from './RuleEditor';
import { replyText } from './rules';

const MAX = 50;
/** A sender's number as people write it (the events carry it without its +). */
const phone = (n: string) => (n.startsWith('+') ? n : `+${n}`);

interface IncomingEvent {
	messageId: string; instanceId: string; from: string; contactName?: string | null; type: string; content: Record<string, unknown>;
}
interface ReplyEvent {
	to: string; trigger: string; response: string | null; timestamp: string; ruleId: string; ruleName: string;
	messageId: string; inboundId: string; outOfHours: boolean;
}
interface Item {
	id: string; instanceId?: string; from: string; name: string | null; text: string; at: string; reply?: ReplyEvent;
}

export default function Feed({ instances }: { instances: InstanceOption[] }) {
	const { t, i18n } = useTranslation();
	const [items, setItems] = useState<Item[]>([]);
	const [paused, setPaused] = useState(false);
	const [held, setHeld] = useState<((l: Item[]) => Item[])[]>([]);
	const apply = (f: (l: Item[]) => Item[]) => (paused ? setHeld((h) => [...h, f]) : setItems((l) => f(l).slice(0, MAX)));
	useSocketEvent<IncomingEvent>('/smartbot', 'incoming', (e) => apply((l) => l.some((x) => x.id === e.messageId) ? l : [{
		id: e.messageId, instanceId: e.instanceId, from: phone(e.from), name: e.contactName ?? null,
		text: replyText(e.content) || t(`messages.kind.${e.type}`, { defaultValue: t('messages.kind.unknown') }),
		at: new Date().toISOString(),
	}, ...l]));
	useSocketEvent<ReplyEvent>('/smartbot', 'reply', (e) => apply((l) => l.some((x) => x.id === e.inboundId)
		? l.map((x) => (x.id === e.inboundId ? { ...x, reply: e } : x))
		: [{ id: e.inboundId, from: phone(e.to), name: null, text: e.trigger, at: e.timestamp, reply: e }, ...l]));
	const resume = () => {
		setItems((l) => held.reduce((acc, f) => f(acc), l).slice(0, MAX));
		setHeld([]);
		setPaused(false);
	};
	const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' });
	const instanceName = (id?: string) => instances.find((i) => i.id === id)?.name;

	return (
		<section className="card" aria-labelledby="sb-feed-title">
			<div className="flex align-items-center justify-content-between gap-2 mb-2">
				<h2 id="sb-feed-title" className="text-lg m-0">{t('smartbot.feed')}</h2>
				<div className="flex gap-1">
					{paused
						? <Button label={t('smartbot.resume', { n: held.length })} icon="pi pi-play" size="small" outlined onClick={resume} />
						: <Button label={t('smartbot.pause')} icon="pi pi-pause" size="small" outlined onClick={() => setPaused(true)} />}
					<Button label={t('smartbot.clear')} icon="pi pi-eraser" size="small" text onClick={() => setItems([])} disabled={!items.length} />
				</div>
			</div>
			{items.length === 0 && <p className="muted m-0" data-testid="feed-empty">{t('smartbot.feedEmpty')}</p>}
			<div className="feed" role="log" aria-live="polite" aria-label={t('smartbot.feed')}>
			<ul className="list-none p-0 m-0">
				{items.map((x) => (
					<li key={x.id} className="feed-item" data-testid="feed-item">
						<div className="flex flex-wrap gap-2 align-items-baseline">
							<strong dir="auto">{x.name ?? <span dir="ltr">{x.from}</span>}</strong>
							{x.name && <span className="muted text-sm" dir="ltr">{x.from}</span>}
							{instanceName(x.instanceId) && <span className="muted text-sm" dir="auto">· {instanceName(x.instanceId)}</span>}
							<time className="muted text-sm ms-auto" dateTime={x.at}>{time.format(new Date(x.at))}</time>
						</div>
						<div className="feed-text" dir="auto">{x.text}</div>
						{x.reply && (
							<div className="feed-reply" data-testid="feed-reply">
								<i className="pi pi-reply" aria-hidden="true" />
								<Tag value={x.reply.ruleName} severity={x.reply.outOfHours ? 'warning' : 'success'}
									title={t('smartbot.answeredBy', { name: x.reply.ruleName })} />
								<span dir="auto">{x.reply.response ?? t('messages.kind.unknown')}</span>
							</div>
						)}
					</li>
				))}
			</ul>
			</div>
		</section>
	);
}
