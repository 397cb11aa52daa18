import { useTranslation } from 'react-i18next';
import FullMessage from '../FullMessage';

export default function ErrorPage() {
	const { t } = useTranslation();
	return <FullMessage icon="pi pi-exclamation-triangle" title={t('pages.error.title')} text={t('pages.error.text')}
		action={t('pages.back')} to="/dashboard" />;
}
