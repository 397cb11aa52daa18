/* The seed's WebSocketStatus: a wifi icon with the latency, or Offline. */
import { useTranslation } from 'react-i18next';
import { useRealtimeState } from '../realtime';

export default function WebSocketStatus() {
	const { t } = useTranslation();
	const s = useRealtimeState();
	const online = s.state === 'online';
	const text = online ? (s.latency !== null ? t('realtime.latency', { ms: s.latency }) : t('realtime.online'))
		: s.state === 'connecting' ? t('realtime.connecting') : t('realtime.offline');
	return (
		<span className={`topbar-status ${online ? 'online' : 'offline'}`} role="status" aria-live="polite"
			title={t('realtime.title')} data-testid="ws-status" data-state={s.state}>
			<i className={online ? 'pi pi-wifi' : 'pi pi-exclamation-circle'} aria-hidden="true" />
			<span className="label">{text}</span>
		</span>
	);
}
