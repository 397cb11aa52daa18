/* The frame of the sign-in pages: a centred card with the brand. */
import type { ReactNode } from 'react';
import { useEffect } from 'react';

export default function AuthCard({ title, children }: { title: string; children: ReactNode }) {
	useEffect(() => {
		document.title = `${title} · WaQtor`;
	}, [title]);
	return (
		<main className="full-page">
			<div className="card auth-card">
				<div className="brand"><img src="/logo.svg" alt="" width={40} height={40} /> WaQtor</div>
				<h1 className="text-2xl text-center mb-4">{title}</h1>
				{children}
			</div>
		</main>
	);
}
