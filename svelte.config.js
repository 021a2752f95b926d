import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Content-Security-Policy for the app shell.
 *
 * SvelteKit writes this into the built index.html as a
 * `<meta http-equiv="content-security-policy">` tag and, in `hash` mode, adds
 * the sha256 of its own inline bootstrap script to `script-src`.
 * `frame-ancestors` is ignored in a meta tag (SvelteKit drops it), so the real
 * protection against framing comes from the HTTP header sent by
 * scripts/serve.mjs, which uses the same policy (tests/unit/serve.test.ts
 * checks that the two agree).
 *
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const csp = {
	'default-src': ['self'],
	// The miner's WebAssembly kernel (issue 7); allows no JavaScript eval.
	'script-src': ['self', 'wasm-unsafe-eval'],
	'style-src': ['self'],
	// Inline style *attributes* only (never <style> elements): SvelteKit's
	// route announcer is rendered with a static style="..." attribute.
	'style-src-attr': ['unsafe-inline'],
	'connect-src': ['self', 'ws://127.0.0.1:*', 'ws://localhost:*'],
	'img-src': ['self', 'data:', 'blob:'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'frame-ancestors': ['none']
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: 'index.html',
			precompress: false,
			strict: true
		}),
		// Our own registration (src/lib/app/pwa/register.ts) drives the update prompt.
		serviceWorker: { register: false },
		csp: {
			mode: 'hash',
			directives: csp
		}
	}
};

export default config;
