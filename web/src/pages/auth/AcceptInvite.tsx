import { Button } from 'primereact/button';
import { Message } from 'primereact/message';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../stores/auth';
import AuthCard from './AuthCard';
import { PasswordField, TextField, useSubmit } from './form';

export default function AcceptInvite() {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const [params] = useSearchParams();
	const accept = useAuth((s) => s.acceptInvitation);
	const token = params.get('token') ?? '';
	const [name, setName] = useState('');
	const [password, setPassword] = useState('');
	const submitted = useSubmit(async () => {
		await accept({ token, name, password });
		navigate('/dashboard', { replace: true });
	});
	const { busy, fields, onSubmit } = submitted;
	const error = submitted.error ?? (/^[0-9a-f]{64}$/.test(token) ? null : t('auth.badInvite'));

	return (
		<AuthCard title={t('auth.inviteTitle')}>
			{error && <Message severity="error" text={error} className="w-full mb-3" role="alert" />}
			<form onSubmit={onSubmit} noValidate>
				<TextField id="name" label={t('auth.name')} value={name} onChange={setName} autoComplete="name"
					error={fields.name} />
				<PasswordField id="password" label={t('auth.newPassword')} value={password} onChange={setPassword}
					autoComplete="new-password" error={fields.password} />
				<p className="muted text-sm mt-0">{t('auth.passwordRule')}</p>
				<Button type="submit" label={t('auth.join')} icon="pi pi-check" loading={busy} className="w-full" />
			</form>
			<p className="text-center mt-4 mb-0"><Link to="/auth/login">{t('auth.login')}</Link></p>
		</AuthCard>
	);
}
