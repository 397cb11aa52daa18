/*
 * The two themes, light and dark: PrimeReact's Lara teal themes with the
 * seed's primary (#0f766e) in the light one, emitted as themes/light.css
 * and themes/dark.css beside their fonts. The app switches between them by
 * changing one <link>, so a theme costs no JavaScript.
 *
 * Lara light teal paints buttons #14b8a6 under white text (2.5:1, below
 * WCAG AA); the seed's #0f766e gives 5.5:1. Its severities (success, info,
 * warning, danger, help, secondary) are one Tailwind shade or two darker
 * for the same reason: white text on each is at least 4.5:1, as are the
 * messages' coloured texts on their pale backgrounds. The seed's
 * own success/warning/info (#16a34a, #f59e0b, #3b82f6) stay the layout's
 * --wq-* colours for icons and charts, where no text sits on them. Each
 * colour is replaced in one pass, so a replacement is never replaced again.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const THEMES = dirname(dirname(require.resolve('primereact/resources/themes/lara-light-teal/theme.css')));

const PALETTES: Record<string, { source: string; colours: Record<string, string> }> = {
	light: {
		source: 'lara-light-teal',
		colours: {
			'#14b8a6': '#0f766e', // primary
			'#0d9488': '#115e59', // hover
			'#0f766e': '#134e4a', // active, highlight text
			'#99f6e4': '#5eead4', // focus ring
			'#22c55e': '#15803d', '#16a34a': '#166534', '#15803d': '#14532d', // success
			'#0ea5e9': '#0369a1', '#0284c7': '#075985', '#0369a1': '#0c4a6e', // info
			'#f97316': '#c2410c', '#ea580c': '#9a3412', '#c2410c': '#7c2d12', // warning
			'#ef4444': '#b91c1c', '#dc2626': '#991b1b', '#b91c1c': '#7f1d1d', // danger
			'#a855f7': '#7e22ce', '#9333ea': '#6b21a8', '#7e22ce': '#581c87', // help
			'#64748b': '#475569', '#475569': '#334155', '#334155': '#1e293b', // secondary
			// messages and toasts: text on their pale backgrounds
			'#3b82f6': '#1d4ed8', '#1ea97c': '#047857', '#cc8925': '#92400e', '#ff5757': '#b91c1c',
		},
	},
	dark: { source: 'lara-dark-teal', colours: {} },
};

export function themeCss(name: string): string {
	const p = PALETTES[name];
	const css = readFileSync(join(THEMES, p.source, 'theme.css'), 'utf8');
	const keys = Object.keys(p.colours);
	if (keys.length === 0) return css;
	return css.replace(new RegExp(keys.join('|'), 'gi'), (c: string) => p.colours[c.toLowerCase()]);
}

function fonts(): string[] {
	return readdirSync(join(THEMES, 'lara-light-teal', 'fonts'));
}

export function themes(): Plugin {
	return {
		name: 'waqtor-themes',
		configureServer(server) {
			server.middlewares.use((req, res, next) => {
				const m = /^\/themes\/(?:(light|dark)\.css|fonts\/([\w.-]+\.woff2))$/.exec(req.url ?? '');
				if (!m || (m[2] && !fonts().includes(m[2]))) return next();
				res.setHeader('Content-Type', m[1] ? 'text/css' : 'font/woff2');
				res.end(m[1] ? themeCss(m[1]) : readFileSync(join(THEMES, 'lara-light-teal', 'fonts', m[2])));
			});
		},
		// after Vite's own processing, which would try to bundle it
		transformIndexHtml: {
			order: 'post',
			handler: () => [{ tag: 'link', attrs: { id: 'theme-link', rel: 'stylesheet', href: '/themes/light.css' },
				injectTo: 'head-prepend' }],
		},
		generateBundle() {
			for (const name of Object.keys(PALETTES))
				this.emitFile({ type: 'asset', fileName: `themes/${name}.css`, source: themeCss(name) });
			for (const f of fonts())
				this.emitFile({ type: 'asset', fileName: `themes/fonts/${f}`,
					source: readFileSync(join(THEMES, 'lara-light-teal', 'fonts', f)) });
		},
	};
}
