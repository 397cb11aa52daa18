/* "5 minutes ago", in the page's language, refreshed each minute. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
	['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity],
];

export function timeAgo(iso: string, lang: string, now = Date.now()): string {
	let v = (Date.parse(iso) - now) / 1000;
	const f = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
	for (const [unit, n] of STEPS) {
		if (Math.abs(v) < n) return f.format(Math.round(v), unit);
		v /= n;
	}
	return f.format(Math.round(v), 'year');
}

export default function TimeAgo({ iso }: { iso: string }) {
	const { i18n } = useTranslation();
	const [, tick] = useState(0);
	useEffect(() => {
		const id = setInterval(() => tick((n) => n + 1), 60000);
		return () => clearInterval(id);
	}, []);
	return <time dateTime={iso} title={new Date(iso).toLocaleString(i18n.language)}>{timeAgo(iso, i18n.language)}</time>;
}
