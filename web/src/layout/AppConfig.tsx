/*
 * The layout configurator: theme, scale, menu mode, compact mode and
 * language, each saved to the user's preferences on the server.
 */
import { Button } from 'primereact/button';
import { InputSwitch } from 'primereact/inputswitch';
import { RadioButton } from 'primereact/radiobutton';
import { Sidebar } from 'primereact/sidebar';
import { useTranslation } from 'react-i18next';
import type { Preferences } from '../api/types';
import { LANGUAGES } from '../i18n';
import { useSettings } from '../stores/settings';
import { failed } from '../toast';

const SCALES = [12, 13, 14, 15, 16];

export function usePreferenceSaver() {
	const { t } = useTranslation();
	const save = useSettings((s) => s.savePreferences);
	return (p: Partial<Preferences>) => void save(p).catch((e) => failed(t('settings.saveFailed'), e));
}

export function Choice<T extends string>({ name, value, options, onChange }: {
	name: string; value: T; options: { value: T; label: string }[]; onChange: (v: T) => void;
}) {
	return (
		<div className="flex flex-wrap gap-3" role="radiogroup">
			{options.map((o) => (
				<div key={o.value} className="flex align-items-center gap-2">
					<RadioButton inputId={`${name}-${o.value}`} name={name} value={o.value} checked={value === o.value}
						onChange={() => onChange(o.value)} />
					<label htmlFor={`${name}-${o.value}`}>{o.label}</label>
				</div>
			))}
		</div>
	);
}

export default function AppConfig({ visible, onHide }: { visible: boolean; onHide: () => void }) {
	const { t } = useTranslation();
	const p = useSettings((s) => s.preferences);
	const save = usePreferenceSaver();
	const rtl = p.language === 'ar';
	return (
		<Sidebar visible={visible} onHide={onHide} position={rtl ? 'left' : 'right'} header={t('config.title')}
			className="w-full sm:w-20rem">
			<h2 className="text-lg">{t('config.theme')}</h2>
			<Choice name="cfg-theme" value={p.theme} onChange={(theme) => save({ theme })} options={[
				{ value: 'light', label: t('config.light') }, { value: 'dark', label: t('config.dark') },
				{ value: 'system', label: t('config.system') }]} />
			<h2 className="text-lg mt-4">{t('config.scale')}</h2>
			<div className="flex align-items-center gap-2">
				<Button icon="pi pi-minus" text rounded aria-label={t('config.smaller')} disabled={p.scale <= SCALES[0]}
					onClick={() => save({ scale: p.scale - 1 })} />
				{SCALES.map((s) => (
					<i key={s} className={`pi pi-circle-fill ${s === p.scale ? 'text-primary' : 'text-300'}`}
						aria-hidden="true" />
				))}
				<span className="visually-hidden" aria-live="polite">{p.scale}px</span>
				<Button icon="pi pi-plus" text rounded aria-label={t('config.larger')}
					disabled={p.scale >= SCALES[SCALES.length - 1]} onClick={() => save({ scale: p.scale + 1 })} />
			</div>
			<h2 className="text-lg mt-4">{t('config.menuMode')}</h2>
			<Choice name="cfg-menu" value={p.menu_mode} onChange={(menu_mode) => save({ menu_mode })} options={[
				{ value: 'static', label: t('config.static') }, { value: 'overlay', label: t('config.overlay') }]} />
			<h2 className="text-lg mt-4">{t('config.language')}</h2>
			<Choice name="cfg-lang" value={p.language} onChange={(language) => save({ language })}
				options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))} />
			<div className="flex align-items-center gap-2 mt-4">
				<InputSwitch inputId="cfg-compact" checked={p.compact_mode}
					onChange={(e) => save({ compact_mode: !!e.value })} />
				<label htmlFor="cfg-compact">{t('config.compact')}</label>
			</div>
		</Sidebar>
	);
}
