/*
 * /reports: the figures of a range of the tenant's days, for every message
 * or one instance's or one campaign's — the summary, a chart over hours or
 * days of the tenant's time zone, the same points as a table, and the
 * points as CSV from the API. The filters live in the address, so a report
 * can be shared; a range that reaches today follows new messages live.
 */
import { Button } from 'primereact/button';
import { Calendar } from 'primereact/calendar';
import { Chart } from 'primereact/chart';
import { Column } from 'primereact/column';
import { DataTable } from 'primereact/datatable';
import { Dropdown } from 'primereact/dropdown';
import { SelectButton } from 'primereact/selectbutton';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorText, get } from '../../api/client';
import type { Instance } from '../../api/types';
import { CHART_FIGURES, figureColour, themedOptions } from '../../charts';
import { useResync, useSocketEvent } from '../../realtime';
import { useSettings } from '../../stores/settings';
import { failed } from '../../toast';
import {
	addDays, dayIn, days, defaultBucket, figureText, fromDate, iso, MAX_DAYS, MAX_HOUR_DAYS, pointLabel, PRESETS, presetRange,
	reportQuery, SUMMARY, toDate, type Bucket, type Day, type Figures, type Preset, type Range, type Timeseries,
} from './model';

/* How long the figures wait after a message moved before they are asked for again. */
const REFRESH_MS = 1000;
const HOUR_ROWS = 24;

const parseDay = (s: string | null): Day | null => {
	const m = s?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
	return m ? { y: +m[1], m: +m[2], d: +m[3] } : null;
};

/** The filters, from the address (a preset by default: the last 7 days). */
function useFilters(tz: string) {
	const [params, setParams] = useSearchParams();
	const preset = (PRESETS as string[]).includes(params.get('range') ?? '') ? params.get('range') as Preset : '7d';
	const from = params.get('from');
	const to = params.get('to');
	const range: Range = useMemo(() => {
		const custom = { from: parseDay(from), to: parseDay(to) };
		return preset === 'custom' && custom.from && custom.to ? { from: custom.from, to: custom.to }
			: presetRange(preset === 'custom' ? '7d' : preset, Date.now(), tz);
	}, [preset, from, to, tz]);
	const asked = params.get('bucket');
	const bucket: Bucket = asked === 'day' || (asked === 'hour' && days(range) <= MAX_HOUR_DAYS) ? asked : defaultBucket(range);
	const set = (changes: Record<string, string | null>) => setParams((p) => {
		const n = new URLSearchParams(p);
		for (const [k, v] of Object.entries(changes)) {
			if (v) n.set(k, v);
			else n.delete(k);
		}
		return n;
	}, { replace: true });
	return {
		preset, range, bucket, set,
		instanceId: params.get('instanceId'), campaignId: params.get('campaignId'),
	};
}

/** Instances and campaigns to filter by. */
function useChoices() {
	const [instances, setInstances] = useState<Instance[]>([]);
	const [campaigns, setCampaigns] = useState<{ id: string; name: string }[]>([]);
	useEffect(() => {
		void get<{ instances: Instance[] }>('/api/v1/instances').then((r) => setInstances(r.instances), () => undefined);
		void get<{ campaigns: { id: string; name: string }[] }>('/api/v1/campaigns?limit=100')
			.then((r) => setCampaigns(r.campaigns), () => undefined);
	}, []);
	return { instances, campaigns };
}

function Summary({ figures }: { figures: Figures | null }) {
	const { t, i18n } = useTranslation();
	return (
		<div className="grid" data-testid="report-summary">
			{SUMMARY.map((k) => (
				<div key={k} className="col-6 md:col-4 xl:col-2">
					<div className="card stat m-0 h-full">
						<div>
							<div className="label">{t(`figures.${k}`)}</div>
							<div className="value text-2xl" data-testid={`summary-${k}`}>
								{figures ? figureText(k, figures[k], i18n.language) : '…'}
							</div>
						</div>
					</div>
				</div>
			))}
		</div>
	);
}

function OverTime({ series }: { series: Timeseries }) {
	const { t, i18n } = useTranslation();
	const labels = series.points.map((p) => pointLabel(p, series.bucket, i18n.language));
	const data = {
		labels,
		datasets: CHART_FIGURES.map((k) => ({
			label: t(`figures.${k}`), data: series.points.map((p) => p[k]), borderColor: figureColour(k),
			backgroundColor: figureColour(k), tension: 0.25, pointRadius: series.points.length > 60 ? 0 : 3,
		})),
	};
	return (
		<Chart type="line" data={data} options={themedOptions(i18n.dir() === 'rtl')} style={{ height: '20rem' }}
			ariaLabel={t('reports.chart', { zone: series.timeZone })} />
	);
}

export default function Reports() {
	const { t, i18n } = useTranslation();
	const tz = useSettings((s) => s.settings?.general.time_zone) ?? 'UTC';
	const f = useFilters(tz);
	const { instances, campaigns } = useChoices();
	const [summary, setSummary] = useState<Figures | null>(null);
	const [series, setSeries] = useState<Timeseries | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [exporting, setExporting] = useState(false);
	const timer = useRef<number | null>(null);

	const { range, instanceId, campaignId } = f;
	/* asked for afresh each time: a range that ends today ends now */
	const query = useCallback((bucket?: Bucket) => reportQuery(range, tz, Date.now(), { instanceId, campaignId }, bucket),
		[range, tz, instanceId, campaignId]);
	const load = useCallback(() => {
		Promise.all([
			get<Figures>(`/api/v1/reports/summary?${query()}`),
			get<Timeseries>(`/api/v1/reports/timeseries?${query(f.bucket)}`),
		]).then(([s, ts]) => {
			setSummary(s);
			setSeries(ts);
			setError(null);
		}, (e) => setError(errorText(e)));
	}, [query, f.bucket]);
	useEffect(() => {
		setSummary(null);
		setSeries(null);
		load();
		return () => { if (timer.current !== null) window.clearTimeout(timer.current); };
	}, [load]);

	/* a range that reaches today follows what happens now */
	const live = iso(f.range.to) >= iso(dayIn(Date.now(), tz));
	const soon = () => {
		if (live && timer.current === null) timer.current = window.setTimeout(() => { timer.current = null; load(); }, REFRESH_MS);
	};
	useSocketEvent('/status', 'message-status', soon);
	useSocketEvent('/smartbot', 'incoming', soon);
	useResync('/status', load);

	const exportCsv = async () => {
		setExporting(true);
		try {
			const csv = await get<string>(`/api/v1/reports/timeseries?${query(f.bucket)}`, { headers: { Accept: 'text/csv' } });
			const a = document.createElement('a');
			a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
			a.download = `waqtor-report-${iso(f.range.from)}-${iso(f.range.to)}-${f.bucket}.csv`;
			a.click();
			setTimeout(() => URL.revokeObjectURL(a.href), 1000);
		} catch (e) {
			failed(t('reports.exportFailed'), e);
		} finally {
			setExporting(false);
		}
	};

	const presets = PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }));
	const buckets = (['hour', 'day'] as const).map((b) => ({
		value: b, label: t(`reports.bucket.${b}`), disabled: b === 'hour' && days(f.range) > MAX_HOUR_DAYS,
	}));
	const todayDay = dayIn(Date.now(), tz);
	const today = toDate(todayDay);
	const rows = useMemo(() => series?.points.map((p) => ({ ...p, label: pointLabel(p, series.bucket, i18n.language) })) ?? [],
		[series, i18n.language]);

	return (
		<>
			<section className="card" aria-label={t('reports.filters')}>
				<div className="flex flex-wrap gap-3 align-items-end">
					<div className="flex flex-column gap-1">
						<span id="rp-range" className="text-sm">{t('reports.range')}</span>
						<SelectButton value={f.preset} options={presets} aria-labelledby="rp-range" data-testid="report-presets"
							onChange={(e) => e.value && f.set(e.value === 'custom'
								? { range: 'custom', from: iso(f.range.from), to: iso(f.range.to), bucket: null }
								: { range: e.value, from: null, to: null, bucket: null })} />
					</div>
					{f.preset === 'custom' && (
						<div className="flex flex-column gap-1">
							<label htmlFor="rp-dates" className="text-sm">{t('reports.dates')}</label>
							<Calendar inputId="rp-dates" selectionMode="range" readOnlyInput maxDate={today} dateFormat="yy-mm-dd"
								value={[toDate(f.range.from), toDate(f.range.to)]}
								minDate={toDate(addDays(todayDay, 1 - MAX_DAYS))}
								onChange={(e) => {
									const [a, b] = (e.value ?? []) as (Date | null)[];
									if (a && b) f.set({ from: iso(fromDate(a)), to: iso(fromDate(b)), bucket: null }); // else the second click is to come
								}} />
						</div>
					)}
					<div className="flex flex-column gap-1">
						<label htmlFor="rp-instance" className="text-sm">{t('reports.instance')}</label>
						<Dropdown inputId="rp-instance" value={f.instanceId} showClear placeholder={t('reports.allInstances')}
							options={instances.map((i) => ({ value: i.id, label: i.name }))}
							onChange={(e) => f.set({ instanceId: e.value ?? null })} />
					</div>
					<div className="flex flex-column gap-1">
						<label htmlFor="rp-campaign" className="text-sm">{t('reports.campaign')}</label>
						<Dropdown inputId="rp-campaign" value={f.campaignId} showClear filter placeholder={t('reports.allCampaigns')}
							options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
							onChange={(e) => f.set({ campaignId: e.value ?? null })} />
					</div>
					<div className="flex flex-column gap-1">
						<span id="rp-bucket" className="text-sm">{t('reports.per')}</span>
						<SelectButton value={f.bucket} options={buckets} optionDisabled="disabled" aria-labelledby="rp-bucket"
							onChange={(e) => e.value && f.set({ bucket: e.value })} data-testid="report-bucket" />
					</div>
				</div>
				<div className="flex flex-wrap gap-2 align-items-center justify-content-between mt-3">
					<p className="muted text-sm m-0" data-testid="report-zone">
						{t('reports.zone', { zone: series?.timeZone ?? tz })}
						{live && <> · <i className="pi pi-circle-fill text-xs" aria-hidden="true" /> {t('reports.live')}</>}
					</p>
					<Button label={t('reports.export')} icon="pi pi-download" outlined size="small" loading={exporting}
						onClick={() => void exportCsv()} data-testid="report-export" />
				</div>
			</section>
			{error && <p className="error-text" role="alert">{error}</p>}
			<Summary figures={summary} />
			<section className="card mt-2" aria-labelledby="rp-chart">
				<h2 className="text-xl" id="rp-chart">{t('reports.overTime')}</h2>
				{series ? <OverTime series={series} /> : <p className="muted">{t('common.loading')}</p>}
			</section>
			<section className="card mt-2" aria-labelledby="rp-table">
				<h2 className="text-xl" id="rp-table">{t(`reports.table.${f.bucket}`)}</h2>
				<DataTable value={rows} loading={series === null} dataKey="start" size="small" aria-labelledby="rp-table"
					paginator={rows.length > HOUR_ROWS} rows={HOUR_ROWS} emptyMessage={t('reports.empty')} data-testid="report-table">
					<Column field="label" header={t(`reports.bucket.${f.bucket}`)} />
					{CHART_FIGURES.map((k) => (
						<Column key={k} field={k} header={t(`figures.${k}`)} align={i18n.dir() === 'rtl' ? 'left' : 'right'}
							body={(p: Figures) => figureText(k, p[k], i18n.language)} />
					))}
				</DataTable>
			</section>
		</>
	);
}
