/* The UI kit (the seed's Phase 7): each page a live showcase of PrimeReact in our theme, its own chunk. */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import PageHeader from '../../components/PageHeader';

const PAGES = {
	button: lazy(() => import('./ButtonDemo')),
	charts: lazy(() => import('./ChartsDemo')),
	file: lazy(() => import('./FileDemo')),
	formlayout: lazy(() => import('./FormLayoutDemo')),
	input: lazy(() => import('./InputDemo')),
	message: lazy(() => import('./MessageDemo')),
	table: lazy(() => import('./TableDemo')),
	badge: lazy(() => import('./BadgeDemo')),
	tag: lazy(() => import('./TagDemo')),
	chip: lazy(() => import('./ChipDemo')),
	avatar: lazy(() => import('./AvatarDemo')),
};

export type UiKitPage = keyof typeof PAGES;

export default function UiKit({ page }: { page: UiKitPage }) {
	const { t } = useTranslation();
	const Demo = PAGES[page];
	return (
		<>
			<PageHeader title={t(`menu.${page}`)} subtitle={t('uikit.subtitle')} />
			<Suspense fallback={<p className="muted">{t('common.loading')}</p>}><Demo /></Suspense>
		</>
	);
}

export function Section({ title, children }: { title: string; children: React.ReactNode }) {
	return (
		<section className="card">
			<h2 className="text-xl">{title}</h2>
			{children}
		</section>
	);
}
