/*
 * The campaign pages behind the plan gate: the list (/campaigns), the
 * wizard (/campaigns/new) and one campaign (/campaigns/:id).
 */
import { useTranslation } from 'react-i18next';
import PageHeader from '../../components/PageHeader';
import ProtectedPage from '../../components/ProtectedPage';
import Campaigns from './Campaigns';
import Detail from './Detail';
import Wizard from './Wizard';

const VIEWS = { list: Campaigns, new: Wizard, detail: Detail };

export default function CampaignPages({ view }: { view: keyof typeof VIEWS }) {
	const { t } = useTranslation();
	const Body = VIEWS[view];
	return (
		<>
			<PageHeader title={t(view === 'new' ? 'campaigns.new' : 'menu.campaigns')} subtitle={t('premium.subtitle.campaigns')}
				badge={t('menu.new')} />
			<ProtectedPage>{() => <Body />}</ProtectedPage>
		</>
	);
}
