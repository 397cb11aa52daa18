import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [react()],
	test: {
		include: ['src/**/*.test.{ts,tsx}'],
		environment: 'jsdom',
		setupFiles: ['src/test/setup.ts'],
		testTimeout: 20000,
		pool: 'forks',
		reporters: ['default'],
		// jsdom cannot parse PrimeReact's @layer rules: not a finding
		onConsoleLog: (log) => !log.includes('Could not parse CSS stylesheet'),
	},
});
