/*
 * The contact pages: every contact (/contacts), the lists (/contacts/lists),
 * one list (/contacts/lists/:id) and the opt-out list (/contacts/opt-outs),
 * under one header with a tab for each.
 */
import { ConfirmDialog } from 'primereact/confirmdialog';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import PageHeader from '../../components/PageHeader';
import Contacts from './Contacts';
import { ListDetail, Lists } from './Lists';
import OptOuts from './OptOuts';

const VIEWS = { contacts: Contacts, lists: Lists, list: ListDetail, optouts: OptOuts };
const TABS = [
	{ key: 'contacts', to: '/contacts', end: true }, { key: 'lists', to: '/contacts/lists', end: false },
	{ key: 'optouts', to: '/contacts/opt-outs', end: true },
];

export default function ContactPages({ view }: { view: keyof typeof VIEWS }) {
	const { t } = useTranslation();
	const Body = VIEWS[view];
	return (
		<>
			<PageHeader title={t('menu.contacts')} subtitle={t('contacts.subtitle')} />
			<nav aria-label={t('contacts.sections')} className="page-tabs mb-3">
				{TABS.map((x) => (
					<NavLink key={x.key} to={x.to} end={x.end} className={({ isActive }) => `page-tab${isActive ? ' active' : ''}`}>
						{t(`contacts.tab.${x.key}`)}
					</NavLink>
				))}
			</nav>
			<Body />
			<ConfirmDialog />
		</>
	);
}
