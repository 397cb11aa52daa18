import { Tag } from 'primereact/tag';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import { MENU } from './menu';

export default function AppMenu({ onNavigate }: { onNavigate: () => void }) {
	const { t } = useTranslation();
	return (
		<nav aria-label={t('menu.label')}>
			<ul className="layout-menu">
				{MENU.map((section) => (
					<li key={section.key}>
						<div className="menu-section" id={`menu-${section.key}`}>{t(`menu.${section.key}`)}</div>
						<ul aria-labelledby={`menu-${section.key}`}>
							{section.items.map((item) => (
								<li key={item.key}>
									<NavLink to={item.to} end onClick={onNavigate}
										className={({ isActive }) => (isActive ? 'active' : '')}>
										<i className={item.icon} aria-hidden="true" />
										<span>{t(`menu.${item.key}`)}</span>
										{item.badge && <Tag className="menu-badge" severity="success" value={t('menu.new')} />}
									</NavLink>
								</li>
							))}
						</ul>
					</li>
				))}
			</ul>
		</nav>
	);
}
