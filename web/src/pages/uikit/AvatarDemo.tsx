import { Avatar } from 'primereact/avatar';
import { AvatarGroup } from 'primereact/avatargroup';
import { Badge } from 'primereact/badge';
import { useAuth } from '../../stores/auth';
import { useSettings } from '../../stores/settings';
import UserAvatar from '../../components/UserAvatar';
import { Section } from './UiKit';

const TEAL = { backgroundColor: '#0f766e', color: '#ffffff' };

export default function AvatarDemo() {
	const user = useAuth((s) => s.user);
	const gravatar = useSettings((s) => s.preferences.use_gravatar);
	return (
		<>
			<Section title="Label and circle (no picture)">
				<div className="flex flex-wrap gap-3 align-items-center">
					<Avatar label="A" shape="circle" style={TEAL} role="img" aria-label="A" />
					<Avatar label="B" shape="circle" size="large" style={TEAL} role="img" aria-label="B" />
					<Avatar label="C" shape="circle" size="xlarge" style={TEAL} role="img" aria-label="C" />
					<Avatar icon="pi pi-user" shape="circle" size="large" role="img" aria-label="User" />
				</div>
			</Section>
			<Section title="Yours (image and circle once you upload one)">
				<div className="flex flex-wrap gap-3 align-items-center">
					{user && <UserAvatar user={user} useGravatar={gravatar} size="xlarge" />}
					{user && <UserAvatar user={user} useGravatar={gravatar} size="xlarge" className="p-overlay-badge">
						<Badge value="4" severity="danger" /></UserAvatar>}
				</div>
			</Section>
			<Section title="Group">
				<AvatarGroup>
					{['A', 'M', 'N', 'S'].map((l) => <Avatar key={l} label={l} shape="circle" size="large" style={TEAL} role="img" aria-label={l} />)}
					<Avatar label="+2" shape="circle" size="large" role="img" aria-label="2 more" />
				</AvatarGroup>
			</Section>
		</>
	);
}
