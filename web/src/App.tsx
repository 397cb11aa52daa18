/*
 * Routes. Full pages (sign-in, errors, landing) stand alone; every other
 * page is inside the layout and needs a session. Each page is its own
 * chunk (React.lazy). A 401 from any call, or the realtime connection
 * saying the session ended, returns to /auth/login?returnTo=<the page>.
 */
import { ProgressSpinner } from 'primereact/progressspinner';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { setUnauthorizedHandler } from './api/client';
import { MENU } from './layout/menu';
import type { UiKitPage } from './pages/uikit/UiKit';
import { useAuth } from './stores/auth';

// the layout too: the sign-in pages load none of it
const loadLayout = () => import('./layout/AppLayout');
const AppLayout = lazy(loadLayout);
const Login = lazy(() => import('./pages/auth/Login'));
const Signup = lazy(() => import('./pages/auth/Signup'));
const AcceptInvite = lazy(() => import('./pages/auth/AcceptInvite'));
const Access = lazy(() => import('./pages/auth/Access'));
const ErrorPage = lazy(() => import('./pages/auth/Error'));
const Landing = lazy(() => import('./pages/Landing'));
const NotFound = lazy(() => import('./pages/NotFound'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Profile = lazy(() => import('./pages/Profile'));
const About = lazy(() => import('./pages/About'));
const Settings = lazy(() => import('./pages/Settings'));
const Notifications = lazy(() => import('./pages/Notifications'));
const Instances = lazy(() => import('./pages/Instances'));
const Events = lazy(() => import('./pages/Events'));
const Messages = lazy(() => import('./pages/Messages'));
const Webhooks = lazy(() => import('./pages/Webhooks'));
const SmartBot = lazy(() => import('./pages/smartbot/SmartBot'));
const CampaignPages = lazy(() => import('./pages/campaigns'));
const ContactPages = lazy(() => import('./pages/contacts'));
const Reports = lazy(() => import('./pages/reports'));
const Interactive = lazy(() => import('./pages/interactive'));
const UiKit = lazy(() => import('./pages/uikit/UiKit'));

// the UI kit's routes are its menu section's entries
const UIKIT_PAGES = MENU.find((s) => s.key === 'uikit')?.items.map((i) => i.key as UiKitPage) ?? [];

function Loading() {
	return (
		<div className="flex justify-content-center p-6" role="status" aria-live="polite">
			<ProgressSpinner style={{ width: '3rem', height: '3rem' }} strokeWidth="4" aria-label="Loading" />
		</div>
	);
}

export function returnPath(loc: { pathname: string; search: string }): string {
	return `/auth/login?returnTo=${encodeURIComponent(loc.pathname + loc.search)}`;
}

/* The session is asked for (GET /me) only here: the sign-in pages never probe it. */
function RequireSession({ children }: { children: ReactNode }) {
	const status = useAuth((s) => s.status);
	const load = useAuth((s) => s.load);
	const loc = useLocation();
	useEffect(() => {
		if (status !== 'unknown') return;
		void loadLayout(); // fetched while the session is asked for, not after
		void load();
	}, [status, load]);
	if (status === 'unknown') return <Loading />;
	if (status === 'out') return <Navigate to={returnPath(loc)} replace />;
	return <>{children}</>;
}

export default function App() {
	const signedOut = useAuth((s) => s.signedOut);
	const navigate = useNavigate();

	useEffect(() => {
		setUnauthorizedHandler(() => {
			signedOut();
			const loc = window.location;
			if (!loc.pathname.startsWith('/auth/')) navigate(returnPath(loc), { replace: true });
		});
	}, [navigate, signedOut]);

	return (
		<Suspense fallback={<Loading />}>
			<Routes>
				<Route path="/auth/login" element={<Login />} />
				<Route path="/auth/signup" element={<Signup />} />
				<Route path="/accept-invite" element={<AcceptInvite />} />
				<Route path="/auth/access" element={<Access />} />
				<Route path="/auth/error" element={<ErrorPage />} />
				<Route path="/landing" element={<Landing />} />
				<Route path="/pages/notfound" element={<NotFound />} />
				<Route element={<RequireSession><AppLayout /></RequireSession>}>
					<Route path="/" element={<Navigate to="/dashboard" replace />} />
					<Route path="/dashboard" element={<Dashboard />} />
					<Route path="/profile" element={<Profile />} />
					<Route path="/about" element={<About />} />
					<Route path="/settings" element={<Settings />} />
					<Route path="/notifications" element={<Notifications />} />
					<Route path="/instances" element={<Instances />} />
					<Route path="/events" element={<Events />} />
					<Route path="/messages" element={<Messages />} />
					<Route path="/settings/webhooks" element={<Webhooks />} />
					<Route path="/smartbot" element={<SmartBot />} />
					<Route path="/campaigns" element={<CampaignPages view="list" />} />
					<Route path="/campaigns/new" element={<CampaignPages view="new" />} />
					<Route path="/campaigns/:id" element={<CampaignPages view="detail" />} />
					<Route path="/contacts" element={<ContactPages view="contacts" />} />
					<Route path="/contacts/lists" element={<ContactPages view="lists" />} />
					<Route path="/contacts/lists/:id" element={<ContactPages view="list" />} />
					<Route path="/contacts/opt-outs" element={<ContactPages view="optouts" />} />
					<Route path="/reports" element={<Reports />} />
					<Route path="/interactive" element={<Interactive />} />
					{UIKIT_PAGES.map((p) => <Route key={p} path={`/uikit/${p}`} element={<UiKit page={p} />} />)}
				</Route>
				<Route path="*" element={<NotFound />} />
			</Routes>
		</Suspense>
	);
}
