/*
 * SmartBot (/smartbot): the rules in the order the engine tries them (the
 * first match answers), reordered by dragging a row or with its move
 * buttons; each rule's hits and last hit, on/off, edit and delete; the
 * tenant's SmartBot settings (on/off, the handover pause after a person
 * writes, replies per chat per minute); the test console and the live
 * feed. Rules changed elsewhere (another user, the API) and new hits come
 * in over /smartbot (`rule-updated`, `reply`) and are re-read from the API.
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog, ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { InputNumber } from 'primereact/inputnumber';
import { InputSwitch } from 'primereact/inputswitch';
import { Tag } from 'primereact/tag';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, patch, post } from '../../api/client';
import PageHeader from '../../components/PageHeader';
import TimeAgo from '../../components/TimeAgo';
import { useResync, useSocketEvent } from '../../realtime';
import { useIsAdmin } from '../../stores/auth';
import { useSettings } from '../../stores/settings';
import { failed, saved } from '../../toast';
import Feed from './Feed';
import RuleEditor, { type InstanceOption } from './RuleEditor';
import { moved, replyText, takesKeywords, type Rule } from './rules';
import TestConsole from './TestConsole';

const REFRESH_MS = 1000;

function BotSettings() {
	const { t } = useTranslation();
	const admin = useIsAdmin();
	const sb = useSettings((s) => s.settings?.smartbot);
	const saveTenant = useSettings((s) => s.saveTenant);
	const save = (change: Record<string, unknown>) =>
		void saveTenant('smartbot', change).then(() => saved(t('settings.saved')), (e) => failed(t('settings.saveFailed'), e));
	if (!sb) return null;
	return (
		<section className="card bot-settings" aria-label={t('smartbot.settings')}>
			<div className="flex align-items-center gap-2">
				<InputSwitch inputId="sb-on" checked={sb.enabled} disabled={!admin} onChange={(e) => save({ enabled: !!e.value })} />
				<label htmlFor="sb-on" className="font-medium">{t(sb.enabled ? 'smartbot.on' : 'smartbot.off')}</label>
			</div>
			<div className="flex align-items-center gap-2">
				<label htmlFor="sb-handover">{t('smartbot.handover')}</label>
				<InputNumber inputId="sb-handover" value={sb.handover_minutes} min={0} max={1440} suffix={` ${t('smartbot.min')}`}
					disabled={!admin} size={6} onValueChange={(e) => e.value != null && e.value !== sb.handover_minutes
						&& save({ handover_minutes: e.value })} />
			</div>
			<div className="flex align-items-center gap-2">
				<label htmlFor="sb-rate">{t('smartbot.perMinute')}</label>
				<InputNumber inputId="sb-rate" value={sb.chat_replies_per_minute} min={1} max={60} disabled={!admin} size={4}
					onValueChange={(e) => e.value != null && e.value !== sb.chat_replies_per_minute
						&& save({ chat_replies_per_minute: e.value })} />
			</div>
			{!admin && <small className="muted">{t('settings.adminsOnly')}</small>}
		</section>
	);
}

export default function SmartBot() {
	const { t } = useTranslation();
	const [rules, setRules] = useState<Rule[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [instances, setInstances] = useState<InstanceOption[]>([]);
	const [editing, setEditing] = useState<Rule | null | undefined>(undefined);
	const timer = useRef<number | null>(null);
	const load = useCallback(() => {
		get<{ rules: Rule[] }>('/api/v1/smartbot/rules').then((r) => { setRules(r.rules); setError(null); },
			(e) => setError(errorText(e)));
	}, []);
	useEffect(() => {
		load();
		get<{ instances: InstanceOption[] }>('/api/v1/instances').then((r) => setInstances(r.instances), () => setInstances([]));
		return () => { if (timer.current !== null) window.clearTimeout(timer.current); };
	}, [load]);
	const soon = () => {
		if (timer.current === null) timer.current = window.setTimeout(() => { timer.current = null; load(); }, REFRESH_MS);
	};
	useSocketEvent('/smartbot', 'rule-updated', soon);
	useSocketEvent('/smartbot', 'reply', soon);
	useResync('/smartbot', load);

	const act = (p: Promise<unknown>, done: string) => void p.then(() => { saved(done); load(); },
		(e) => { failed(t('smartbot.saveFailed'), e); load(); });
	const reorder = (next: Rule[]) => {
		if (!rules || next === rules) return;
		setRules(next.map((r, i) => ({ ...r, priority: i + 1 })));
		act(post('/api/v1/smartbot/rules/reorder', { ruleIds: next.map((r) => r.id) }), t('smartbot.reordered'));
	};
	const remove = (r: Rule) => confirmDialog({
		header: t('smartbot.deleteTitle'), message: t('smartbot.deleteText', { name: r.name }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('notifications.delete'), rejectLabel: t('common.cancel'),
		accept: () => act(del(`/api/v1/smartbot/rules/${r.id}`), t('smartbot.deleted')),
	});
	const what = (r: Rule) => {
		if (r.match === 'regex') return <code dir="ltr">{r.pattern}</code>;
		if (!takesKeywords(r.match)) return <span className="muted">{t('smartbot.anyText')}</span>;
		return <span className="flex flex-wrap gap-1">{r.keywords.map((k) => <Tag key={k} value={k} severity="info" className="keyword" />)}</span>;
	};
	const count = rules?.length ?? 0;

	return (
		<>
			<PageHeader title={t('menu.smartbot')} subtitle={t('smartbot.subtitle')}
				actions={<Button label={t('smartbot.add')} icon="pi pi-plus" onClick={() => setEditing(null)} />} />
			<BotSettings />
			<div className="grid">
				<div className="col-12">
					<section className="card" aria-labelledby="sb-rules-title">
						<h2 id="sb-rules-title" className="text-lg mt-0">{t('smartbot.rules')}</h2>
						<p className="muted text-sm mt-0">{t('smartbot.orderHelp')}</p>
						{error && <p className="error-text" role="alert">{error}</p>}
						<DataTable value={rules ?? []} loading={rules === null && !error} dataKey="id" size="small" reorderableRows
							onRowReorder={(e) => reorder(e.value as Rule[])} aria-label={t('smartbot.rules')} data-testid="rules"
							rowClassName={(r: Rule) => (r.enabled ? '' : 'rule-off')}
							emptyMessage={<div className="text-center p-3" data-testid="no-rules">
								<p className="mt-0">{t('smartbot.none')}</p>
								<Button label={t('smartbot.addFirst')} icon="pi pi-plus" outlined onClick={() => setEditing(null)} />
							</div>}>
							<Column rowReorder style={{ width: '2.5rem' }} header={<span className="visually-hidden">{t('smartbot.drag')}</span>} />
							<Column field="priority" header="#" style={{ width: '3rem' }} />
							<Column header={t('smartbot.name')} body={(r: Rule) => (
								<div>
									<div className="font-medium" dir="auto" data-testid="rule-name">{r.name}</div>
									<div className="muted text-sm" dir="auto">{replyText(r.replies[0])}</div>
									{r.error && <small className="error-text">{r.error}</small>}
								</div>)} />
							<Column header={t('smartbot.match')} body={(r: Rule) => (
								<div className="flex flex-column gap-1">
									<span>{t(`smartbot.matches.${r.match}`)}</span>
									{what(r)}
								</div>)} />
							<Column header={t('smartbot.hits')} body={(r: Rule) => (
								<div>
									<span data-testid="rule-hits">{r.hits}</span>
									{r.lastHitAt && <div className="muted text-sm"><TimeAgo iso={r.lastHitAt} /></div>}
								</div>)} />
							<Column header={t('smartbot.enabled')} body={(r: Rule) => (<>
								<InputSwitch checked={r.enabled} inputId={`sb-rule-on-${r.id}`}
									onChange={(e) => act(patch(`/api/v1/smartbot/rules/${r.id}`, { enabled: !!e.value }), t('smartbot.updated'))} />
								<label htmlFor={`sb-rule-on-${r.id}`} className="visually-hidden">{t('smartbot.enabledOf', { name: r.name })}</label>
							</>)} />
							<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(r: Rule, o) => (
								<div className="flex gap-1">
									<Button icon="pi pi-arrow-up" text size="small" aria-label={t('smartbot.moveUp', { name: r.name })}
										disabled={o.rowIndex === 0} onClick={() => rules && reorder(moved(rules, o.rowIndex, o.rowIndex - 1))} />
									<Button icon="pi pi-arrow-down" text size="small" aria-label={t('smartbot.moveDown', { name: r.name })}
										disabled={o.rowIndex === count - 1} onClick={() => rules && reorder(moved(rules, o.rowIndex, o.rowIndex + 1))} />
									<Button icon="pi pi-pencil" text size="small" aria-label={t('smartbot.editNamed', { name: r.name })}
										onClick={() => setEditing(r)} />
									<Button icon="pi pi-trash" text size="small" severity="danger" aria-label={t('smartbot.deleteNamed', { name: r.name })}
										onClick={() => remove(r)} />
								</div>)} />
						</DataTable>
					</section>
				</div>
				<div className="col-12 lg:col-5">
					<TestConsole instances={instances} />
				</div>
				<div className="col-12 lg:col-7">
					<Feed instances={instances} />
				</div>
			</div>
			<RuleEditor rule={editing} instances={instances} onHide={() => setEditing(undefined)}
				onSaved={() => { setEditing(undefined); load(); }} />
			<ConfirmDialog />
		</>
	);
}
