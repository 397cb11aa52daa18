/*
 * The report page's arithmetic: the days of the tenant's time zone as UTC
 * instants (the API's range), the presets, the bucket a range is drawn in,
 * and how a point's local time and the figures read.
 */

/** The summary's cards, in order; the rates and times are written as such. */
export const SUMMARY = ['sent', 'delivered', 'read', 'failed', 'pending', 'inbound', 'uniqueContacts', 'replied',
	'replyRate', 'smartbotReplies', 'avgDeliveredMs', 'avgReadMs'] as const;
export type SummaryKey = (typeof SUMMARY)[number];
export type Figures = Record<SummaryKey, number | null>;
export interface Point extends Figures { start: string; local: string }
export interface Timeseries { bucket: Bucket; timeZone: string; from: string; to: string; points: Point[] }
export type Bucket = 'hour' | 'day';
export type Preset = 'today' | '7d' | '30d' | '90d' | 'custom';
export const PRESETS: Preset[] = ['today', '7d', '30d', '90d', 'custom'];
const PRESET_DAYS: Record<Exclude<Preset, 'custom'>, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90 };
/** The API's limits: hours over at most 31 days, any range at most 400. */
export const MAX_HOUR_DAYS = 31;
export const MAX_DAYS = 400;

/** A calendar day, without a zone. */
export interface Day { y: number; m: number; d: number } // m is 1-12

const parts = (tz: string) => new Intl.DateTimeFormat('en-US', {
	timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
	hour: 'numeric', minute: 'numeric', second: 'numeric',
});

/** The wall time of `ms` in `tz`, as if it were UTC (ms). */
function wall(ms: number, tz: string): number {
	const p: Record<string, number> = {};
	for (const x of parts(tz).formatToParts(new Date(ms))) if (x.type !== 'literal') p[x.type] = Number(x.value);
	return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The day `ms` falls on in `tz`. */
export function dayIn(ms: number, tz: string): Day {
	const w = new Date(wall(ms, tz));
	return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

/** `n` days after `day` (n may be negative). */
export function addDays(day: Day, n: number): Day {
	const w = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
	return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

/**
 * The instant `day` starts in `tz` (its first moment: where midnight is
 * skipped by daylight saving time, the hour after).
 */
export function startOf(day: Day, tz: string): number {
	const target = Date.UTC(day.y, day.m - 1, day.d);
	let ms = target;
	for (let i = 0; i < 3; i++) ms = target - (wall(ms, tz) - ms); // offset at the guess, twice for a DST edge
	// a skipped midnight: the wall time lands after it; an early guess lands on the day before
	return wall(ms, tz) < target ? ms + 3600000 : ms;
}

export interface Range { from: Day; to: Day } // both days included

/** The days a preset covers, ending today in `tz`. */
export function presetRange(p: Exclude<Preset, 'custom'>, now: number, tz: string): Range {
	const to = dayIn(now, tz);
	return { from: addDays(to, 1 - PRESET_DAYS[p]), to };
}

/** How many days a range covers. */
export function days(r: Range): number {
	return Math.round((Date.UTC(r.to.y, r.to.m - 1, r.to.d) - Date.UTC(r.from.y, r.from.m - 1, r.from.d)) / 86400000) + 1;
}

/** Hours for a range of up to two days, else days. */
export const defaultBucket = (r: Range): Bucket => (days(r) <= 2 ? 'hour' : 'day');

/** The API's query for a range of `tz`'s days (to: the next day's start, or now if sooner). */
export function reportQuery(r: Range, tz: string, now: number, filters: { instanceId?: string | null; campaignId?: string | null },
	bucket?: Bucket): string {
	const q = new URLSearchParams();
	if (bucket) q.set('bucket', bucket);
	q.set('from', new Date(startOf(r.from, tz)).toISOString());
	q.set('to', new Date(Math.min(now, startOf(addDays(r.to, 1), tz))).toISOString());
	if (filters.instanceId) q.set('instanceId', filters.instanceId);
	if (filters.campaignId) q.set('campaignId', filters.campaignId);
	return q.toString();
}

/** A date picker's day (its own zone's calendar) as a day. */
export const fromDate = (d: Date): Day => ({ y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() });
/** A day as a date picker's date. */
export const toDate = (d: Day): Date => new Date(d.y, d.m - 1, d.d);
/** `2026-12-04` */
export const iso = (d: Day) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;

/**
 * A point's label in the tenant's time zone: its `local` wall time read as
 * UTC, so that the browser's own zone never moves it.
 */
export function pointLabel(p: Pick<Point, 'local'>, bucket: Bucket, lang: string): string {
	const at = new Date(p.local.slice(0, 19) + 'Z');
	const f = bucket === 'day'
		? { weekday: 'short', day: 'numeric', month: 'short' } as const
		: { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
	return new Intl.DateTimeFormat(lang, { ...f, timeZone: 'UTC' }).format(at);
}

/** A summary figure as people read it: counts, a percentage, seconds. */
export function figureText(k: SummaryKey, v: number | null, lang: string): string {
	if (v === null) return '—';
	if (k === 'replyRate') return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(v);
	if (k === 'avgDeliveredMs' || k === 'avgReadMs') {
		return new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 })
			.format(v / 1000);
	}
	return v.toLocaleString(lang);
}
