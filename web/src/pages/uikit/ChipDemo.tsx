import { Chip } from 'primereact/chip';
import { useState } from 'react';
import { Section } from './UiKit';

export default function ChipDemo() {
	const [labels, setLabels] = useState(['VIP', 'Riyadh', 'Newsletter', 'Support']);
	return (
		<>
			<Section title="Basic and icon">
				<div className="flex flex-wrap gap-2">
					<Chip label="Campaigns" />
					<Chip label="WhatsApp" icon="pi pi-whatsapp" />
					<Chip label="Sandbox" icon="pi pi-mobile" />
				</div>
			</Section>
			<Section title="Removable">
				<div className="flex flex-wrap gap-2">
					{labels.map((l) => <Chip key={l} label={l} removable onRemove={() => { setLabels(labels.filter((x) => x !== l)); return true; }} />)}
					{labels.length === 0 && <span className="muted">All removed.</span>}
				</div>
			</Section>
		</>
	);
}
