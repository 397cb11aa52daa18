/* The layout's Toast, for a page to say that something was saved or failed. */
import type { Toast, ToastMessage } from 'primereact/toast';
import { errorText } from './api/client';

let toast: Toast | null = null;

export function setToast(t: Toast | null): void {
	toast = t;
}

export function notify(m: ToastMessage): void {
	toast?.show({ life: 4000, ...m });
}

export function saved(summary: string): void {
	notify({ severity: 'success', summary });
}

export function failed(summary: string, e: unknown): void {
	notify({ severity: 'error', summary, detail: errorText(e), life: 8000 });
}
