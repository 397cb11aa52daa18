import { Tag } from 'primereact/tag';
import { Section } from './UiKit';

const SEVERITIES = [undefined, 'secondary', 'success', 'info', 'warning', 'danger', 'contrast'] as const;

export default function TagDemo() {
	return (
		<>
			<Section title="Severities">
				<div className="flex flex-wrap gap-2">{SEVERITIES.map((s) => <Tag key={s ?? 'p'} value={s ?? 'primary'} severity={s} />)}</div>
			</Section>
			<Section title="Pill and icon">
				<div className="flex flex-wrap gap-2">
					<Tag value="New" rounded severity="success" />
					<Tag value="Read" icon="pi pi-check" severity="success" />
					<Tag value="Delivered" icon="pi pi-check-circle" severity="info" />
					<Tag value="Pending" icon="pi pi-clock" severity="warning" />
					<Tag value="Failed" icon="pi pi-times" severity="danger" />
				</div>
			</Section>
		</>
	);
}
