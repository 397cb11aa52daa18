/*
 * A list the API gives a page at a time (`{ <key>: [...], nextCursor }`,
 * the next page asked for with `cursor=<nextCursor>`): the first page of
 * `path` (read again whenever path changes, and on reload), the next one
 * on more (null on the last page; one request at a time, so a scroll that
 * calls it on every frame asks once), and the last call's error. An answer
 * to a path no longer shown is dropped. With idOf, a next page leaves out
 * what the list holds already (an item that moved up while the user read).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './client';

type Page = Record<string, unknown> & { nextCursor: string | number | null };

export function usePages<T>(path: string, key: string, idOf?: (item: T) => string) {
	const [items, setItems] = useState<T[] | null>(null);
	const [next, setNext] = useState<string | number | null>(null);
	const [error, setError] = useState<unknown>(null);
	const shown = useRef(path);
	const asking = useRef<string | number | null>(null);
	shown.current = path;
	const page = useCallback((cursor: string | number | null, keep: boolean) => {
		const url = cursor == null ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
		asking.current = cursor;
		get<Page>(url).then((r) => {
			if (shown.current !== path) return;
			const got = (r[key] ?? []) as T[];
			setItems((l) => {
				if (!keep || !l) return got;
				const have = idOf ? new Set(l.map(idOf)) : null;
				return [...l, ...(have ? got.filter((x) => !have.has(idOf!(x))) : got)];
			});
			setNext(r.nextCursor);
			setError(null);
		}, (e) => shown.current === path && setError(e))
			.finally(() => { if (asking.current === cursor) asking.current = null; });
	}, [path, key, idOf]);
	const reload = useCallback(() => page(null, false), [page]);
	useEffect(reload, [reload]);
	const more = next == null ? null : () => { if (asking.current !== next) page(next, true); };
	return { items, setItems, more, reload, error };
}
