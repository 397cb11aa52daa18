/*
 * The premium gate with a real tenant: blocked on the free plan (and the
 * API itself answers 402), a wrong code changes nothing, an operator's
 * code unlocks it.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PrimeReactProvider } from 'primereact/api';
import { beforeEach, describe, expect, it } from 'vitest';
import '../i18n';
import { ApiError, get } from '../api/client';
import { useAuth } from '../stores/auth';
import { ACCESS_CODES, jar, signup } from '../test/stack';
import ProtectedPage from './ProtectedPage';

beforeEach(() => jar.clear());

function page() {
	return render(
		<PrimeReactProvider>
			<ProtectedPage>{(s) => <p>inside, plan {s.plan}</p>}</ProtectedPage>
		</PrimeReactProvider>,
	);
}

async function enter(code: string) {
	fireEvent.click(await screen.findByTestId('premium-unlock'));
	const first = (await screen.findAllByRole('textbox'))[0];
	fireEvent.paste(first, { clipboardData: { getData: () => code } });
	const verify = await screen.findByTestId('otp-verify');
	await waitFor(() => expect((verify as HTMLButtonElement).disabled).toBe(false));
	fireEvent.click(verify);
}

describe('ProtectedPage', () => {
	it('blocks a free tenant, refuses a wrong code and unlocks with an operator\'s code', async () => {
		expect(ACCESS_CODES.length).toBeGreaterThan(0);
		const a = await signup();
		await useAuth.getState().login(a.email, a.password);
		const err = (await get('/api/v1/reports/summary').catch((e) => e)) as ApiError;
		expect(err).toBeInstanceOf(ApiError);
		expect(err.status).toBe(402); // the server decides, not this component

		page();
		expect(await screen.findByTestId('premium-gate')).toBeTruthy();
		expect(screen.queryByText(/inside/)).toBeNull();

		await enter('AAAA-BBBB-CCCC-DDDD');
		expect(await screen.findByRole('alert')).toBeTruthy();
		expect(screen.queryByText(/inside/)).toBeNull();
		fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });

		await enter(ACCESS_CODES[0]);
		expect(await screen.findByText('inside, plan pro')).toBeTruthy();
		expect(useAuth.getState().tenant?.plan).toBe('pro');
		expect(await get('/api/v1/reports/summary')).toMatchObject({ sent: 0 });
	});

	it('a member is told to ask an owner', async () => {
		const a = await signup();
		await useAuth.getState().login(a.email, a.password);
		useAuth.setState({ user: { ...useAuth.getState().user!, role: 'member' } });
		page();
		expect(await screen.findByText(/Ask an owner/)).toBeTruthy();
		expect(screen.queryByTestId('premium-unlock')).toBeNull();
	});
});
