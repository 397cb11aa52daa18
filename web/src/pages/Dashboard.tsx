/*
 * The dashboard: the tenant's figures at a glance, each instance's state
 * with its pairing QR as it arrives on /status, today's message figures and
 * the last week's chart from the reports API (a paid plan's; refreshed as
 * messages move), and the running campaigns with their progress from
 * /campaigns.
 */
import { Chart } from 'primereact/chart';
import { ProgressBar } from 'primereact/progressbar';
import { Tag } from 'primereact/tag';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, errorText, get } from '../api/client';
import { CHART_FIGURES, figureColour, themedOptions, type ChartFigure } from '../charts';
import PageHeader from '../components/PageHeader';
import Qr from '../components/Qr';
import { useResync, useSocketEvent } from '../realtime';
import { STATUS_SEVERITY, useLiveInstances } from '../realtime/instances';
import { useAuth } from '../stores/auth';
import { useNotifications } from '../stores/notifications';

interface Point extends Record<ChartFigure, number> { start: string; local: string }
interface Campaign { id: string; name: string; status: string; total: number; counts: Record<string, number> }
/* campaign.progress: `sent` counts every recipient sent to (delivered and read ones too), the rest are states */
interface Progress {
	campaignId: string; status: string; total: number;
	sent: number; pending: number; queued: number; delivered: number; read: number; failed: number; skipped: number;
}

/* How long the figures wait after a message moved before they are asked
 * for again: a busy tenant's receipts make one request a second at most. */
const REFRESH_MS = 1000;

function Stat({ label, value, icon, to, testid }: { label: string; value: string | number; icon: string; to: string; testid: string }) {
	return (
		<div className="col-12 md:col-6 xl:col-3">
			<Link to={to} className="card stat no-underline h-full m-0" style={{ color: 'inherit' }}>
				<div>
					<div className="label">{label}</div>
					<div className="value" data-testid={testid}>{value}</div>
				</div>
				<div className="stat-icon"><i className={icon} aria-hidden="true" /></div>
			</Link>
		</div>
	);
}

/**
 * The last 7 days of the tenant's time zone, today last; null while asked
 * for, 'premium' without a paid plan (not asked for on the free plan, and
 * the API's 402 when a plan has lapsed since sign-in).
 */
function useWeek(paid: boolean): { week: Point[] | null | 'premium'; error: string | null } {
	const [week, setWeek] = useState<Point[] | null | 'premium'>(null);
	const [error, setError] = useState<string | null>(null);
	const timer = useRef<number | null>(null);
	const load = useCallback(() => {
		if (!paid) {
			setWeek('premium');
			return;
		}
		const from = new Date(Date.now() - 6 * 86400000).toISOString();
		get<{ points: Point[] }>(`/api/v1/reports/timeseries?bucket=day&from=${encodeURIComponent(from)}`).then((r) => {
			setWeek(r.points.slice(-7));
			setError(null);
		}, (e) => (e instanceof ApiError && e.status === 402 ? setWeek('premium') : setError(errorText(e))));
	}, [paid]);
	const soon = () => {
		if (timer.current === null) timer.current = window.setTimeout(() => { timer.current = null; load(); }, REFRESH_MS);
	};
	useEffect(() => {
		load();
		return () => { if (timer.current !== null) window.clearTimeout(timer.current); };
	}, [load]);
	useSocketEvent('/status', 'message-status', soon);
	useSocketEvent('/smartbot', 'incoming', soon);
	useResync('/status', load);
	return { week, error };
}

function Today({ week }: { week: Point[] | 'premium' | null }) {
	const { t, i18n } = useTranslation();
	if (week === 'premium') {
		return (
			<p className="muted m-0" data-testid="figures-premium">
				{t('dashboard.figuresPremium')} <Link to="/settings?tab=subscription">{t('dashboard.upgrade')}</Link>
			</p>
		);
	}
	const today = week?.[week.length - 1];
	return (
		<div className="grid">
			{CHART_FIGURES.map((k) => (
				<div key={k} className="col-6 md:col-4 xl:col">
					<div className="label muted">{t(`figures.${k}`)}</div>
					<div className="text-2xl font-semibold" data-testid={`today-${k}`}>
						{today ? today[k].toLocaleString(i18n.language) : '…'}
					</div>
				</div>
			))}
		</div>
	);
}

function WeekChart({ week }: { week: Point[] }) {
	const { t, i18n } = useTranslation();
	// a day's label from its local date, never shifted by the browser's zone
	const day = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
	const data = {
		labels: week.map((p) => day.format(new Date(p.local.slice(0, 10) + 'T12:00:00Z'))),
		datasets: CHART_FIGURES.map((k) => ({
			label: t(`figures.${k}`), data: week.map((p) => p[k]), backgroundColor: figureColour(k),
		})),
	};
	return <Chart type="bar" data={data} options={themedOptions(i18n.dir() === 'rtl')} style={{ height: '18rem' }} ariaLabel={t('dashboard.weekChart')} />;
}

function Campaigns() {
	const { t, i18n } = useTranslation();
	const [list, setList] = useState<Campaign[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const load = useCallback(() => {
		get<{ campaigns: Campaign[] }>('/api/v1/campaigns?status=running&limit=10')
			.then((r) => { setList(r.campaigns); setError(null); }, (e) => setError(errorText(e)));
	}, []);
	useEffect(load, [load]);
	useResync('/campaigns', load);
	useSocketEvent<Progress>('/campaigns', 'progress', (p) => {
		if (p.status === 'running' && !list?.some((c) => c.id === p.campaignId)) {
			load(); // one that started since
			return;
		}
		setList((l) => l?.flatMap((c) => {
			if (c.id !== p.campaignId) return [c];
			if (p.status !== 'running') return [];
			const counts = { pending: p.pending, queued: p.queued, sent: p.sent - p.delivered - p.read, delivered: p.delivered,
				read: p.read, failed: p.failed, skipped: p.skipped };
			return [{ ...c, total: p.total, counts }];
		}) ?? l);
	});
	useSocketEvent<{ campaignId: string }>('/campaigns', 'completed', (p) =>
		setList((l) => l?.filter((c) => c.id !== p.campaignId) ?? l));

	if (error) return <p className="error-text" role="alert">{error}</p>;
	if (list === null) return <p className="muted">{t('common.loading')}</p>;
	if (list.length === 0) return <p className="muted m-0">{t('dashboard.noCampaigns')}</p>;
	return (
		<ul className="list-none p-0 m-0">
			{list.map((c) => {
				const k = c.counts;
				const done = (k.sent ?? 0) + (k.delivered ?? 0) + (k.read ?? 0) + (k.failed ?? 0) + (k.skipped ?? 0);
				const pct = c.total > 0 ? Math.round((done / c.total) * 100) : 0;
				return (
					<li key={c.id} className="py-2" data-testid="running-campaign">
						<div className="flex justify-content-between mb-1">
							<Link to={`/campaigns/${c.id}`}>{c.name}</Link>
							<span className="muted text-sm" dir="ltr">
								{done.toLocaleString(i18n.language)} / {c.total.toLocaleString(i18n.language)}
							</span>
						</div>
						<ProgressBar value={pct} aria-label={t('dashboard.progressOf', { name: c.name })} style={{ height: '0.75rem' }}
							showValue={false} />
					</li>
				);
			})}
		</ul>
	);
}

export default function Dashboard() {
	const { t } = useTranslation();
	const tenant = useAuth((s) => s.tenant);
	const unread = useNotifications((s) => s.unread);
	const { list: instances, error, qr, setQr } = useLiveInstances();
	const { week, error: weekError } = useWeek(!!tenant && tenant.plan !== 'free');

	// an instance already waiting for its scan: its QR now, not at the next one
	const asked = useRef(new Set<string>());
	useEffect(() => {
		for (const i of instances ?? []) {
			if (i.status !== 'qr' || qr[i.id] || asked.current.has(i.id)) continue;
			asked.current.add(i.id);
			void get<{ qr?: string }>(`/api/v1/instances/${i.id}/state`)
				.then((s) => s.qr && setQr((q) => ({ ...q, [i.id]: s.qr! })), () => undefined);
		}
	}, [instances, qr, setQr]);
	const ready = instances?.filter((i) => i.status === 'ready').length ?? 0;

	return (
		<>
			<PageHeader title={t('menu.dashboard')} subtitle={tenant ? tenant.name : undefined} />
			{error && <p className="error-text" role="alert">{error}</p>}
			<div className="grid">
				<Stat label={t('dashboard.instances')} value={instances ? instances.length : '…'} icon="pi pi-mobile"
					to="/instances" testid="instance-count" />
				<Stat label={t('dashboard.ready')} value={instances ? ready : '…'} icon="pi pi-check-circle" to="/instances"
					testid="ready-count" />
				<Stat label={t('dashboard.unread')} value={unread} icon="pi pi-bell" to="/notifications" testid="unread-count" />
				<Stat label={t('dashboard.plan')} value={tenant ? t(`plans.${tenant.plan}`) : '…'} icon="pi pi-star"
					to="/settings?tab=subscription" testid="plan" />
			</div>
			<section className="card mt-4" aria-labelledby="dash-today">
				<h2 className="text-xl" id="dash-today">{t('dashboard.today')}</h2>
				{weekError ? <p className="error-text" role="alert">{weekError}</p> : <Today week={week} />}
			</section>
			<div className="grid mt-2">
				<div className="col-12 xl:col-7">
					<section className="card h-full m-0" aria-labelledby="dash-week">
						<h2 className="text-xl" id="dash-week">{t('dashboard.week')}</h2>
						{Array.isArray(week) ? <WeekChart week={week} />
							: <p className="muted m-0">{week === 'premium' ? t('dashboard.figuresPremium') : t('common.loading')}</p>}
					</section>
				</div>
				<div className="col-12 xl:col-5">
					<section className="card h-full m-0" aria-labelledby="dash-campaigns">
						<h2 className="text-xl" id="dash-campaigns">{t('dashboard.running')}</h2>
						<Campaigns />
					</section>
				</div>
			</div>
			<section className="card mt-2" aria-labelledby="dash-instances">
				<h2 className="text-xl" id="dash-instances">{t('dashboard.instancesTitle')}</h2>
				{instances === null && !error && <p className="muted">{t('common.loading')}</p>}
				{instances?.length === 0 && <p className="muted">{t('dashboard.noInstances')}</p>}
				{instances && instances.length > 0 && (
					<ul className="list-none p-0 m-0">
						{instances.map((i) => (
							<li key={i.id} className="py-2 border-bottom-1 surface-border" data-testid="dash-instance">
								<div className="flex align-items-center justify-content-between">
									<span><i className="pi pi-mobile me-2" aria-hidden="true" /> {i.name}
										<span className="muted text-sm"> · {i.provider}</span></span>
									<Tag value={t(`status.${i.status}`, { defaultValue: i.status })}
										severity={STATUS_SEVERITY[i.status] ?? 'info'} />
								</div>
								{i.status === 'qr' && qr[i.id] && (
									<div className="flex align-items-center gap-3 mt-2">
										<Qr text={qr[i.id]} size={160} />
										<p className="muted m-0">{t('dashboard.scan')} <Link to="/instances">{t('menu.instances')}</Link></p>
									</div>
								)}
							</li>
						))}
					</ul>
				)}
			</section>
		</>
	);
}
