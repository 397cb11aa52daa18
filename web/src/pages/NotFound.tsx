import { useTranslation } from 'react-i18next';
import FullMessage from './FullMessage';

export default function NotFound() {
	const { t } = useTranslation();
	return <FullMessage icon="pi pi-compass" code="404" title={t('pages.notfound.title')} text={t('pages.notfound.text')}
		action={t('pages.back')} to="/dashboard" />;
}
