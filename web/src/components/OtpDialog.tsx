/*
 * The seed's OtpDialog: an access code typed into InputOtp boxes (or
 * pasted), redeemed by POST /subscription/redeem. The code is never kept
 * in the browser; the server decides.
 */
import { Button } from 'primereact/button';
import { Dialog } from 'primereact/dialog';
import { InputOtp } from 'primereact/inputotp';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api/client';
import type { Subscription } from '../api/types';

export const CODE_LENGTH = 16;

/** The code as the server takes it: letters and digits, dashes and spaces dropped. */
export function normaliseCode(s: string): string {
	return s.replace(/[\s-]/g, '').toUpperCase();
}

export default function OtpDialog({ visible, onHide, onVerify }: {
	visible: boolean; onHide: () => void; onVerify: (s: Subscription) => void;
}) {
	const { t } = useTranslation();
	const [code, setCode] = useState('');
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | null>(null);
	const value = normaliseCode(code);

	const verify = async () => {
		setBusy(true);
		setError(null);
		try {
			const s = await post<Subscription>('/api/v1/subscription/redeem', { code: value });
			setCode('');
			onVerify(s);
		} catch (e) {
			setError(errorText(e));
		} finally {
			setBusy(false);
		}
	};

	return (
		<Dialog visible={visible} onHide={onHide} header={t('premium.enterCode')} className="dialog-md"
			footer={<Button label={t('premium.verify')} icon="pi pi-check" loading={busy}
				disabled={value.length !== CODE_LENGTH} onClick={() => void verify()} data-testid="otp-verify" />}>
			<p id="otp-help">{t('premium.codeHelp')}</p>
			{/* A pasted code keeps its dashes (XXXX-XXXX-…), which InputOtp would
			    count as characters and cut: the whole code is taken here first. */}
			<div className="otp-code" onPasteCapture={(e) => {
				e.preventDefault();
				e.stopPropagation();
				setCode(normaliseCode(e.clipboardData.getData('text')).slice(0, CODE_LENGTH));
			}}>
			<InputOtp value={code} onChange={(e) => setCode(normaliseCode(String(e.value ?? '')))} length={CODE_LENGTH}
				aria-describedby="otp-help" pt={{ input: { root: { 'aria-label': t('premium.codeChar') } } } as never} />
			</div>
			{error && <p className="error-text mt-3" role="alert">{error}</p>}
		</Dialog>
	);
}
