import { Badge } from 'primereact/badge';
import { Button } from 'primereact/button';
import { Section } from './UiKit';

const SEVERITIES = [undefined, 'secondary', 'success', 'info', 'warning', 'danger', 'contrast'] as const;

export default function BadgeDemo() {
	return (
		<>
			<Section title="Severities">
				<div className="flex flex-wrap gap-2">{SEVERITIES.map((s) => <Badge key={s ?? 'p'} value={s ?? 'primary'} severity={s} />)}</div>
			</Section>
			<Section title="Overlay and sizes">
				<div className="flex flex-wrap gap-5 align-items-center">
					<i className="pi pi-bell p-overlay-badge" style={{ fontSize: '2rem' }} aria-label="3 notifications" role="img">
						<Badge value="3" severity="danger" /></i>
					<i className="pi pi-envelope p-overlay-badge" style={{ fontSize: '2rem' }} aria-label="New mail" role="img">
						<Badge severity="info" /></i>
					<Button type="button" label="Messages" icon="pi pi-comments" badge="8" badgeClassName="p-badge-danger" />
					<Badge value="2" size="large" severity="warning" />
					<Badge value="4" size="xlarge" severity="success" />
				</div>
			</Section>
		</>
	);
}
