#!/usr/bin/env node
/*
 * The dashboard's budget (issue 14), against a running stack (bench/web.py
 * starts a private one and calls this): initial JavaScript, raw and gzip -9,
 * from the served /index.html; what headless Chromium downloads on a first
 * load; first and largest contentful paint of /auth/login (signed out) and
 * /dashboard (signed in), cold and warm. Prints a markdown report and, with
 * --out, writes it there. Exits non-zero on any error.
 *
 * Usage: node bench/web.mjs --url http://127.0.0.1:PORT --email E --password P
 *        [--runs 10] [--out FILE] [--machine TEXT] [--build DIR] [--source TEXT]
 *        [--state DIR] [--chromium /usr/bin/chromium]
 * (--state: the stack's state directory, whose processes count as the
 * benchmark's own when the other processes' CPU is reported.)
 * Needs Node 18+ and web/node_modules (playwright-core, from web/package.json).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import zlib from 'node:zlib';
import { args, bytes, cmd, cpuModel, cpuSnapshot, kb, launch, ms, nginxVersion, othersCpu, PW_VERSION, signIn, stats, sum, table,
	today, VIEWPORT } from './browser.mjs';

const BUDGET_JS_GZ = 300 * 1024;	// bytes: "300 KB gzipped", KB = 1,024 bytes
const BUDGET_LCP = 1000;		// ms

/* GET through nginx as a browser asks (Accept-Encoding gzip, deflate, br):
 * the bytes on the wire, their Content-Encoding, and the decoded body. */
function fetchRaw(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } }, (res) => {
			const parts = [];
			res.on('data', (c) => parts.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const wire = Buffer.concat(parts);
				const enc = res.headers['content-encoding'] ?? 'identity';
				let body = wire;
				if (enc === 'gzip') body = zlib.gunzipSync(wire);
				else if (enc === 'br') body = zlib.brotliDecompressSync(wire);
				else if (enc === 'deflate') body = zlib.inflateSync(wire);
				else if (enc !== 'identity') return reject(new Error(`${url}: Content-Encoding ${enc}`));
				if (res.statusCode !== 200) return reject(new Error(`${url}: HTTP ${res.statusCode}`));
				resolve({ wire: wire.length, enc, body, type: res.headers['content-type'] ?? '',
					cache: res.headers['cache-control'] ?? null });
			});
		});
		req.setTimeout(15000, () => req.destroy(new Error(`${url}: timed out`)));
		req.on('error', reject);
	});
}

/* The tags in the document's head: name and attributes. */
function headTags(html) {
	const end = html.search(/<\/head>/i);
	if (end < 0) throw new Error('index.html has no </head>');
	const tags = [];
	for (const m of html.slice(0, end).matchAll(/<(script|link)\b([^>]*)>/gi)) {
		const attrs = {};
		for (const a of m[2].matchAll(/([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
			attrs[a[1].toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
		tags.push({ tag: m[1].toLowerCase(), attrs });
	}
	return tags;
}

async function initialAssets(base) {
	const index = await fetchRaw(`${base}/index.html`);
	const html = index.body.toString('utf8');
	const tags = headTags(html);
	const rels = (t) => (t.attrs.rel ?? '').toLowerCase().split(/\s+/);
	const entries = tags.filter((t) => t.tag === 'script' && (t.attrs.type ?? '').toLowerCase() === 'module' && t.attrs.src);
	if (entries.length === 0) throw new Error('index.html has no <script type="module" src> in its head');
	const js = [
		...entries.map((t) => ({ href: t.attrs.src, kind: 'entry (script type=module)' })),
		...tags.filter((t) => t.tag === 'link' && rels(t).includes('modulepreload') && t.attrs.href)
			.map((t) => ({ href: t.attrs.href, kind: 'modulepreload' })),
	];
	const css = tags.filter((t) => t.tag === 'link' && rels(t).includes('stylesheet') && t.attrs.href)
		.map((t) => ({ href: t.attrs.href, kind: t.attrs.id ? `stylesheet #${t.attrs.id}` : 'stylesheet' }));
	const measure = async (list) => {
		const out = [];
		for (const f of list) {
			const url = new URL(f.href, `${base}/`).href;
			const r = await fetchRaw(url);
			out.push({ ...f, path: new URL(url).pathname, raw: r.body.length, gz: zlib.gzipSync(r.body, { level: 9 }).length,
				wire: r.wire, enc: r.enc, type: r.type, cache: r.cache });
		}
		return out;
	};
	return { index: { raw: index.body.length, wire: index.wire, enc: index.enc, cache: index.cache },
		js: await measure(js), css: await measure(css) };
}

/* In the page, after it settled: LCP from a buffered PerformanceObserver,
 * FCP, navigation timing, and each resource's sizes. */
function readPage() {
	return new Promise((resolve) => {
		const lcp = [];
		const obs = new PerformanceObserver((list) => lcp.push(...list.getEntries()));
		obs.observe({ type: 'largest-contentful-paint', buffered: true });
		lcp.push(...obs.takeRecords());
		setTimeout(() => {
			lcp.push(...obs.takeRecords());
			obs.disconnect();
			const last = lcp.length ? lcp.reduce((a, b) => (b.startTime >= a.startTime ? b : a)) : null;
			const describe = (el) => {
				if (!el) return '(element gone)';
				let s = el.tagName.toLowerCase();
				if (el.id) s += `#${el.id}`;
				const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 2) : [];
				if (cls.length) s += `.${cls.join('.')}`;
				const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
				return text ? `${s} "${text}"` : s;
			};
			const nav = performance.getEntriesByType('navigation')[0];
			const fcp = performance.getEntriesByName('first-contentful-paint')[0];
			resolve({
				lcp: last ? last.startTime : null,
				lcpElement: last ? describe(last.element) + (last.url ? ` (${last.url.replace(location.origin, '')})` : '') : null,
				lcpSize: last ? last.size : null,
				fcp: fcp ? fcp.startTime : null,
				ttfb: nav ? nav.responseStart : null,
				dcl: nav ? nav.domContentLoadedEventEnd : null,
				load: nav ? nav.loadEventEnd : null,
				doc: nav ? { path: location.pathname, initiator: 'navigation', transfer: nav.transferSize,
					encoded: nav.encodedBodySize, decoded: nav.decodedBodySize } : null,
				resources: performance.getEntriesByType('resource').map((e) => ({
					path: new URL(e.name).pathname, initiator: e.initiatorType, transfer: e.transferSize,
					encoded: e.encodedBodySize, decoded: e.decodedBodySize, start: e.startTime, end: e.responseEnd,
				})),
				path: location.pathname,
			});
		}, 100);
	});
}

const PAGES = {
	'/auth/login': {
		signedIn: false,
		ready: async (page) => { await page.locator('#password').waitFor({ state: 'visible', timeout: 15000 }); },
	},
	'/dashboard': {
		signedIn: true,
		ready: async (page) => {
			// the instances answered (the counts leave their placeholder)
			await page.waitForFunction(() => {
				const el = document.querySelector('[data-testid=instance-count]');
				return el && el.textContent.trim() !== '…';
			}, null, { timeout: 15000 });
		},
	},
};

/* One load in a fresh page: settle, then read the paint entries. */
async function load(ctx, base, route, errors) {
	const page = await ctx.newPage();
	const encodings = new Map();	// path -> Content-Encoding as the browser got it
	page.on('pageerror', (e) => errors.push(`${route}: pageerror: ${e.message}`));
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (u.origin !== base) return;
		if (r.status() >= 400) errors.push(`${route}: HTTP ${r.status()} ${u.pathname}`);
		encodings.set(u.pathname, r.headers()['content-encoding'] ?? 'identity');
	});
	try {
		await page.goto(base + route, { waitUntil: 'load', timeout: 30000 });
		await PAGES[route].ready(page);
		await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
		// two frames, so that the last render is painted
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
		const m = await page.evaluate(readPage);
		if (m.path !== route) throw new Error(`${route}: the page ended on ${m.path}`);
		if (m.lcp === null || m.fcp === null) throw new Error(`${route}: no LCP or FCP entry`);
		for (const r of m.resources) r.enc = encodings.get(r.path) ?? '?';
		m.docEnc = encodings.get(route) ?? '?';
		return m;
	} finally {
		await page.close();
	}
}

/* What a load fetched, by kind: the document, scripts (initiator script or
 * a .js path), stylesheets, fonts, images, API calls. */
function kindOf(r) {
	if (r.initiator === 'navigation') return 'document';
	if (r.path.startsWith('/api/')) return 'API';
	if (r.initiator === 'script' || r.path.endsWith('.js')) return 'script';
	if (r.path.endsWith('.css')) return 'stylesheet';
	if (/\.(woff2?|ttf|otf|eot)$/.test(r.path)) return 'font';
	if (/\.(svg|png|jpe?g|gif|webp|avif|ico)$/.test(r.path)) return 'image';
	return 'other';
}
const KINDS = ['document', 'script', 'stylesheet', 'font', 'image', 'API', 'other'];

function fetched(m) {
	const all = [...(m.doc ? [{ ...m.doc, enc: m.docEnc }] : []), ...m.resources];
	const by = {};
	for (const r of all) (by[kindOf(r)] ??= []).push(r);
	const row = (files) => ({ files, n: files.length, transfer: sum(files, 'transfer'), encoded: sum(files, 'encoded'),
		decoded: sum(files, 'decoded'), encodings: [...new Set(files.map((r) => r.enc))] });
	const out = {};
	for (const k of KINDS) if (by[k]) out[k] = row(by[k]);
	return out;
}

/* A warm load's static files against the cold load of the same context:
 * from the cache (no transfer), revalidated (a 304: headers alone, well
 * under the cold transfer), or fetched again. */
function reuse(warm, cold) {
	const before = new Map(cold.resources.map((r) => [r.path, r]));
	const out = { cache: 0, revalidated: 0, again: 0, n: 0 };
	for (const r of warm.resources) {
		const c = before.get(r.path);
		if (!c || r.path.startsWith('/api/')) continue;
		out.n++;
		if (r.transfer === 0) out.cache++;
		else if (r.transfer <= c.transfer - c.encoded / 2) out.revalidated++;
		else out.again++;
	}
	return out;
}

/* CPU ticks of every process, and whether it is this benchmark's: this
 * process and its descendants (Chromium), the driver, and the stack's
 * processes (their command line names its state directory, or a parent's
 * does: nginx's workers). */
async function main() {
	const a = args();
	const t0 = Date.now();
	const load0 = os.loadavg()[0];
	const loads = [];	// before each run
	const hz = Number(cmd('getconf', ['CLK_TCK'])) || 100;
	let snap = cpuSnapshot(a.state), others = 0, tRuns = 0;
	const base = new URL(a.url).origin;

	// -- initial JavaScript, from the served index.html -------------------
	const assets = await initialAssets(base);
	const jsRaw = sum(assets.js, 'raw'), jsGz = sum(assets.js, 'gz'), jsWire = sum(assets.js, 'wire');
	const cssRaw = sum(assets.css, 'raw'), cssGz = sum(assets.css, 'gz');
	const served = [...new Set([...assets.js, ...assets.css].map((f) => f.enc))];

	// -- paints ------------------------------------------------------------
	const browser = await launch(a);
	const errors = [];
	const samples = {};	// "route cold|warm" -> [measurement]
	let firstLogin = null, firstDash = null;
	try {
		const chromiumVersion = browser.version();
		const session = await signIn(browser, base, a.email, a.password);

		const routes = Object.keys(PAGES);
		// one load of each, not counted: the browser's own first-run costs
		// (its processes, the GPU process) are not the page's
		for (const route of routes) {
			const ctx = await browser.newContext({ viewport: VIEWPORT, ...(PAGES[route].signedIn ? { storageState: session } : {}) });
			await load(ctx, base, route, errors);
			await ctx.close();
		}
		const tRun0 = Date.now();
		snap = cpuSnapshot(a.state);
		for (let i = 0; i < a.runs; i++) {
			loads.push(os.loadavg()[0]);
			if (i > 0) {
				const next = cpuSnapshot(a.state);
				others += othersCpu(snap, next, hz);
				snap = next;
			}
			for (const route of routes) {
				const ctx = await browser.newContext({ viewport: VIEWPORT, ...(PAGES[route].signedIn ? { storageState: session } : {}) });
				try {
					const cold = await load(ctx, base, route, errors);
					const warm = await load(ctx, base, route, errors);
					(samples[`${route} cold`] ??= []).push(cold);
					(samples[`${route} warm`] ??= []).push(warm);
					if (i === 0 && route === '/auth/login') firstLogin = cold;
					if (i === 0 && route === '/dashboard') firstDash = cold;
				} finally {
					await ctx.close();
				}
			}
		}
		others += othersCpu(snap, cpuSnapshot(a.state), hz);
		tRuns = (Date.now() - tRun0) / 1000;
		if (errors.length) throw new Error(`errors during the loads:\n  ${[...new Set(errors)].join('\n  ')}`);

		// -- the report -------------------------------------------------------
		const loginGot = fetched(firstLogin);
		const dashGot = fetched(firstDash);
		const loginJs = loginGot.script, dashJs = dashGot.script;
		const reused = {};
		for (const route of Object.keys(PAGES)) {
			const r = { cache: 0, revalidated: 0, again: 0, n: 0 };
			samples[`${route} warm`].forEach((w, i) => {
				const x = reuse(w, samples[`${route} cold`][i]);
				for (const k of Object.keys(r)) r[k] += x[k];
			});
			reused[route] = r;
		}
		const paint = {};
		for (const [k, v] of Object.entries(samples)) {
			paint[k] = { fcp: stats(v.map((m) => m.fcp)), lcp: stats(v.map((m) => m.lcp)), ttfb: stats(v.map((m) => m.ttfb)),
				load: stats(v.map((m) => m.load)), elements: [...new Set(v.map((m) => m.lcpElement))] };
		}
		const lcpWorst = Math.max(...Object.values(paint).map((p) => p.lcp.p95));
		const jsOk = jsGz <= BUDGET_JS_GZ;
		const lcpOk = lcpWorst <= BUDGET_LCP;
		const date = today();
		const cpu = cpuModel();
		const largest = [...assets.js].sort((x, y) => y.gz - x.gz)[0];

		const L = [];
		L.push(`# Dashboard budget, ${date}`, '');
		L.push(`Machine: ${a.machine ?? `${os.cpus().length} cores, ${cpu}`} (nproc ${cmd('nproc', [])}; CPU: ${cpu}).`);
		L.push(`Browser: headless Chromium ${chromiumVersion} (${a.chromium}), driven by playwright-core ${PW_VERSION}; ` +
			`Node ${process.version}; ${nginxVersion()}. Build: ${a.build ?? '?'} (its web/dist, served by the stack's nginx)${a.source ? `, ${a.source}` : ''}.`);
		L.push('');
		L.push('## Budget (issue 14)', '');
		L.push(`- Initial JavaScript: **${kb(jsGz)} gzipped** (gzip -9; ${bytes(jsGz)} bytes) against 300 KB: ` +
			`**${jsOk ? 'within budget' : 'OVER BUDGET'}**` +
			` (${kb(jsRaw)} raw in ${assets.js.length} file${assets.js.length > 1 ? 's' : ''}; KB = 1,024 bytes).`);
		L.push(`- Largest contentful paint: /auth/login ${ms(paint['/auth/login cold'].lcp.median)} median, ` +
			`${ms(paint['/auth/login cold'].lcp.p95)} p95 cold, ${ms(paint['/auth/login warm'].lcp.median)} / ` +
			`${ms(paint['/auth/login warm'].lcp.p95)} warm; /dashboard ${ms(paint['/dashboard cold'].lcp.median)} / ` +
			`${ms(paint['/dashboard cold'].lcp.p95)} cold, ${ms(paint['/dashboard warm'].lcp.median)} / ` +
			`${ms(paint['/dashboard warm'].lcp.p95)} warm, against 1 s: **${lcpOk ? 'within budget' : 'OVER BUDGET'}** ` +
			`(judged on the worst p95, ${ms(lcpWorst)}).`);
		L.push('');
		L.push('## Method', '');
		L.push(`A private stack (tests/integration/harness.py \`Stack\`, its own ports and state directory) from the build's ` +
			`web/dist. **Initial JavaScript** is what /index.html, fetched through nginx, loads before any route: the ` +
			'`<script type="module" src>` in its head plus every `<link rel="modulepreload">`; each file fetched through ' +
			'nginx with `Accept-Encoding: gzip, deflate, br`, its body measured raw and compressed here with ' +
			"Node's zlib at level 9 (what a gzipping server would send at best). The stylesheets linked in the head are " +
			'listed apart and not counted as JavaScript. **What the browser downloaded** is the sum over the ' +
			'Resource Timing entries (and the navigation entry for the document) of a cold first load, by kind, ' +
			'scripts being those of initiator `script` or a `.js` path: ' +
			'`transferSize` (headers included), `encodedBodySize` (the body as sent) and `decodedBodySize`. ' +
			`**Paints**: headless Chromium, viewport ${VIEWPORT.width}x${VIEWPORT.height}, device scale 1, no CPU or ` +
			'network throttling, over loopback. /auth/login signed out; /dashboard with the demo user\'s session ' +
			'(one `POST /api/v1/auth/login` with an `Origin` header, whose cookie every signed-in context starts ' +
			'from). Each run is a new browser context (empty cache and storage): a **cold** load in a fresh page, ' +
			'then a **warm** load in a second fresh page of the same context (its HTTP cache kept). A load is settled ' +
			'when the `load` event has fired, the page shows its content (/auth/login: the password field; ' +
			'/dashboard: the instance count, i.e. the API answered), the network is idle (at most 5 s) and two ' +
			'frames have passed; then LCP is read with ' +
			"`PerformanceObserver({type: 'largest-contentful-paint', buffered: true})` (its last entry) and FCP from " +
			"the `first-contentful-paint` paint entry, both from navigation start. " +
			`${a.runs} runs of each page, cold and warm, after one uncounted load of each (the browser's own ` +
			'start-up). Median and p95 are interpolated between the sorted runs (numpy\'s default), so with 10 ' +
			'runs p95 lies between the 9th and 10th value. Rate limits of the plans are raised on this stack so ' +
			`that the repeated loads are never answered 429. The run took ${Math.round((Date.now() - t0) / 1000)} s.`);
		L.push('');
		L.push('## Initial JavaScript (from the served /index.html)', '');
		L.push(...table(['file', 'loaded as', 'raw', 'gzip -9', 'sent by nginx', 'Cache-Control'],
			[...assets.js.map((f) => [`\`${f.path}\``, f.kind, `${kb(f.raw)} (${bytes(f.raw)} B)`, `${kb(f.gz)} (${bytes(f.gz)} B)`,
				`${f.enc}, ${bytes(f.wire)} B`, f.cache ?? 'none']),
			['**total JavaScript**', '', `**${kb(jsRaw)}**`, `**${kb(jsGz)}**`, `${bytes(jsWire)} B`, '']]));
		L.push('');
		L.push(assets.js.length === 1
			? `One file: the entry chunk, with no modulepreload beside it; every page is a lazy chunk loaded after it.`
			: `The largest, \`${largest.path}\`, is ${Math.round((100 * largest.gz) / jsGz)}% of the gzipped total.`);
		L.push('');
		L.push('Stylesheets linked in the head (render-blocking; not counted as JavaScript):', '');
		L.push(...table(['file', 'linked as', 'raw', 'gzip -9', 'sent by nginx', 'Cache-Control'],
			[...assets.css.map((f) => [`\`${f.path}\``, f.kind, kb(f.raw), kb(f.gz), `${f.enc}, ${bytes(f.wire)} B`, f.cache ?? 'none']),
			['**total CSS**', '', `**${kb(cssRaw)}**`, `**${kb(cssGz)}**`, '', '']]));
		L.push('');
		L.push(`/index.html itself: ${bytes(assets.index.raw)} B, sent ${assets.index.enc}, Cache-Control ${assets.index.cache ?? 'none'}. ` +
			`nginx sent every file above ${served.join(', ')}` +
			(served.length === 1 && served[0] === 'identity' ? ' (no gzip: the stack\'s nginx.conf has no `gzip` directive), so the wire carries the raw sizes.'
				: ` (its own compression level: the JavaScript is ${bytes(jsWire)} B on the wire, against ${bytes(jsGz)} B at gzip -9).`));
		L.push('');
		L.push('## What the browser downloaded (the first cold load of each page)', '');
		const dl = (label, k, x) => [label, k, String(x.n), `${kb(x.transfer)} (${bytes(x.transfer)} B)`,
			`${kb(x.encoded)} (${bytes(x.encoded)} B)`, kb(x.decoded), x.encodings.join(', ')];
		L.push(...table(['load', 'kind', 'files', 'transferSize', 'encodedBodySize', 'decodedBodySize', 'Content-Encoding'], [
			...Object.entries(loginGot).map(([k, x]) => dl('/auth/login, cold', k === 'script' ? '**script**' : k, x)),
			...Object.entries(dashGot).map(([k, x]) => dl('/dashboard, cold', k === 'script' ? '**script**' : k, x)),
		]));
		L.push('');
		L.push(`JavaScript the browser downloaded on its first load of /auth/login: **${kb(loginJs.encoded)}** ` +
			`(encodedBodySize, ${bytes(loginJs.encoded)} B, in ${loginJs.n} scripts; ${kb(loginJs.transfer)} with headers), ` +
			`sent ${loginJs.encodings.join(', ')}` + (loginJs.encoded === loginJs.decoded ? ': not compressed, encoded = decoded size.' : '.') +
			` Of /dashboard: ${kb(dashJs.encoded)} in ${dashJs.n} scripts.`);
		L.push('');
		const files = (x) => x.files.map((f) => `\`${f.path}\` ${kb(f.encoded)}`).join(', ');
		L.push(`/auth/login, cold, scripts: ${files(loginJs)}.`, '');
		L.push(`/dashboard, cold, scripts: ${files(dashJs)}.`, '');
		const rs = (route) => {
			const r = reused[route];
			return `${route} ${r.cache} from the HTTP cache, ${r.revalidated} revalidated (304), ${r.again} fetched again`;
		};
		const cc = new Map();	// Cache-Control by top directory
		for (const f of [{ path: '/index.html', cache: assets.index.cache }, ...assets.js, ...assets.css]) {
			const dir = f.path === '/index.html' ? '/index.html' : `/${f.path.split('/')[1]}/`;
			(cc.get(dir) ?? cc.set(dir, new Set()).get(dir)).add(f.cache ?? 'none');
		}
		L.push(`Warm loads, the static files over all runs: ${rs('/auth/login')} (of ${reused['/auth/login'].n}); ` +
			`${rs('/dashboard')} (of ${reused['/dashboard'].n}). Cache-Control from nginx: ` +
			[...cc].map(([d, v]) => `${d} ${[...v].map((x) => `\`${x}\``).join(' or ')}`).join('; ') + '.');
		L.push('');
		L.push(`## Paint timing (ms from navigation start, ${a.runs} runs each)`, '');
		const prow = (k) => {
			const p = paint[k];
			const [route, mode] = k.split(' ');
			return [route, mode, ms(p.fcp.median), ms(p.fcp.p95), ms(p.fcp.max), `**${ms(p.lcp.median)}**`, `**${ms(p.lcp.p95)}**`,
				ms(p.lcp.max), ms(p.ttfb.median), ms(p.load.median)];
		};
		L.push(...table(['page', 'cache', 'FCP median', 'FCP p95', 'FCP max', 'LCP median', 'LCP p95', 'LCP max',
			'TTFB median', 'load event median'], Object.keys(paint).sort().map(prow)));
		L.push('');
		L.push('The LCP element:', '');
		for (const k of Object.keys(paint).sort()) L.push(`- ${k}: ${paint[k].elements.map((e) => `\`${e}\``).join('; ')}`);
		L.push('');
		L.push('<details><summary>Every run (FCP / LCP, ms)</summary>', '');
		for (const k of Object.keys(samples).sort())
			L.push(`- ${k}: ${samples[k].map((m) => `${Math.round(m.fcp)}/${Math.round(m.lcp)}`).join(', ')}`);
		L.push('', '</details>', '');

		const load1 = os.loadavg()[0];
		const loadMax = Math.max(load0, load1, ...loads);
		const othersCores = others / tRuns;
		const busy = othersCores >= 0.2;
		L.splice(L.indexOf('## Method'), 0, `Other work on the machine: processes other than this benchmark's (its browser, ` +
			`Node, the stack) used ${others.toFixed(1)} CPU seconds during the ${Math.round(tRuns)} s of the counted runs, ` +
			`${othersCores.toFixed(2)} of ${os.cpus().length} cores on average` +
			(busy ? ': **the machine was shared, so the paints are worse than on an idle one**' : ' (an idle machine, near enough)') +
			`. Load average (1 min, the benchmark's own work included): ${load0.toFixed(2)} before it, ${loadMax.toFixed(2)} at most.`, '');
		const text = L.join('\n');
		if (a.out) fs.writeFileSync(a.out, text);
		process.stdout.write(text);
	} finally {
		await browser.close();
	}
}

main().catch((e) => {
	console.error(`web.mjs: ${e.stack ?? e}`);
	process.exit(1);
});
