import { describe, expect, it } from 'vitest';
import { checkFile, sizeText } from './media';

const MB = 1024 * 1024;
describe('a file to send', () => {
	it('is sent as the kind its type names, within that kind\'s size', () => {
		expect(checkFile({ name: 'cat.png', type: 'image/png', size: MB })).toEqual({ ok: true, type: 'image' });
		expect(checkFile({ name: 'hi.webp', type: 'image/webp', size: 100 * 1024 })).toEqual({ ok: true, type: 'sticker' });
		expect(checkFile({ name: 'note.ogg', type: 'audio/ogg', size: MB })).toEqual({ ok: true, type: 'audio' });
		expect(checkFile({ name: 'clip.mp4', type: 'video/mp4', size: 10 * MB })).toEqual({ ok: true, type: 'video' });
		expect(checkFile({ name: 'offer.pdf', type: 'application/pdf', size: 10 * MB })).toEqual({ ok: true, type: 'document' });
		expect(checkFile({ name: 'sheet.xlsx', type: '', size: 2000 })).toEqual({ ok: true, type: 'document' });
	});
	it('is refused over its kind\'s size, empty, or of a kind WhatsApp does not take', () => {
		expect(checkFile({ name: 'big.jpg', type: 'image/jpeg', size: 5 * MB + 1 })).toEqual({ ok: false, reason: 'size', type: 'image', max: 5 * MB });
		expect(checkFile({ name: 's.webp', type: 'image/webp', size: 501 * 1024 })).toMatchObject({ reason: 'size', type: 'sticker' });
		expect(checkFile({ name: 'a.gif', type: 'image/gif', size: 1000 })).toEqual({ ok: false, reason: 'kind' });
		expect(checkFile({ name: 'x.exe', type: 'application/x-msdownload', size: 1000 })).toEqual({ ok: false, reason: 'kind' });
		expect(checkFile({ name: 'empty.png', type: 'image/png', size: 0 })).toEqual({ ok: false, reason: 'kind' });
	});
	it('has its size written as people read it', () => {
		expect(sizeText(5 * MB, 'en')).toBe('5 MB');
		expect(sizeText(480 * 1024, 'en')).toBe('480 kB');
	});
});
