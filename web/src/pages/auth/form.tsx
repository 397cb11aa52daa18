/*
 * Form fields with real labels, and the API's validation errors shown on
 * the field they name (400 validation_failed, 422 invalid_rule: details
 * maps each bad field to its message).
 */
import { InputText } from 'primereact/inputtext';
import { Password } from 'primereact/password';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/client';

export type FieldErrors = Record<string, string>;

/* the codes whose details map fields to their reasons (a SmartBot rule's bad regex is invalid_rule) */
const FIELD_CODES = new Set(['validation_failed', 'invalid_rule']);

export function fieldErrors(e: unknown): { fields: FieldErrors; message: string } {
	const fields: FieldErrors = {};
	if (e instanceof ApiError && FIELD_CODES.has(e.code) && e.details && typeof e.details === 'object')
		for (const [field, message] of Object.entries(e.details as Record<string, unknown>))
			if (typeof message === 'string') fields[field] = message;
	return { fields, message: e instanceof Error ? e.message : String(e) };
}

/**
 * A form's submission: `action` runs on submit; while it runs `busy`; if it
 * fails, its message in `error` and each field's in `fields`.
 */
export function useSubmit(action: () => Promise<void>) {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | null>(null);
	const [fields, setFields] = useState<FieldErrors>({});
	const onSubmit = (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		action().then(() => setFields({}), (err) => {
			const f = fieldErrors(err);
			setFields(f.fields);
			setError(f.message);
		}).finally(() => setBusy(false));
	};
	return { busy, error, fields, onSubmit };
}

export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
	return (
		<div className="field">
			<label htmlFor={id}>{label}</label>
			{children}
			{error && <small id={`${id}-error`} className="error" role="alert">{error}</small>}
		</div>
	);
}

export function TextField({ id, label, value, onChange, error, type = 'text', autoComplete, required = true, dir }: {
	id: string; label: string; value: string; onChange: (v: string) => void; error?: string; type?: string;
	autoComplete?: string; required?: boolean; dir?: string;
}) {
	return (
		<Field id={id} label={label} error={error}>
			<InputText id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} required={required}
				autoComplete={autoComplete} invalid={!!error} aria-invalid={!!error} dir={dir}
				aria-describedby={error ? `${id}-error` : undefined} />
		</Field>
	);
}

export function PasswordField({ id, label, value, onChange, error, autoComplete, feedback = false }: {
	id: string; label: string; value: string; onChange: (v: string) => void; error?: string; autoComplete: string;
	feedback?: boolean;
}) {
	return (
		<Field id={id} label={label} error={error}>
			<Password inputId={id} value={value} onChange={(e) => onChange(e.target.value)} toggleMask feedback={feedback}
				required autoComplete={autoComplete} invalid={!!error} aria-invalid={!!error}
				aria-describedby={error ? `${id}-error` : undefined} />
		</Field>
	);
}
