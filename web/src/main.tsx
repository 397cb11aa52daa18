import { PrimeReactProvider } from 'primereact/api';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import 'primeflex/primeflex.css';
import 'primeicons/primeicons.css';
import 'primereact/resources/primereact.min.css';
import { A11Y_PT } from './a11y';
import App from './App';
import './i18n';
import { applyPreferences, bootPreferences } from './stores/settings';
import './styles/layout.css';

applyPreferences(bootPreferences());

createRoot(document.getElementById('root') as HTMLElement).render(
	<StrictMode>
		<PrimeReactProvider value={{ ripple: false, pt: A11Y_PT }}>
			<BrowserRouter>
				<App />
			</BrowserRouter>
		</PrimeReactProvider>
	</StrictMode>,
);
