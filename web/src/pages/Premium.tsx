/*
 * The premium pages behind the plan gate still to be built out: the last
 * week's figures and what interactive messages are for (the campaigns have
 * their own pages, pages/campaigns).
 */
import { useTranslation } from 'react-i18next';
import PageHeader from '../components/PageHeader';
import ProtectedPage from '../components/ProtectedPage';

function Interactive() {
	const { t } = useTranslation();
	return <div className="card"><p className="m-0">{t('premium.interactiveText')}</p></div>;
}

const PAGES = { interactive: Interactive };

export default function Premium({ page }: { page: keyof typeof PAGES }) {
	const { t } = useTranslation();
	const Body = PAGES[page];
	return (
		<>
			<PageHeader title={t(`menu.${page}`)} subtitle={t(`premium.subtitle.${page}`)} badge={t('menu.new')} />
			<ProtectedPage>{() => <Body />}</ProtectedPage>
		</>
	);
}
