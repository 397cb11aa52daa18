/*
 * English and Arabic through i18next. Switching the language also sets
 * <html lang dir>: Arabic turns the whole layout right-to-left (the layout
 * uses logical CSS properties, so nothing else changes).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import ar from './ar.json';
import en from './en.json';
import type { Language } from '../api/types';

export const LANGUAGES: { code: Language; label: string }[] = [
	{ code: 'en', label: 'English' },
	{ code: 'ar', label: 'العربية' },
];

void i18n.use(initReactI18next).init({
	resources: { en: { translation: en }, ar: { translation: ar } },
	lng: 'en',
	fallbackLng: 'en',
	interpolation: { escapeValue: false },
	returnNull: false,
});

export function applyLanguage(lang: Language): void {
	if (i18n.language !== lang) void i18n.changeLanguage(lang);
	const html = document.documentElement;
	html.lang = lang;
	html.dir = lang === 'ar' ? 'rtl' : 'ltr';
}

export default i18n;
