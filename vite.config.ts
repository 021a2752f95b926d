import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { loadDeploymentConfig, publicDeployment } from './scripts/deploy-config.mjs';

/**
 * The deployment (issue 12, scripts/deploy-config.mjs): its public part is
 * compiled into the app as `__MEDCHAIN_DEPLOYMENT__` (read through
 * src/lib/app/deployment.ts), so the app offers and accepts exactly the
 * relays the page's Content-Security-Policy allows (svelte.config.js).
 */
const deploymentConfig = loadDeploymentConfig();
for (const warning of deploymentConfig.warnings) console.warn(`medchain: warning: ${warning}`);

/**
 * The PWA (SPEC §7, §9): a web app manifest with our own icons
 * (scripts/make-icons.mjs) and our own service worker (src/service-worker.ts,
 * built by SvelteKit), into which vite-plugin-pwa injects the precache list
 * of the app shell. Registration and the update prompt are ours too
 * (src/lib/app/pwa), so no inline script is needed under the strict CSP.
 */
const pwa = SvelteKitPWA({
	strategies: 'injectManifest',
	srcDir: 'src',
	filename: 'service-worker.ts',
	injectRegister: false,
	registerType: 'prompt',
	manifestFilename: 'manifest.webmanifest',
	manifest: {
		id: '/',
		name: 'medchain — medical records',
		short_name: 'medchain',
		description: 'Your medical records, encrypted on your device and shared only with the hospitals you allow.',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		background_color: '#fbfbf8',
		theme_color: '#1f6f6b',
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		]
	},
	injectManifest: {
		// wasm: the QR reader's ZXing (src/lib/app/ui/qr-zxing.ts), so a clinician can scan offline too.
		globPatterns: ['client/**/*.{js,css,svg,png,webmanifest,wasm}'],
		// The worker that runs the KDF holds argon2id (pure JS); keep it in the shell so login works offline.
		maximumFileSizeToCacheInBytes: 4 * 1024 * 1024
	},
	kit: {
		adapterFallback: 'index.html',
		spa: true,
		includeVersionFile: false
	}
});

export default defineConfig({
	plugins: [sveltekit(), pwa],
	define: {
		__MEDCHAIN_DEPLOYMENT__: JSON.stringify(publicDeployment(deploymentConfig))
	},
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		environment: 'node'
	}
});
