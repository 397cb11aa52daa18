import { AutoComplete } from 'primereact/autocomplete';
import { Calendar } from 'primereact/calendar';
import { Checkbox } from 'primereact/checkbox';
import { Chips } from 'primereact/chips';
import { InputNumber } from 'primereact/inputnumber';
import { InputSwitch } from 'primereact/inputswitch';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { MultiSelect } from 'primereact/multiselect';
import { RadioButton } from 'primereact/radiobutton';
import { Slider } from 'primereact/slider';
import { ToggleButton } from 'primereact/togglebutton';
import { useState } from 'react';
import { Section } from './UiKit';

const COUNTRIES = ['Egypt', 'Jordan', 'Kuwait', 'Morocco', 'Oman', 'Qatar', 'Saudi Arabia', 'Tunisia', 'United Arab Emirates'];

export default function InputDemo() {
	const [text, setText] = useState('');
	const [country, setCountry] = useState('');
	const [suggestions, setSuggestions] = useState<string[]>([]);
	const [date, setDate] = useState<Date | null>(null);
	const [num, setNum] = useState<number | null>(30);
	const [on, setOn] = useState(true);
	const [checks, setChecks] = useState<string[]>(['sms']);
	const [radio, setRadio] = useState('daily');
	const [slider, setSlider] = useState(40);
	const [tags, setTags] = useState<string[]>(['vip']);
	const [multi, setMulti] = useState<string[]>([]);
	const [toggle, setToggle] = useState(false);
	return (
		<div className="grid">
			<div className="col-12 lg:col-6">
				<Section title="Text">
					<div className="field"><label htmlFor="in-text">Text</label>
						<InputText id="in-text" value={text} onChange={(e) => setText(e.target.value)} /></div>
					<div className="field"><label htmlFor="in-area">Textarea</label><InputTextarea id="in-area" rows={3} autoResize /></div>
					<div className="field"><label htmlFor="in-auto">AutoComplete</label>
						<AutoComplete inputId="in-auto" value={country} suggestions={suggestions} onChange={(e) => setCountry(e.value)}
							completeMethod={(e) => setSuggestions(COUNTRIES.filter((c) => c.toLowerCase().includes(e.query.toLowerCase())))} /></div>
					<div className="field"><label htmlFor="in-date">Calendar</label>
						<Calendar inputId="in-date" value={date} onChange={(e) => setDate(e.value ?? null)} showIcon /></div>
					<div className="field"><label htmlFor="in-num">InputNumber</label>
						<InputNumber inputId="in-num" value={num} onValueChange={(e) => setNum(e.value ?? null)} suffix=" msg/min" /></div>
					<div className="field"><label htmlFor="in-chips">Chips</label>
						<Chips inputId="in-chips" value={tags} onChange={(e) => setTags(e.value ?? [])} /></div>
				</Section>
			</div>
			<div className="col-12 lg:col-6">
				<Section title="Choice">
					<div className="flex gap-3 mb-3">
						{['sms', 'whatsapp', 'email'].map((c) => (
							<div key={c} className="flex align-items-center gap-2">
								<Checkbox inputId={`in-c-${c}`} value={c} checked={checks.includes(c)}
									onChange={(e) => setChecks(e.checked ? [...checks, c] : checks.filter((x) => x !== c))} />
								<label htmlFor={`in-c-${c}`}>{c}</label>
							</div>
						))}
					</div>
					<div className="flex gap-3 mb-3">
						{['daily', 'weekly'].map((r) => (
							<div key={r} className="flex align-items-center gap-2">
								<RadioButton inputId={`in-r-${r}`} name="in-r" value={r} checked={radio === r} onChange={() => setRadio(r)} />
								<label htmlFor={`in-r-${r}`}>{r}</label>
							</div>
						))}
					</div>
					<div className="flex align-items-center gap-2 mb-3">
						<InputSwitch inputId="in-switch" checked={on} onChange={(e) => setOn(!!e.value)} />
						<label htmlFor="in-switch">InputSwitch</label>
					</div>
					<div className="field"><label htmlFor="in-multi">MultiSelect</label>
						<MultiSelect inputId="in-multi" value={multi} options={COUNTRIES} onChange={(e) => setMulti(e.value)} display="chip" /></div>
					<div className="field"><span id="in-slider-label">Slider: {slider}</span>
						<Slider value={slider} onChange={(e) => setSlider(e.value as number)} className="mt-3" aria-labelledby="in-slider-label" /></div>
					<ToggleButton checked={toggle} onChange={(e) => setToggle(e.value)} onLabel="On" offLabel="Off" aria-label="Toggle" />
				</Section>
			</div>
		</div>
	);
}
