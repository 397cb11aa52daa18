import { Button } from 'primereact/button';
import { Dropdown } from 'primereact/dropdown';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { useState } from 'react';
import { Section } from './UiKit';

export default function FormLayoutDemo() {
	const [plan, setPlan] = useState('pro');
	return (
		<div className="grid">
			<div className="col-12 md:col-6">
				<Section title="Vertical">
					<div className="field"><label htmlFor="fl-name">Name</label><InputText id="fl-name" /></div>
					<div className="field"><label htmlFor="fl-email">E-mail</label><InputText id="fl-email" type="email" /></div>
					<div className="field"><label htmlFor="fl-age">Age</label><InputText id="fl-age" inputMode="numeric" /></div>
					<Button label="Submit" />
				</Section>
			</div>
			<div className="col-12 md:col-6">
				<Section title="Horizontal">
					<div className="field grid">
						<label htmlFor="fl-h-name" className="col-12 mb-2 md:col-3 md:mb-0">Name</label>
						<div className="col-12 md:col-9"><InputText id="fl-h-name" className="w-full" /></div>
					</div>
					<div className="field grid">
						<label htmlFor="fl-h-mail" className="col-12 mb-2 md:col-3 md:mb-0">E-mail</label>
						<div className="col-12 md:col-9"><InputText id="fl-h-mail" className="w-full" /></div>
					</div>
				</Section>
			</div>
			<div className="col-12">
				<Section title="Advanced">
					<div className="formgrid grid">
						<div className="field col-12 md:col-6"><label htmlFor="fl-first">First name</label><InputText id="fl-first" /></div>
						<div className="field col-12 md:col-6"><label htmlFor="fl-last">Last name</label><InputText id="fl-last" /></div>
						<div className="field col-12"><label htmlFor="fl-address">Address</label><InputTextarea id="fl-address" rows={3} /></div>
						<div className="field col-12 md:col-6">
							<label htmlFor="fl-plan">Plan</label>
							<Dropdown inputId="fl-plan" value={plan} onChange={(e) => setPlan(e.value)}
								options={[{ label: 'Pro', value: 'pro' }, { label: 'Business', value: 'business' }]} />
						</div>
					</div>
				</Section>
			</div>
		</div>
	);
}
