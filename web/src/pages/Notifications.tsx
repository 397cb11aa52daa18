/*
 * The notification center: all or unread, pages by cursor, mark read,
 * mark all, delete; new ones appear at the top as they arrive.
 */
import { Button } from 'primereact/button';
import { SelectButton } from 'primereact/selectbutton';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client';
import type { Notification } from '../api/types';
import NotificationItem from '../components/NotificationItem';
import PageHeader from '../components/PageHeader';
import { useNotifications, type Filter } from '../stores/notifications';
import { failed } from '../toast';

const PAGE = 20;

export default function Notifications() {
	const { t } = useTranslation();
	const { page, markRead, markAllRead, remove, unread, last } = useNotifications();
	const [filter, setFilter] = useState<Filter>('all');
	const [items, setItems] = useState<Notification[]>([]);
	const [cursor, setCursor] = useState<string | null>(null);
	const [loading, setLoading] = useState(true);
	const [error, setError] = useState<string | null>(null);

	const load = useCallback((f: Filter, c: string | null) => {
		setLoading(true);
		setError(null);
		page(f, c, PAGE).then((p) => {
			setItems((old) => (c ? [...old, ...p.notifications] : p.notifications));
			setCursor(p.nextCursor);
		}, (e) => setError(errorText(e))).finally(() => setLoading(false));
	}, [page]);
	useEffect(() => load(filter, null), [filter, load]);
	useEffect(() => {
		if (last) setItems((old) => (old.some((x) => x.id === last.id) ? old : [last, ...old]));
	}, [last]);

	const act = (f: () => Promise<void>) => void f().catch((e) => failed(t('notifications.failed'), e));
	const read = (id: string) => act(async () => {
		await markRead(id);
		setItems((old) => (filter === 'unread' ? old.filter((x) => x.id !== id)
			: old.map((x) => (x.id === id ? { ...x, read: true } : x))));
	});
	const drop = (id: string) => act(async () => {
		await remove(id);
		setItems((old) => old.filter((x) => x.id !== id));
	});
	const all = () => act(async () => {
		await markAllRead();
		setItems((old) => (filter === 'unread' ? [] : old.map((x) => ({ ...x, read: true }))));
	});

	return (
		<>
			<PageHeader title={t('notifications.title')} subtitle={t('notifications.unreadCount', { count: unread })}
				actions={<Button label={t('notifications.markAll')} icon="pi pi-check-square" disabled={unread === 0} onClick={all} />} />
			<div className="card">
				<SelectButton value={filter} onChange={(e) => e.value && setFilter(e.value)} className="mb-3"
					aria-label={t('notifications.filter')}
					options={[{ label: t('notifications.all'), value: 'all' }, { label: t('notifications.unreadOnly'), value: 'unread' }]} />
				{error && <p className="error-text" role="alert">{error}</p>}
				{!loading && !error && items.length === 0 && (
					<div className="text-center py-5 muted"><i className="pi pi-inbox text-4xl" aria-hidden="true" />
						<p>{filter === 'unread' ? t('notifications.noneUnread') : t('notifications.empty')}</p></div>
				)}
				<ul className="notif-list" style={{ maxHeight: 'none' }} aria-busy={loading} data-testid="notification-list">
					{items.map((n) => <NotificationItem key={n.id} n={n} onRead={read} onDelete={drop} />)}
				</ul>
				{loading && <p className="muted">{t('common.loading')}</p>}
				{cursor && !loading && <Button label={t('common.more')} text className="mt-2" onClick={() => load(filter, cursor)} />}
			</div>
		</>
	);
}
