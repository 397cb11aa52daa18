import { Chart } from 'primereact/chart';
import { Section } from './UiKit';

function colours() {
	const s = getComputedStyle(document.documentElement);
	return { text: s.getPropertyValue('--text-color'), border: s.getPropertyValue('--surface-border') };
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export default function ChartsDemo() {
	const c = colours();
	const scales = { x: { ticks: { color: c.text }, grid: { color: c.border } }, y: { ticks: { color: c.text }, grid: { color: c.border } } };
	const plugins = { legend: { labels: { color: c.text } } };
	const line = {
		labels: DAYS,
		datasets: [
			{ label: 'Sent', data: [65, 59, 80, 81, 56, 55, 40], borderColor: '#0f766e', backgroundColor: '#0f766e', tension: 0.4 },
			{ label: 'Read', data: [28, 48, 40, 19, 36, 27, 30], borderColor: '#3b82f6', backgroundColor: '#3b82f6', tension: 0.4 },
		],
	};
	const bar = {
		labels: DAYS,
		datasets: [
			{ label: 'Delivered', data: [40, 52, 61, 70, 44, 32, 25], backgroundColor: '#16a34a' },
			{ label: 'Failed', data: [2, 4, 1, 6, 3, 1, 0], backgroundColor: '#ef4444' },
		],
	};
	const pie = {
		labels: ['Delivered', 'Read', 'Failed', 'Pending'],
		datasets: [{ data: [300, 220, 20, 45], backgroundColor: ['#16a34a', '#0f766e', '#ef4444', '#f59e0b'] }],
	};
	return (
		<div className="grid">
			<div className="col-12 xl:col-6"><Section title="Line">
				<Chart type="line" data={line} options={{ plugins, scales }} ariaLabel="Messages sent and read per day" />
			</Section></div>
			<div className="col-12 xl:col-6"><Section title="Bar">
				<Chart type="bar" data={bar} options={{ plugins, scales }} ariaLabel="Delivered and failed per day" />
			</Section></div>
			<div className="col-12 xl:col-6"><Section title="Doughnut">
				<Chart type="doughnut" data={pie} options={{ plugins }} ariaLabel="Message outcomes" style={{ maxWidth: '22rem' }} />
			</Section></div>
			<div className="col-12 xl:col-6"><Section title="Polar area">
				<Chart type="polarArea" data={pie} options={{ plugins, scales: { r: { grid: { color: c.border }, ticks: { backdropColor: 'transparent', color: c.text } } } }}
					ariaLabel="Message outcomes, polar" style={{ maxWidth: '22rem' }} />
			</Section></div>
		</div>
	);
}
