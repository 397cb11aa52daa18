import { Button } from 'primereact/button';
import { SplitButton } from 'primereact/splitbutton';
import { useState } from 'react';
import { Section } from './UiKit';

const SEVERITIES = [undefined, 'secondary', 'success', 'info', 'warning', 'danger', 'help'] as const;

export default function ButtonDemo() {
	const [loading, setLoading] = useState(false);
	const load = () => {
		setLoading(true);
		setTimeout(() => setLoading(false), 1500);
	};
	return (
		<>
			<Section title="Severities">
				<div className="flex flex-wrap gap-2">
					{SEVERITIES.map((s) => <Button key={s ?? 'primary'} label={s ?? 'primary'} severity={s} />)}
				</div>
			</Section>
			<Section title="Outlined, text, rounded, raised">
				<div className="flex flex-wrap gap-2 mb-3">
					{SEVERITIES.map((s) => <Button key={s ?? 'p'} label={s ?? 'primary'} severity={s} outlined />)}
				</div>
				<div className="flex flex-wrap gap-2 mb-3">
					{SEVERITIES.map((s) => <Button key={s ?? 'p'} label={s ?? 'primary'} severity={s} text />)}
				</div>
				<div className="flex flex-wrap gap-2">
					<Button label="Rounded" rounded />
					<Button label="Raised" raised />
					<Button icon="pi pi-check" rounded aria-label="Confirm" />
					<Button icon="pi pi-trash" rounded outlined severity="danger" aria-label="Delete" />
				</div>
			</Section>
			<Section title="Icons, sizes, loading, split">
				<div className="flex flex-wrap gap-2 align-items-center">
					<Button label="Send" icon="pi pi-send" />
					<Button label="Next" icon="pi pi-arrow-right" iconPos="right" />
					<Button label="Small" size="small" />
					<Button label="Large" size="large" />
					<Button label="Save" icon="pi pi-check" loading={loading} onClick={load} />
					<Button label="Disabled" disabled />
					<SplitButton label="Export" icon="pi pi-download" model={[{ label: 'CSV' }, { label: 'JSON' }]}
						buttonProps={{ 'aria-label': 'Export' }} menuButtonProps={{ 'aria-label': 'More export formats' }} />
				</div>
			</Section>
		</>
	);
}
