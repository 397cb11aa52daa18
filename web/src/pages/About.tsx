/*
 * The seed's Phase 3: what WaQtor is, its features, the server's version,
 * a quick start, the API reference, the user manual, FAQ and support.
 */
import { Accordion, AccordionTab } from 'primereact/accordion';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { Version } from '../api/types';
import PageHeader from '../components/PageHeader';
import { FEATURES } from './Landing';

const FAQ = ['sandbox', 'cloud', 'keys', 'realtime', 'limits', 'premium', 'data'] as const;
const MANUAL = ['instances', 'messages', 'campaigns', 'smartbot', 'webhooks', 'settings'] as const;

export default function About() {
	const { t } = useTranslation();
	const [version, setVersion] = useState<Version | null>(null);
	useEffect(() => {
		get<Version>('/api/v1/version').then(setVersion, () => setVersion(null));
	}, []);
	return (
		<>
			<PageHeader title={t('menu.about')} subtitle={t('about.subtitle')}
				badge={version ? `v${version.version}` : undefined} />
			<div className="grid">
				<section className="col-12 lg:col-7" aria-labelledby="about-what">
					<div className="card">
						<h2 id="about-what" className="text-xl">{t('about.what')}</h2>
						<p>{t('landing.lead')}</p>
						<p className="muted" data-testid="version">
							{t('about.version')}: <strong dir="ltr">{version ? `${version.name} ${version.version}` : '…'}</strong>
						</p>
						<h3 className="text-lg">{t('about.features')}</h3>
						<ul className="pl-3">
							{FEATURES.map((f) => <li key={f.key} className="mb-2"><strong>{t(`landing.features.${f.key}.title`)}</strong>
								{' — '}{t(`landing.features.${f.key}.text`)}</li>)}
						</ul>
					</div>
					<div className="card" id="manual">
						<h2 className="text-xl">{t('about.manual')}</h2>
						{MANUAL.map((m) => (
							<div key={m} className="mb-3">
								<h3 className="text-base mb-1">{t(`menu.${m}`)}</h3>
								<p className="m-0">{t(`about.manualText.${m}`)}</p>
							</div>
						))}
					</div>
				</section>
				<section className="col-12 lg:col-5" aria-labelledby="about-start">
					<div className="card">
						<h2 id="about-start" className="text-xl">{t('about.quickStart')}</h2>
						<ol className="pl-3">
							{[1, 2, 3, 4].map((n) => <li key={n} className="mb-2">{t(`about.step${n}`)}</li>)}
						</ol>
						<pre className="secret-box text-sm" dir="ltr">{`curl -X POST ${window.location.origin}/api/v1/messages/send-text \\
  -H "X-API-Key: wq_…" -H "Content-Type: application/json" \\
  -d '{"instanceId":"…","to":"+966501234567","text":"Hello"}'`}</pre>
						<h3 className="text-lg">{t('about.docs')}</h3>
						<ul className="pl-3">
							<li><a href="/api/docs">{t('about.apiReference')}</a></li>
							<li><a href="#manual">{t('about.manual')}</a></li>
						</ul>
					</div>
					<div className="card">
						<h2 className="text-xl">{t('about.faq')}</h2>
						<Accordion multiple>
							{FAQ.map((q) => (
								<AccordionTab key={q} header={t(`about.faqs.${q}.q`)}>
									<p className="m-0">{t(`about.faqs.${q}.a`)}</p>
								</AccordionTab>
							))}
						</Accordion>
					</div>
					<div className="card">
						<h2 className="text-xl">{t('about.support')}</h2>
						<ul className="pl-3 m-0">
							<li className="mb-2">{t('about.supportOperator')}</li>
							<li className="mb-2">{t('about.supportIssues')}</li>
							<li><a href="/api/docs">{t('about.apiReference')}</a></li>
						</ul>
					</div>
				</section>
			</div>
		</>
	);
}
