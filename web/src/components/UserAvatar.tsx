/*
 * The seed's avatar: the uploaded picture in a circle; without one, the
 * Gravatar of the e-mail if the user allowed it (d=404, so an address
 * without a Gravatar falls back), else the first letter in a circle.
 */
import { Avatar } from 'primereact/avatar';
import { useEffect, useState, type ReactNode } from 'react';
import type { User } from '../api/types';

export function initials(name: string): string {
	const first = [...name.trim()][0] ?? '?';
	return first.toLocaleUpperCase();
}

export function avatarImage(user: User, useGravatar: boolean): string | null {
	if (user.avatarUrl.startsWith('/')) return user.avatarUrl;
	if (useGravatar && user.avatarUrl.startsWith('https://www.gravatar.com/'))
		return user.avatarUrl.replace(/([?&])d=[^&]*/, '$1d=404');
	return null;
}

export default function UserAvatar({ user, useGravatar, size = 'normal', children, className }: {
	user: User; useGravatar: boolean; size?: 'normal' | 'large' | 'xlarge'; children?: ReactNode; className?: string;
}) {
	const image = avatarImage(user, useGravatar);
	const [broken, setBroken] = useState(false);
	useEffect(() => setBroken(false), [image]);
	if (image && !broken)
		return (
			<Avatar image={image} shape="circle" size={size} className={className} imageAlt={user.name}
				onImageError={() => setBroken(true)}>{children}</Avatar>
		);
	return (
		<Avatar label={initials(user.name)} shape="circle" size={size} className={className} role="img" aria-label={user.name}
			style={{ backgroundColor: '#0f766e', color: '#ffffff' }}>{children}</Avatar>
	);
}
