import { Button } from 'primereact/button';
import { Message } from 'primereact/message';
import { Messages } from 'primereact/messages';
import { useRef } from 'react';
import { notify } from '../../toast';
import { Section } from './UiKit';

const KINDS = ['success', 'info', 'warn', 'error'] as const;

export default function MessageDemo() {
	const msgs = useRef<Messages>(null);
	return (
		<>
			<Section title="Toast">
				<div className="flex flex-wrap gap-2">
					{KINDS.map((k) => <Button key={k} label={k} severity={k === 'warn' ? 'warning' : k === 'error' ? 'danger' : k}
						onClick={() => notify({ severity: k, summary: `A ${k} toast`, detail: 'Shown by the layout.' })} />)}
				</div>
			</Section>
			<Section title="Messages">
				<div className="flex flex-wrap gap-2 mb-3">
					{KINDS.map((k) => <Button key={k} label={k} outlined
						onClick={() => msgs.current?.show({ severity: k, summary: k, detail: 'Message content', sticky: true })} />)}
					<Button label="Clear" text onClick={() => msgs.current?.clear()} />
				</div>
				<Messages ref={msgs} />
			</Section>
			<Section title="Inline">
				<div className="flex flex-column gap-2">
					{KINDS.map((k) => <Message key={k} severity={k} text={`An inline ${k} message`} />)}
				</div>
			</Section>
		</>
	);
}
