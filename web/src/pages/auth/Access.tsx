import { useTranslation } from 'react-i18next';
import FullMessage from '../FullMessage';

export default function Access() {
	const { t } = useTranslation();
	return <FullMessage icon="pi pi-lock" code="403" title={t('pages.access.title')} text={t('pages.access.text')}
		action={t('pages.back')} to="/dashboard" />;
}
