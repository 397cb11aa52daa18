/*
 * The one way the dashboard talks to the REST API: same-origin fetch with
 * the session cookie, JSON in and out, and every failure as an ApiError
 * carrying the API's error code, message, details and request id. A 401
 * on any call but the session probe and the sign-in forms sends the user
 * to the login page with the page they were on as the return path.
 */
export interface ApiErrorBody {
	error?: { code?: string; message?: string; details?: unknown };
}

export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	readonly details: unknown;
	readonly requestId: string | null;

	constructor(status: number, code: string, message: string, details: unknown, requestId: string | null) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.details = details;
		this.requestId = requestId;
	}
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};

/** What to do on a 401 (the app sends the user to the login page). */
export function setUnauthorizedHandler(fn: Unauthorized): void {
	onUnauthorized = fn;
}

export interface CallOptions {
	/** A 401 is this call's answer, not a lost session (login, the probe). */
	quiet401?: boolean;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown,
	opts: CallOptions = {}): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
	let payload: BodyInit | undefined;
	if (body instanceof FormData || body instanceof Blob) {
		payload = body;
		if (body instanceof Blob && body.type && !headers['Content-Type']) headers['Content-Type'] = body.type;
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		headers['Content-Type'] = 'application/json';
	}
	let res: Response;
	try {
		res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
	} catch (e) {
		if (e instanceof DOMException && e.name === 'AbortError') throw e;
		throw new ApiError(0, 'network_error', 'The server cannot be reached', null, null);
	}
	const requestId = res.headers.get('X-Request-Id');
	if (res.status === 204) {
		await res.text(); // an unread body counts as an aborted load in Chromium
		return undefined as T;
	}
	const type = res.headers.get('Content-Type') ?? '';
	const data: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text();
	if (res.ok) return data as T;
	const err = (data as ApiErrorBody | null)?.error;
	if (res.status === 401 && !opts.quiet401) onUnauthorized();
	throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText, err?.details ?? null,
		requestId);
}

export const get = <T>(path: string, opts?: CallOptions) => api<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown, opts?: CallOptions) => api<T>('POST', path, body ?? {}, opts);
export const patch = <T>(path: string, body: unknown, opts?: CallOptions) => api<T>('PATCH', path, body, opts);
export const del = <T>(path: string, opts?: CallOptions) => api<T>('DELETE', path, undefined, opts);

/** A message for people: the API's own, or what failed to reach it. */
export function errorText(e: unknown): string {
	if (e instanceof ApiError) return e.message;
	return e instanceof Error ? e.message : String(e);
}
