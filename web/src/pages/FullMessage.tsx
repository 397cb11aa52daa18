/* A full page with one message: access denied, an error, not found. */
import { Button } from 'primereact/button';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';

export default function FullMessage({ icon, code, title, text, action, to }: {
	icon: string; code?: string; title: string; text: string; action: string; to: string;
}) {
	const navigate = useNavigate();
	useEffect(() => {
		document.title = `${title} · WaQtor`;
	}, [title]);
	return (
		<main className="full-page">
			<div className="card auth-card text-center">
				<i className={`${icon} text-primary`} style={{ fontSize: '3rem' }} aria-hidden="true" />
				{code && <div className="text-6xl font-bold mt-3" aria-hidden="true">{code}</div>}
				<h1 className="text-2xl mt-3">{title}</h1>
				<p className="muted">{text}</p>
				<Button label={action} icon="pi pi-arrow-left" onClick={() => navigate(to)} />
			</div>
		</main>
	);
}
