/*
 * What a file can be sent as, checked before it is uploaded: the kinds
 * send-media takes, each with the types it accepts and its size limit (the
 * API decides again by the file's first bytes: 413 over the size, 415 not
 * of the kind).
 */
export type MediaType = 'image' | 'sticker' | 'audio' | 'video' | 'document';

const MB = 1024 * 1024;
/* in order: the first kind whose types match a file is the one it is sent as */
const KINDS: { type: MediaType; mimes: RegExp; ext: RegExp; max: number }[] = [
	{ type: 'image', mimes: /^image\/(jpeg|png)$/, ext: /\.(jpe?g|png)$/i, max: 5 * MB },
	{ type: 'sticker', mimes: /^image\/webp$/, ext: /\.webp$/i, max: 500 * 1024 },
	{ type: 'audio', mimes: /^audio\/(ogg|mpeg|mp3|mp4|x-m4a|aac)$/, ext: /\.(ogg|opus|mp3|m4a)$/i, max: 16 * MB },
	{ type: 'video', mimes: /^video\/mp4$/, ext: /\.mp4$/i, max: 16 * MB },
	{
		type: 'document',
		mimes: /^application\/(pdf|zip|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+)$/,
		ext: /\.(pdf|zip|docx?|xlsx?|pptx?|od[tsp])$/i, max: 16 * MB,
	},
];

/** What `accept` the file picker offers. */
export const ACCEPT = '.jpg,.jpeg,.png,.webp,.ogg,.opus,.mp3,.m4a,.mp4,.pdf,.zip,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp';

export type Checked = { ok: true; type: MediaType } | { ok: false; reason: 'kind' } | { ok: false; reason: 'size'; type: MediaType; max: number };

/** Whether a file can be sent, and as what. */
export function checkFile(f: { name: string; type: string; size: number }): Checked {
	const k = KINDS.find((x) => (f.type ? x.mimes.test(f.type) : false) || x.ext.test(f.name));
	if (!k) return { ok: false, reason: 'kind' };
	if (f.size > k.max) return { ok: false, reason: 'size', type: k.type, max: k.max };
	if (f.size === 0) return { ok: false, reason: 'kind' };
	return { ok: true, type: k.type };
}

/** A size as people read it (1.5 MB, 480 KB). */
export function sizeText(n: number, lang: string): string {
	const [v, unit] = n >= MB ? [n / MB, 'megabyte'] : [n / 1024, 'kilobyte'];
	return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
}
