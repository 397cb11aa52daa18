/* The seed's PageHeader: title (the page's h1), subtitle, badge and actions. */
import { Tag } from 'primereact/tag';
import { useEffect, type ReactNode } from 'react';

export default function PageHeader({ title, subtitle, badge, actions }: {
	title: string; subtitle?: string; badge?: string; actions?: ReactNode;
}) {
	useEffect(() => {
		document.title = `${title} · WaQtor`;
	}, [title]);
	return (
		<div className="page-header">
			<div>
				<h1>{title}{badge && <Tag value={badge} severity="success" />}</h1>
				{subtitle && <p>{subtitle}</p>}
			</div>
			{actions && <div className="actions">{actions}</div>}
		</div>
	);
}
