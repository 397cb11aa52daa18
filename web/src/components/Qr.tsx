/*
 * A pairing QR drawn from its text (the `qrcode` library) as a data: URL,
 * which the Content-Security-Policy allows where blob: is refused.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export default function Qr({ text, size = 240 }: { text: string; size?: number }) {
	const { t } = useTranslation();
	const [src, setSrc] = useState<string | null>(null);
	useEffect(() => {
		void QRCode.toDataURL(text, { margin: 1, width: size, errorCorrectionLevel: 'M' }).then(setSrc, () => setSrc(null));
	}, [text, size]);
	return src ? <img src={src} alt={t('instances.qrAlt')} width={size} height={size} data-testid="qr" /> : null;
}
