import { Button } from 'primereact/button';
import { Message } from 'primereact/message';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../stores/auth';
import AuthCard from './AuthCard';
import { PasswordField, TextField, useSubmit } from './form';

export default function Signup() {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const signup = useAuth((s) => s.signup);
	const [form, setForm] = useState({ tenantName: '', name: '', email: '', password: '' });
	const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
	const { busy, error, fields, onSubmit } = useSubmit(async () => {
		await signup(form);
		navigate('/dashboard', { replace: true });
	});

	return (
		<AuthCard title={t('auth.signupTitle')}>
			{error && <Message severity="error" text={error} className="w-full mb-3" role="alert" />}
			<form onSubmit={onSubmit} noValidate>
				<TextField id="tenantName" label={t('auth.organisation')} value={form.tenantName} onChange={set('tenantName')}
					autoComplete="organization" error={fields.tenantName} />
				<TextField id="name" label={t('auth.name')} value={form.name} onChange={set('name')} autoComplete="name"
					error={fields.name} />
				<TextField id="email" label={t('auth.email')} type="email" value={form.email} onChange={set('email')}
					autoComplete="email" error={fields.email} dir="ltr" />
				<PasswordField id="password" label={t('auth.newPassword')} value={form.password} onChange={set('password')}
					autoComplete="new-password" error={fields.password} />
				<p className="muted text-sm mt-0">{t('auth.passwordRule')}</p>
				<Button type="submit" label={t('auth.createAccount')} icon="pi pi-user-plus" loading={busy} className="w-full" />
			</form>
			<p className="text-center mt-4 mb-0">
				{t('auth.haveAccount')} <Link to="/auth/login">{t('auth.login')}</Link>
			</p>
		</AuthCard>
	);
}
