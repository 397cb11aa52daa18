import { Button } from 'primereact/button';
import { Message } from 'primereact/message';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../stores/auth';
import AuthCard from './AuthCard';
import { PasswordField, TextField, useSubmit } from './form';

/** Only a path on this site: never an absolute or protocol-relative URL. */
export function safeReturn(p: string | null): string {
	return p && p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\') && !p.startsWith('/auth/')
		? p : '/dashboard';
}

export default function Login() {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const [params] = useSearchParams();
	const login = useAuth((s) => s.login);
	const [email, setEmail] = useState('');
	const [password, setPassword] = useState('');
	const { busy, error, fields, onSubmit } = useSubmit(async () => {
		await login(email, password);
		navigate(safeReturn(params.get('returnTo')), { replace: true });
	});

	return (
		<AuthCard title={t('auth.loginTitle')}>
			{params.get('returnTo') && !error && <Message severity="info" text={t('auth.loginAgain')} className="w-full mb-3" />}
			{error && <Message severity="error" text={error} className="w-full mb-3" role="alert" />}
			<form onSubmit={onSubmit} noValidate>
				<TextField id="email" label={t('auth.email')} type="email" value={email} onChange={setEmail}
					autoComplete="username" error={fields.email} dir="ltr" />
				<PasswordField id="password" label={t('auth.password')} value={password} onChange={setPassword}
					autoComplete="current-password" error={fields.password} />
				<Button type="submit" label={t('auth.login')} icon="pi pi-sign-in" loading={busy} className="w-full" />
			</form>
			<p className="text-center mt-4 mb-0">
				{t('auth.noAccount')} <Link to="/auth/signup">{t('auth.signup')}</Link>
			</p>
			<p className="text-center mt-2 mb-0"><Link to="/landing">{t('auth.whatIs')}</Link></p>
		</AuthCard>
	);
}
