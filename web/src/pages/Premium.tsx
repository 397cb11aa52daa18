/*
 * The premium pages behind the plan gate. Once unlocked each shows what
 * the API gives a paying tenant: the campaigns, the last week's figures,
 * and what interactive messages are for; the operational pages (wizard,
 * charts, composer) are built on these routes.
 */
import { Column } from 'primereact/column';
import { DataTable } from 'primereact/datatable';
import { Tag } from 'primereact/tag';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get } from '../api/client';
import PageHeader from '../components/PageHeader';
import ProtectedPage from '../components/ProtectedPage';

interface Campaign { id: string; name: string; status: string; createdAt: string; [k: string]: unknown }

function useGet<T>(path: string): { data: T | null; error: string | null } {
	const [data, setData] = useState<T | null>(null);
	const [error, setError] = useState<string | null>(null);
	useEffect(() => void get<T>(path).then(setData, (e) => setError(errorText(e))), [path]);
	return { data, error };
}

function Campaigns() {
	const { t } = useTranslation();
	const { data, error } = useGet<{ campaigns: Campaign[] }>('/api/v1/campaigns?limit=50');
	if (error) return <p className="error-text" role="alert">{error}</p>;
	return (
		<DataTable value={data?.campaigns ?? []} loading={!data} dataKey="id" emptyMessage={t('premium.noCampaigns')} size="small"
			aria-label={t('menu.campaigns')}>
			<Column field="name" header={t('auth.name')} />
			<Column header={t('premium.status')} body={(c: Campaign) => <Tag value={c.status} />} />
			<Column header={t('keys.created')} body={(c: Campaign) => new Date(c.createdAt).toLocaleString()} />
		</DataTable>
	);
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

const PAGES = { campaigns: Campaigns, reports: Reports, interactive: Interactive };

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
