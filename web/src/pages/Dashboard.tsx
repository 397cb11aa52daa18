/*
 * The dashboard's first view: the tenant's instances and their states,
 * unread notifications and the plan. (Today's figures, QR pairing and
 * charts come with the operational pages.)
 */
import { Tag } from 'primereact/tag';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorText, get } from '../api/client';
import type { Instance } from '../api/types';
import PageHeader from '../components/PageHeader';
import { useAuth } from '../stores/auth';
import { useNotifications } from '../stores/notifications';

export const STATUS_SEVERITY: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
	ready: 'success', connecting: 'info', qr: 'warning', pairing: 'warning', disconnected: 'danger',
	auth_failure: 'danger', stopped: 'danger',
};

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

export default function Dashboard() {
	const { t } = useTranslation();
	const tenant = useAuth((s) => s.tenant);
	const unread = useNotifications((s) => s.unread);
	const [instances, setInstances] = useState<Instance[] | null>(null);
	const [error, setError] = useState<string | null>(null);

	useEffect(() => {
		get<{ instances: Instance[] }>('/api/v1/instances').then((r) => setInstances(r.instances), (e) => setError(errorText(e)));
	}, []);
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
			<div className="card mt-4">
				<h2 className="text-xl">{t('dashboard.instancesTitle')}</h2>
				{instances === null && !error && <p className="muted">{t('common.loading')}</p>}
				{instances?.length === 0 && <p className="muted">{t('dashboard.noInstances')}</p>}
				{instances && instances.length > 0 && (
					<ul className="list-none p-0 m-0">
						{instances.map((i) => (
							<li key={i.id} className="flex align-items-center justify-content-between py-2 border-bottom-1 surface-border">
								<span><i className="pi pi-mobile me-2" aria-hidden="true" /> {i.name}
									<span className="muted text-sm"> · {i.provider}</span></span>
								<Tag value={t(`status.${i.status}`, { defaultValue: i.status })}
									severity={STATUS_SEVERITY[i.status] ?? 'info'} />
							</li>
						))}
					</ul>
				)}
			</div>
		</>
	);
}
