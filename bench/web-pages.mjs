#!/usr/bin/env node
/*
 * The dashboard's pages (issue 15), against a running stack whose demo
 * tenant holds --chats chats (bench/web.py seeds them and calls this):
 *
 * - each page's own JavaScript: what opening it from /dashboard downloads
 *   (a client-side navigation, as a click on the menu does), per page, in a
 *   fresh browser context each;
 * - frame times in headless Chromium (requestAnimationFrame deltas, and
 *   long tasks) of the chat list while it is scrolled through every chat,
 *   loading its pages as it goes, then flung back up, then while chats are
 *   bumped live; and of the event monitor while --rate events a second
 *   arrive over Socket.IO (published on Redis, as the engine publishes);
 *   beside an idle page's, the browser's own frame rate on this machine;
 * - GET /api/v1/chats: the first page and one 10,000 chats deep, over HTTP.
 *
 * Prints a markdown report and, with --out, writes it there. Exits
 * non-zero on any error (a console error of the page included).
 *
 * Usage: node bench/web-pages.mjs --url URL --email E --password P
 *        --redis SOCKET --tenant UUID --instance UUID --chats N
 *        [--rate 100] [--secs 20] [--out FILE] [--machine TEXT]
 *        [--build DIR] [--source TEXT] [--state DIR] [--chromium PATH]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { args, cmd, cpuModel, cpuSnapshot, kb, launch, othersCpu, PW_VERSION, signIn, stats, sum, table, today,
	VIEWPORT } from './browser.mjs';

const FRAME_MS = 1000 / 60;	// the display's frame at 60 Hz
const DROPPED_MS = FRAME_MS * 1.5;	// a delta this long skipped at least one frame
const ROW_PX = 68;	// a chat's row (ITEM_PX in web/src/pages/Messages.tsx)

/* The pages of the menu (and the account's), each opened from /dashboard. */
const PAGES = ['/instances', '/messages', '/campaigns', '/contacts', '/smartbot', '/interactive', '/reports',
	'/settings/webhooks', '/events', '/notifications', '/settings', '/profile', '/about'];

/* A Redis connection on its unix socket that publishes (RESP, replies read and dropped). */
function publisher(sock) {
	const c = net.createConnection(sock);
	c.on('data', () => {});
	const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
	return {
		publish: (channel, msg) => c.write(`*3\r\n${bulk('PUBLISH')}${bulk(channel)}${bulk(msg)}`),
		close: () => c.end(),
		ready: new Promise((ok, fail) => { c.once('connect', ok); c.once('error', fail); }),
	};
}

/* Calls fn(i) rate times a second for secs seconds, catching up on late timers. */
function paced(rate, secs, fn) {
	return new Promise((done) => {
		const t0 = Date.now(), n = rate * secs;
		let i = 0;
		const id = setInterval(() => {
			const due = Math.min(n, Math.floor((Date.now() - t0) * rate / 1000));
			while (i < due) fn(i++);
			if (i >= n) {
				clearInterval(id);
				done(i);
			}
		}, 5);
	});
}

/* An envelope as the engine publishes it (lib/event.c). */
const envelope = (type, a, data) => JSON.stringify({ id: crypto.randomUUID(), type, tenantId: a.tenant,
	instanceId: a.instance, ts: new Date().toISOString(), data: { instanceId: a.instance, ...data } });

/* In the page (window.__frames, installed before its scripts): frames from
 * requestAnimationFrame, each preceded by a step of the kind asked for, until
 * the step says it is done or stop() is called; long tasks alongside. Steps
 * are named here, not sent as code: the page's CSP allows no eval. */
function installFrames() {
	const STEPS = {
		count: (i, n) => i >= n,
		forever: () => false,
		// px down a frame, until the scroller's end holds n rows of px rows
		down: (i, { px, n, row }) => {
			const el = document.querySelector('.chat-scroller');
			el.scrollTop += px;
			return (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 && el.scrollHeight >= n * row) || i > 20000;
		},
		up: (i, px) => {
			const el = document.querySelector('.chat-scroller');
			el.scrollTop -= px;
			return el.scrollTop === 0;
		},
	};
	window.__frames = (kind, arg) => {
		const deltas = [], long = [];
		const obs = new PerformanceObserver((l) => long.push(...l.getEntries().map((e) => e.duration)));
		obs.observe({ type: 'longtask' });
		let last = null, i = 0, stopped = false;
		const t0 = performance.now();
		return {
			done: new Promise((resolve) => {
				const frame = (t) => {
					if (last !== null) deltas.push(t - last);
					last = t;
					if (stopped || STEPS[kind](i++, arg) === true) {
						obs.disconnect();
						resolve({ deltas, long, ms: performance.now() - t0 });
						return;
					}
					requestAnimationFrame(frame);
				};
				requestAnimationFrame(frame);
			}),
			stop: () => { stopped = true; },
		};
	};
}

/* A frame measurement in the page: steps of kind (with arg) until done or,
 * with stopAfter, until it resolves. */
async function frames(page, kind, arg, stopAfter) {
	await page.evaluate(([k, x]) => { window.__run = window.__frames(k, x); }, [kind, arg ?? null]);
	if (stopAfter) {
		await stopAfter();
		await page.evaluate(() => window.__run.stop());
	}
	return page.evaluate(() => window.__run.done);
}

function frameRow(name, r, note) {
	const s = stats(r.deltas), v = [...r.deltas].sort((x, y) => x - y);
	const p99 = v[Math.min(v.length - 1, Math.floor(0.99 * (v.length - 1)))];
	const dropped = r.deltas.filter((d) => d > DROPPED_MS).length;
	return [name, String(r.deltas.length), (r.deltas.length / (r.ms / 1000)).toFixed(1), s.median.toFixed(1),
		s.p95.toFixed(1), p99.toFixed(1), s.max.toFixed(1), `${dropped} (${(100 * dropped / Math.max(1, r.deltas.length)).toFixed(1)}%)`,
		`${r.long.length} / ${Math.round(r.long.reduce((a, b) => a + b, 0))} ms`, note];
}

async function settled(page) {
	await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
}

async function main() {
	const a = args('1');
	for (const k of ['redis', 'tenant', 'instance', 'chats']) if (!a[k]) throw new Error(`--${k} is required`);
	const rate = Number(a.rate ?? 100), secs = Number(a.secs ?? 20), chats = Number(a.chats);
	const base = new URL(a.url).origin;
	const hz = Number(cmd('getconf', ['CLK_TCK'])) || 100;
	const t0 = Date.now(), load0 = os.loadavg()[0];
	let snap = cpuSnapshot(a.state), others = 0;
	const browser = await launch(a);
	const errors = [];
	const watch = (page) => {
		page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
		page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
	};
	const redis = publisher(a.redis);
	await redis.ready;
	const L = [];
	try {
		const session = await signIn(browser, base, a.email, a.password);
		const context = () => browser.newContext({ viewport: VIEWPORT, storageState: session });

		// -- each page's own JavaScript ---------------------------------------
		const chunks = [];
		for (const route of PAGES) {
			const ctx = await context();
			const page = await ctx.newPage();
			watch(page);
			// the default buffer (250 entries) fills with /dashboard's own requests
			await page.addInitScript(() => performance.setResourceTimingBufferSize(100000));
			await page.goto(`${base}/dashboard`);
			await page.getByTestId('instance-count').waitFor({ timeout: 15000 }).catch(() => {});
			await settled(page);
			const before = await page.evaluate(() => performance.getEntriesByType('resource').length);
			const title = await page.locator('main h1').first().textContent();
			await page.evaluate((r) => { history.pushState({}, '', r); dispatchEvent(new PopStateEvent('popstate')); }, route);
			await page.waitForURL(`${base}${route}`);
			// the page rendered: its title replaced /dashboard's
			await page.waitForFunction((t) => { const h = document.querySelector('main h1'); return h && h.textContent !== t; },
				title, { timeout: 15000 });
			await settled(page);
			const got = await page.evaluate((n) => performance.getEntriesByType('resource').slice(n)
				.filter((e) => e.name.endsWith('.js')).map((e) => ({ path: new URL(e.name).pathname, encoded: e.encodedBodySize,
					decoded: e.decodedBodySize })), before);
			chunks.push({ route, files: got });
			await ctx.close();
		}

		// -- frames: an idle page, the reference --------------------------------
		const ctx = await context();
		const page = await ctx.newPage();
		watch(page);
		await page.addInitScript(installFrames);
		await page.goto(`${base}/about`);
		await settled(page);
		const idle = await frames(page, 'count', 300);

		// -- frames: the chat list ---------------------------------------------
		await page.goto(`${base}/messages`);
		await page.getByTestId('chat').first().waitFor({ timeout: 15000 });
		await settled(page);
		const count = async () => (await page.evaluate(() => document.querySelector(".chat-scroller")?.scrollHeight)) / ROW_PX;
		const tDown = Date.now();
		// five rows a frame (300 rows a second at 60 Hz) until the end of the last page
		const down = await frames(page, 'down', { px: 340, n: chats, row: ROW_PX });
		const downSecs = (Date.now() - tDown) / 1000;
		const loaded = await count();
		const up = await frames(page, 'up', 1360);
		// chats bumped to the top live (message.received of chats further down)
		const bumps = Math.max(1, Math.round(rate / 5));
		let last = null;
		const bumped = await frames(page, 'forever', null, () => paced(bumps, 10, (i) => {
			const n = chats - 1 - ((i * 97) % chats);
			last = `bench bump ${i}`;
			redis.publish(`waqtor:${a.tenant}:smartbot`, envelope('message.received', a, {
				messageId: crypto.randomUUID(), chatId: `96658${String(n).padStart(7, '0')}@c.us`, contactName: null,
				type: 'text', content: { text: last } }));
		}));
		await page.getByTestId('chat').first().filter({ hasText: last }).waitFor({ timeout: 10000 });

		// -- frames: the event monitor -----------------------------------------
		await page.goto(`${base}/events`);
		await page.getByTestId('event-count').waitFor({ timeout: 15000 });
		await settled(page);
		const kinds = [['status', 'message.sent', () => ({ messageId: crypto.randomUUID(), chatId: '966580000001@c.us', status: 'delivered' })],
			['smartbot', 'message.received', () => ({ messageId: crypto.randomUUID(), chatId: '966580000002@c.us', type: 'text',
				content: { text: 'monitor' } })],
			['campaigns', 'campaign.progress', () => ({ campaignId: crypto.randomUUID(), sent: 1, total: 100 })]];
		const monitor = await frames(page, 'forever', null, () => paced(rate, secs, (i) => {
			const [ns, type, data] = kinds[i % kinds.length];
			redis.publish(`waqtor:${a.tenant}:${ns}`, envelope(type, a, data()));
		}));
		await page.waitForTimeout(1000);
		const shownText = await page.getByTestId('event-count').textContent();
		await ctx.close();
		others = othersCpu(snap, cpuSnapshot(a.state), hz);
		if (errors.length) throw new Error(`errors in the pages:\n  ${[...new Set(errors)].join('\n  ')}`);

		// -- the API: a first page and a deep one ------------------------------
		const cookie = session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		const timed = async (url) => {
			const v = [];
			for (let i = 0; i < 30; i++) {
				const s = performance.now();
				const r = await fetch(url, { headers: { cookie } });
				await r.arrayBuffer();
				if (r.status !== 200) throw new Error(`GET ${url}: ${r.status}`);
				v.push(performance.now() - s);
			}
			return stats(v);
		};
		let cursor = null;
		for (let n = 0; n < Math.floor((chats - 50) / 200); n++) {
			const r = await (await fetch(`${base}/api/v1/chats?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie } })).json();
			cursor = r.nextCursor;
		}
		const first = await timed(`${base}/api/v1/chats?limit=50`);
		const deep = await timed(`${base}/api/v1/chats?limit=50&cursor=${cursor}`);
		const search = await timed(`${base}/api/v1/chats?limit=50&search=guest%20123`);

		// -- the report -------------------------------------------------------
		const secsAll = (Date.now() - t0) / 1000;
		L.push(`# Dashboard pages: their JavaScript and frame times, ${today()}`, '');
		L.push(`Machine: ${a.machine ?? `${os.cpus().length} cores`} (CPU: ${cpuModel()}). Browser: headless Chromium ${browser.version()} ` +
			`(${a.chromium}), playwright-core ${PW_VERSION}, viewport ${VIEWPORT.width}x${VIEWPORT.height}, Node ${process.version}. ` +
			`Build: ${a.build ?? '?'}${a.source ? `, ${a.source}` : ''}. The run took ${Math.round(secsAll)} s; processes other ` +
			`than the benchmark's used ${others.toFixed(1)} CPU seconds meanwhile (${(others / secsAll).toFixed(2)} cores); ` +
			`load average ${load0.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after.`, '');
		L.push('## Frame times (issue 15: smooth with 10,000 chats, and with 100 events a second)', '');
		L.push(`Each row: requestAnimationFrame deltas in ms over the phase; "dropped" are deltas over ${DROPPED_MS.toFixed(1)} ms ` +
			`(1.5 frames of 60 Hz: at least one frame skipped); long tasks are the main thread's tasks over 50 ms ` +
			`(PerformanceObserver \`longtask\`). The idle page is the reference: the frame rate this browser delivers on this machine ` +
			'with nothing to do.', '');
		L.push(...table(['phase', 'frames', 'fps', 'median', 'p95', 'p99', 'max', 'dropped', 'long tasks (n / total)', 'what'], [
			frameRow('idle page (/about)', idle, 'the reference: 300 frames of nothing'),
			frameRow(`chat list, scrolled down`, down, `${chats.toLocaleString('en-US')} chats in the tenant; 340 px (5 rows) a frame from ` +
				`the top to the last chat, pages of 50 loaded as it goes: ${Math.round(loaded).toLocaleString('en-US')} rows at the end, in ${downSecs.toFixed(1)} s`),
			frameRow('chat list, flung up', up, `1,360 px (20 rows) a frame back to the top over the ${Math.round(loaded).toLocaleString('en-US')} loaded`),
			frameRow('chat list, live', bumped, `${bumps} message.received a second for 10 s, each moving a chat from further down to the top`),
			frameRow('event monitor', monitor, `${rate} events a second for ${secs} s over three namespaces; it then showed "${shownText?.trim()}"`),
		]));
		L.push('');
		L.push('## Each page\'s own JavaScript', '');
		L.push('What a signed-in user\'s browser downloads when opening the page from /dashboard (client-side, as a menu click), ' +
			'in a fresh context each: the page\'s lazy chunk and whatever of its dependencies /dashboard had not loaded. ' +
			'"as sent" is the body on the wire (nginx\'s gzip); the initial JavaScript every page shares is in web-<date>.md.', '');
		L.push(...table(['page', 'files', 'as sent', 'decoded', 'the files (as sent)'], chunks.map((c) => [c.route, String(c.files.length),
			kb(sum(c.files, 'encoded')), kb(sum(c.files, 'decoded')),
			c.files.sort((x, y) => y.encoded - x.encoded).map((f) => `\`${f.path.replace('/assets/', '')}\` ${kb(f.encoded)}`).join(', ')])));
		L.push('');
		L.push('## GET /api/v1/chats over HTTP (30 requests each, signed in, through nginx)', '');
		const ms2 = (x) => `${x.toFixed(1)} ms`;
		L.push(...table(['request', 'median', 'p95', 'max'], [
			['the first page (limit=50)', ms2(first.median), ms2(first.p95), ms2(first.max)],
			[`a page ${(Math.floor((chats - 50) / 200) * 200).toLocaleString('en-US')} chats deep (cursor)`, ms2(deep.median), ms2(deep.p95), ms2(deep.max)],
			['a search by name (search=guest 123)', ms2(search.median), ms2(search.p95), ms2(search.max)],
		]));
		L.push('');
		const text = L.join('\n');
		if (a.out) fs.writeFileSync(a.out, text);
		process.stdout.write(text);
	} finally {
		redis.close();
		await browser.close();
	}
}

main().catch((e) => {
	console.error(`web-pages.mjs: ${e.stack ?? e}`);
	process.exit(1);
});
