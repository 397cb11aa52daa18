/*
 * What the message charts share (the dashboard's week, the reports): the
 * figures drawn, each one's colour from the theme, and Chart.js options
 * in the theme's text and grid colours, mirrored right-to-left.
 */
export const CHART_FIGURES = ['sent', 'delivered', 'read', 'failed', 'inbound'] as const;
export type ChartFigure = (typeof CHART_FIGURES)[number];
const COLOURS: Record<ChartFigure, string> = {
	sent: '--wq-primary', delivered: '--wq-success', read: '--wq-info', failed: '--wq-danger', inbound: '--wq-warning',
};

/** A figure's colour in the current theme. */
export const figureColour = (k: ChartFigure) => getComputedStyle(document.documentElement).getPropertyValue(COLOURS[k]);

/** Options for a chart over time in the current theme and direction. */
export function themedOptions(rtl: boolean) {
	const css = getComputedStyle(document.documentElement);
	const text = css.getPropertyValue('--text-color');
	const grid = css.getPropertyValue('--surface-border');
	return {
		maintainAspectRatio: false,
		interaction: { mode: 'index', intersect: false },
		plugins: { legend: { rtl, labels: { color: text } }, tooltip: { rtl } },
		scales: {
			x: { reverse: rtl, ticks: { color: text, autoSkip: true, maxRotation: 0, align: 'inner' }, grid: { color: grid } },
			y: { beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
		},
	};
}
