/* What WaQtor is, for visitors. */
import { Button } from 'primereact/button';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

export const FEATURES = [
	{ key: 'instances', icon: 'pi pi-mobile' },
	{ key: 'campaigns', icon: 'pi pi-megaphone' },
	{ key: 'smartbot', icon: 'pi pi-android' },
	{ key: 'realtime', icon: 'pi pi-bolt' },
	{ key: 'webhooks', icon: 'pi pi-send' },
	{ key: 'tenants', icon: 'pi pi-users' },
] as const;

export default function Landing() {
	const { t } = useTranslation();
	const navigate = useNavigate();
	useEffect(() => {
		document.title = `WaQtor · ${t('landing.tagline')}`;
	}, [t]);
	return (
		<div className="landing">
			<header className="flex align-items-center justify-content-between px-4 py-3 surface-card border-bottom-1 surface-border">
				<div className="flex align-items-center gap-2 text-xl font-bold"><img src="/logo.svg" alt="" width={32} height={32} /> WaQtor</div>
				<nav className="flex gap-2" aria-label={t('landing.nav')}>
					<Button label={t('auth.login')} text onClick={() => navigate('/auth/login')} />
					<Button label={t('auth.signup')} onClick={() => navigate('/auth/signup')} />
				</nav>
			</header>
			<main>
				<section className="text-center px-4 py-8">
					<h1 className="text-5xl font-bold m-0">{t('landing.title')}</h1>
					<p className="text-xl muted mx-auto mt-3 mb-5" style={{ maxWidth: '46rem' }}>{t('landing.lead')}</p>
					<div className="flex justify-content-center gap-3 flex-wrap">
						<Button label={t('landing.start')} icon="pi pi-arrow-right" iconPos="right" onClick={() => navigate('/auth/signup')} />
						<Button label={t('landing.docs')} outlined onClick={() => { window.location.href = '/api/docs'; }} />
					</div>
				</section>
				<section className="px-4 pb-8" aria-labelledby="features">
					<h2 id="features" className="text-center text-3xl">{t('landing.featuresTitle')}</h2>
					<div className="grid mx-auto" style={{ maxWidth: '70rem' }}>
						{FEATURES.map((f) => (
							<div key={f.key} className="col-12 md:col-6 lg:col-4">
								<div className="card h-full m-0">
									<i className={`${f.icon} text-primary text-3xl`} aria-hidden="true" />
									<h3 className="mt-3">{t(`landing.features.${f.key}.title`)}</h3>
									<p className="m-0 muted">{t(`landing.features.${f.key}.text`)}</p>
								</div>
							</div>
						))}
					</div>
				</section>
			</main>
			<footer className="layout-footer pb-4"><span>WaQtor</span></footer>
		</div>
	);
}
