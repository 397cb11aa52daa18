/* /interactive behind the premium gate. */
import { useTranslation } from 'react-i18next';
import PageHeader from '../../components/PageHeader';
import ProtectedPage from '../../components/ProtectedPage';
import Interactive from './Interactive';

export default function InteractivePage() {
	const { t } = useTranslation();
	return (
		<>
			<PageHeader title={t('menu.interactive')} subtitle={t('premium.subtitle.interactive')} badge={t('menu.new')} />
			<ProtectedPage>{() => <Interactive />}</ProtectedPage>
		</>
	);
}
