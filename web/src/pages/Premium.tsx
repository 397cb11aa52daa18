/*
 * The premium pages behind the plan gate still to be built out: the last
 * week's figures and what interactive messages are for (the campaigns have
 * their own pages, pages/campaigns).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get } from '../api/client';
import PageHeader from '../components/PageHeader';
import ProtectedPage from '../components/ProtectedPage';

function useGet<T>(path: string): { data: T | null; error: string | null } {
	const [data, setData] = useState<T | null>(null);
	const [error, setError] = useState<string | null>(null);
	useEffect(() => void get<T>(path).then(setData, (e) => setError(errorText(e))), [path]);
	return { data, error };
}

const FIGURES = ['sent', 'delivered', 'read', 'failed', 'pending', 'inbound', 'uniqueContacts', 'smartbotReplies'] as const;

function Reports() {
	const { t } = useTranslation();
	const [from] = useState(() => new Date(Date.now() - 7 * 86400000).toISOString());
	const { data, error } = useGet<Record<(typeof FIGURES)[number], number>>(
		`/api/v1/reports/summary?from=${encodeURIComponent(from)}`);
	if (error) return <p className="error-text" role="alert">{error}</p>;
	return (
		<>
			<h2 className="text-lg">{t('premium.lastWeek')}</h2>
			<div className="grid">
				{FIGURES.map((k) => (
					<div key={k} className="col-6 md:col-3"><div className="card stat m-0">
						<div><div className="label">{t(`figures.${k}`)}</div>
							<div className="value">{data ? data[k].toLocaleString() : '…'}</div></div>
					</div></div>
				))}
			</div>
		</>
	);
}

function Interactive() {
	const { t } = useTranslation();
	return <div className="card"><p className="m-0">{t('premium.interactiveText')}</p></div>;
}

const PAGES = { reports: Reports, interactive: Interactive };

export default function Premium({ page }: { page: keyof typeof PAGES }) {
	const { t } = useTranslation();
	const Body = PAGES[page];
	return (
		<>
			<PageHeader title={t(`menu.${page}`)} subtitle={t(`premium.subtitle.${page}`)} badge={t('menu.new')} />
			<ProtectedPage>{() => <Body />}</ProtectedPage>
		</>
	);
}
