/*
 * The event monitor: every event of the tenant as it arrives over
 * Socket.IO (all four namespaces), newest first, filtered by type and
 * instance, paused and resumed without losing what came meanwhile, each
 * one's JSON a click away. At most MAX are kept; the list is virtual, so a
 * hundred events a second stay smooth.
 */
import { Button } from 'primereact/button';
import { Dialog } from 'primereact/dialog';
import { Dropdown } from 'primereact/dropdown';
import { MultiSelect } from 'primereact/multiselect';
import { Tag } from 'primereact/tag';
import { VirtualScroller } from 'primereact/virtualscroller';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { Instance } from '../api/types';
import PageHeader from '../components/PageHeader';
import { realtime, useRealtimeState } from '../realtime';
import { EVENT_NAMES, eventType, NAMESPACES } from '../realtime/events';
import { Field } from './auth/form';

export const MAX = 2000;

export interface Seen {
	seq: number;
	type: string;
	instanceId: string | null;
	at: string;
	data: unknown;
}

export default function Events() {
	const { t, i18n } = useTranslation();
	const snap = useRealtimeState();
	const [events, setEvents] = useState<Seen[]>([]);
	const [paused, setPaused] = useState(false);
	const [types, setTypes] = useState<string[]>([]);
	const [instance, setInstance] = useState<string | null>(null);
	const [instances, setInstances] = useState<Instance[]>([]);
	const [shown, setShown] = useState<Seen | null>(null);
	const [heldCount, setHeldCount] = useState(0);
	const held = useRef<Seen[]>([]);
	const pausedRef = useRef(paused);
	pausedRef.current = paused;
	const seq = useRef(0);

	useEffect(() => {
		void get<{ instances: Instance[] }>('/api/v1/instances').then((r) => setInstances(r.instances), () => {});
	}, []);
	const rt = realtime();
	useEffect(() => {
		if (!rt) return;
		// events of a burst are added in one render a frame
		let frame = 0;
		const flush = () => {
			frame = 0;
			if (pausedRef.current) return setHeldCount(held.current.length);
			const batch = held.current.splice(0);
			if (batch.length) setEvents((old) => [...batch.reverse(), ...old].slice(0, MAX));
		};
		const offs = NAMESPACES.map((ns) => {
			const s = rt.socket(ns);
			const f = (event: string, data: unknown) => {
				const type = eventType(ns, event);
				if (!type) return;
				const d = (data ?? {}) as { instanceId?: string | null; timestamp?: string };
				held.current.push({ seq: ++seq.current, type, instanceId: d.instanceId ?? null,
					at: d.timestamp ?? new Date().toISOString(), data });
				if (held.current.length > MAX) held.current.splice(0, held.current.length - MAX);
				if (!frame) frame = requestAnimationFrame(flush);
			};
			s.onAny(f);
			return () => s.offAny(f);
		});
		return () => {
			offs.forEach((off) => off());
			if (frame) cancelAnimationFrame(frame);
		};
	}, [rt]);
	useEffect(() => {
		if (paused || held.current.length === 0) return;
		setHeldCount(0);
		const batch = held.current.splice(0);
		setEvents((old) => [...batch.reverse(), ...old].slice(0, MAX));
	}, [paused]);

	const visible = events.filter((e) => (types.length === 0 || types.includes(e.type)) &&
		(!instance || e.instanceId === instance));
	const name = (id: string | null) => instances.find((i) => i.id === id)?.name ?? id ?? '—';
	const item = (e: Seen) => (
		<button type="button" className="event-row" onClick={() => setShown(e)} data-testid="event">
			<time dateTime={e.at} dir="ltr">{new Date(e.at).toLocaleTimeString(i18n.language)}</time>
			<Tag value={e.type} severity={e.type.startsWith('message') ? 'info' : e.type.startsWith('session') ? 'success' : undefined} />
			<span className="muted">{name(e.instanceId)}</span>
			<code className="event-data" dir="ltr">{JSON.stringify(e.data)}</code>
		</button>
	);

	return (
		<>
			<PageHeader title={t('menu.events')} subtitle={t('events.subtitle')}
				actions={<>
					<Button label={paused ? t('events.resume') : t('events.pause')} icon={paused ? 'pi pi-play' : 'pi pi-pause'}
						outlined onClick={() => setPaused((p) => !p)} data-testid="pause" />
					<Button label={t('events.clear')} icon="pi pi-trash" text onClick={() => setEvents([])} />
				</>} />
			<div className="card">
				<div className="flex flex-wrap gap-3 align-items-end mb-3">
					<Field id="ev-types" label={t('events.types')}>
						<MultiSelect inputId="ev-types" value={types} onChange={(e) => setTypes(e.value)} display="chip"
							options={EVENT_NAMES.map((x) => ({ label: x.type, value: x.type }))} placeholder={t('events.allTypes')}
							className="w-full md:w-30rem" />
					</Field>
					<Field id="ev-instance" label={t('events.instance')}>
						<Dropdown inputId="ev-instance" value={instance} onChange={(e) => setInstance(e.value)} showClear
							options={instances.map((i) => ({ label: i.name, value: i.id }))} placeholder={t('events.allInstances')}
							className="w-full md:w-20rem" />
					</Field>
				</div>
				<p className="muted" role="status" aria-live="polite" data-testid="event-count">
					{t('events.count', { shown: visible.length, total: events.length })}
					{paused && heldCount > 0 && ` · ${t('events.held', { count: heldCount })}`}
					{snap.state !== 'online' && ` · ${t('realtime.offline')}`}
				</p>
				{visible.length === 0 ? <p className="text-center muted py-5">{t('events.waiting')}</p> : (
					<section aria-label={t('menu.events')}>
						<VirtualScroller items={visible} itemSize={44} itemTemplate={item} style={{ height: '32rem' }}
							className="event-list" />
					</section>
				)}
			</div>
			<Dialog visible={!!shown} onHide={() => setShown(null)} header={shown?.type} className="dialog-md">
				{shown && <pre className="secret-box text-sm" dir="ltr" data-testid="event-json">{JSON.stringify(
					{ type: shown.type, instanceId: shown.instanceId, at: shown.at, data: shown.data }, null, 2)}</pre>}
			</Dialog>
		</>
	);
}
