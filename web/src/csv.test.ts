import { describe, expect, it } from 'vitest';
import { csvColumns, guessMapping, renameHeader } from './csv';

describe('the CSV import header', () => {
	it('reads the columns with the delimiter the file uses, quotes and a byte-order mark dropped', () => {
		expect(csvColumns('\uFEFFphone;"Full name";code\r\n+966500000001;Amal;A1\n')).toEqual(['phone', 'Full name', 'code']);
		expect(csvColumns('a\tb')).toEqual(['a', 'b']);
	});
	it('guesses the phone and name columns once each, the rest are variables', () => {
		expect(guessMapping(['Mobile', 'name', 'phone', ' ', 'city'])).toEqual([
			{ kind: 'phone' }, { kind: 'name' }, { kind: 'variable', name: 'phone' }, { kind: 'ignore' }, { kind: 'variable', name: 'city' },
		]);
	});
	it('renames only the header row, quoting a name that needs it, and leaves the rows as they were', () => {
		const file = 'tel;cliente;x\r\n"+966 50";"Ana; B";1\r\n';
		expect(renameHeader(file, [{ kind: 'phone' }, { kind: 'name' }, { kind: 'variable', name: 'code; "v"' }]))
			.toBe('phone;name;"code; ""v"""\r\n"+966 50";"Ana; B";1\r\n');
		expect(renameHeader('a,b', [{ kind: 'phone' }, { kind: 'ignore' }])).toBe('phone,');
	});
});
