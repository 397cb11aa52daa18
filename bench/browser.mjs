/*
 * What the dashboard's benchmarks share (bench/web.mjs, the budget;
 * bench/web-pages.mjs, each page's chunks and frame times): their
 * arguments, headless Chromium from playwright-core (web/node_modules) and
 * a signed-in session, order statistics, the other processes' CPU while
 * they ran, and markdown formatting.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const webRequire = createRequire(path.join(ROOT, 'web', 'package.json'));
export const { chromium } = webRequire('playwright-core');
export const PW_VERSION = webRequire('playwright-core/package.json').version;
export const VIEWPORT = { width: 1366, height: 900 };

/* --name value pairs; --url, --email and --password required, --runs a
 * positive number (default runs), --chromium defaulting to $CHROMIUM or
 * Debian's. */
export function args(runs = '10') {
	const a = { runs, chromium: process.env.CHROMIUM ?? '/usr/bin/chromium' };
	const v = process.argv.slice(2);
	for (let i = 0; i < v.length; i++) {
		if (!v[i].startsWith('--') || i + 1 >= v.length) throw new Error(`bad argument ${v[i]}`);
		a[v[i].slice(2)] = v[++i];
	}
	for (const k of ['url', 'email', 'password']) if (!a[k]) throw new Error(`--${k} is required`);
	a.runs = Number(a.runs);
	if (!(a.runs >= 1)) throw new Error('--runs must be a positive number');
	a.url = a.url.replace(/\/$/, '');
	return a;
}

export const sum = (xs, k) => xs.reduce((s, x) => s + x[k], 0);

/* Order statistics of a sample: median and p95 by linear interpolation
 * between the sorted values (numpy's default), and the max. */
export function stats(xs) {
	const v = [...xs].sort((a, b) => a - b);
	const q = (p) => {
		const i = p * (v.length - 1), lo = Math.floor(i), hi = Math.ceil(i);
		return v[lo] + (v[hi] - v[lo]) * (i - lo);
	};
	return { median: q(0.5), p95: q(0.95), max: v[v.length - 1], min: v[0] };
}

export function cpuSnapshot(stateDir) {
	const procs = new Map();
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
			const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
			procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmd });
		} catch { /* gone */ }
	}
	const ours = (pid, depth = 0) => {
		const p = procs.get(pid);
		if (!p || depth > 64) return false;
		if (pid === process.pid || pid === process.ppid || (stateDir && p.cmd.includes(stateDir))) return true;
		return ours(p.ppid, depth + 1);
	};
	const out = new Map();
	for (const [pid, p] of procs) out.set(pid, { ticks: p.ticks, ours: ours(pid) });
	return out;
}

/* The other processes' CPU seconds between two snapshots (a process that
 * started and ended between them is missed). */
export function othersCpu(a, b, hz) {
	let t = 0;
	for (const [pid, p] of b) if (!p.ours) t += p.ticks - (a.get(pid)?.ticks ?? 0);
	return t / hz;
}

/* Formatting */
export const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
export const bytes = (b) => b.toLocaleString('en-US');
export const ms = (x) => `${Math.round(x)} ms`;
export function table(head, rows) {
	return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function cmd(file, argv) {
	try {
		return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return '?';
	}
}

export function nginxVersion() {	// nginx -v writes to stderr
	const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
	return `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().replace(/^nginx version: /, '') || 'nginx ?';
}


/* Headless Chromium (without its sandbox as root, which it refuses). */
export function launch(a) {
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	return chromium.launch({ executablePath: a.chromium, headless: true, args: root ? ['--no-sandbox'] : [] });
}

/* One sign-in through the API: the storage state every signed-in context starts from. */
export async function signIn(browser, base, email, password) {
	const auth = await browser.newContext({ viewport: VIEWPORT });
	try {
		const r = await auth.request.post(`${base}/api/v1/auth/login`, { data: { email, password }, headers: { Origin: base } });
		if (r.status() !== 200) throw new Error(`POST /api/v1/auth/login: HTTP ${r.status()} ${await r.text()}`);
		const session = await auth.storageState();
		if (!session.cookies.length) throw new Error('the login set no cookie');
		return session;
	} finally {
		await auth.close();
	}
}

/* Today as YYYY-MM-DD, and the machine's CPU model. */
export function today() {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
export const cpuModel = () => (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? 'unknown';
