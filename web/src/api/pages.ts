/*
 * A list the API gives a page at a time (`{ <key>: [...], nextCursor }`,
 * the next page asked for with `cursor=<nextCursor>`): the first page of
 * `path` (read again whenever path changes, and on reload), the next one
 * on more (null on the last page), and the last call's error. An answer to
 * a path no longer shown is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './client';

type Page = Record<string, unknown> & { nextCursor: string | number | null };

export function usePages<T>(path: string, key: string) {
	const [items, setItems] = useState<T[] | null>(null);
	const [next, setNext] = useState<string | number | null>(null);
	const [error, setError] = useState<unknown>(null);
	const shown = useRef(path);
	shown.current = path;
	const page = useCallback((cursor: string | number | null, keep: boolean) => {
		const url = cursor == null ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
		get<Page>(url).then((r) => {
			if (shown.current !== path) return;
			const got = (r[key] ?? []) as T[];
			setItems((l) => (keep ? [...(l ?? []), ...got] : got));
			setNext(r.nextCursor);
			setError(null);
		}, (e) => shown.current === path && setError(e));
	}, [path, key]);
	const reload = useCallback(() => page(null, false), [page]);
	useEffect(reload, [reload]);
	const more = next == null ? null : () => page(next, true);
	return { items, setItems, more, reload, error };
}
