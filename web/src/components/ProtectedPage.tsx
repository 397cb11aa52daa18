/*
 * The seed's ProtectedPage: a premium page is blocked (BlockUI) for a
 * tenant without an active plan, with the OtpDialog to redeem an access
 * code. What the page shows comes from the API, whose 402 is what decides;
 * this only saves a tenant the trip.
 */
import { BlockUI } from 'primereact/blockui';
import { Button } from 'primereact/button';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { Subscription } from '../api/types';
import { useAuth } from '../stores/auth';
import OtpDialog from './OtpDialog';

export function isActive(s: Subscription | null): boolean {
	return !!s && s.status === 'active';
}

export default function ProtectedPage({ children }: { children: (s: Subscription) => ReactNode }) {
	const { t } = useTranslation();
	const tenant = useAuth((s) => s.tenant);
	const owner = useAuth((s) => s.user?.role === 'owner');
	const setTenant = useAuth((s) => s.setTenant);
	const [sub, setSub] = useState<Subscription | null>(null);
	const [dialog, setDialog] = useState(false);

	useEffect(() => {
		void get<Subscription>('/api/v1/subscription').then(setSub, () => setSub(null));
	}, []);

	const unlocked = isActive(sub);
	const template = (
		<div className="block-ui-template" data-testid="premium-gate">
			<i className="pi pi-lock" style={{ fontSize: '3rem' }} aria-hidden="true" />
			<h2>{t('premium.title')}</h2>
			<p className="m-0">{sub?.status === 'expired' ? t('premium.expired') : t('premium.subscribe')}</p>
			{owner ? (
				<Button label={t('premium.enterCode')} icon="pi pi-key" onClick={() => setDialog(true)}
					data-testid="premium-unlock" />
			) : <p className="m-0">{t('premium.askOwner')}</p>}
		</div>
	);
	return (
		<>
			<BlockUI blocked={sub !== null && !unlocked} template={template}>
				<div style={{ minHeight: '20rem' }} aria-hidden={sub !== null && !unlocked ? true : undefined}>
					{unlocked && sub ? children(sub) : null}
				</div>
			</BlockUI>
			<OtpDialog visible={dialog} onHide={() => setDialog(false)} onVerify={(s) => {
				setSub(s);
				setDialog(false);
				if (tenant) setTenant({ ...tenant, plan: s.plan });
			}} />
		</>
	);
}
