/* /reports behind the premium gate. */
import { useTranslation } from 'react-i18next';
import PageHeader from '../../components/PageHeader';
import ProtectedPage from '../../components/ProtectedPage';
import Reports from './Reports';

export default function ReportsPage() {
	const { t } = useTranslation();
	return (
		<>
			<PageHeader title={t('menu.reports')} subtitle={t('premium.subtitle.reports')} badge={t('menu.new')} />
			<ProtectedPage>{() => <Reports />}</ProtectedPage>
		</>
	);
}
