/*
 * Vitest setup: the component tests talk to the real stack that
 * tests/e2e/run.py started (WQ_URL). In jsdom, the page's relative fetches
 * go to that stack, and the session cookie is kept as a browser would
 * (one jar per test file), with the Origin header a browser sends.
 */
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { jar, stackFetch } from './stack';

if (typeof window !== 'undefined') {
	globalThis.fetch = stackFetch(jar);
	afterEach(() => cleanup());
}
