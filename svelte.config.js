import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { connectSources, loadDeploymentConfig } from './scripts/deploy-config.mjs';

/** @typedef {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>} CspDirectives */
/** @typedef {NonNullable<CspDirectives['connect-src']>[number]} CspSource */

/**
 * A CSP source as SvelteKit takes it: keywords without their quotes
 * (`self`), which SvelteKit quotes again when it writes the policy.
 * @param {string} source as it appears in a policy, e.g. `'self'` or `wss://relay.example`
 * @returns {CspSource}
 */
function kitSource(source) {
	return /** @type {CspSource} */ (source.replace(/^'(.*)'$/, '$1'));
}

/**
 * Content-Security-Policy for the app shell, given the page's `connect-src`
 * sources (`connectSources` of the deployment configuration,
 * scripts/deploy-config.mjs: itself and exactly the configured relays).
 *
 * SvelteKit writes this into the built index.html as a
 * `<meta http-equiv="content-security-policy">` tag and, in `hash` mode, adds
 * the sha256 of its own inline bootstrap script to `script-src`.
 * `frame-ancestors` is ignored in a meta tag (SvelteKit drops it), so the real
 * protection against framing comes from the HTTP header sent by
 * scripts/serve.mjs, which uses the same policy (tests/unit/serve.test.ts
 * checks that the two agree).
 *
 * @param {readonly string[]} connect
 * @returns {CspDirectives}
 */
export function cspDirectives(connect) {
	return {
		'default-src': ['self'],
		// The miner's WebAssembly kernel (issue 7); allows no JavaScript eval.
		'script-src': ['self', 'wasm-unsafe-eval'],
		'style-src': ['self'],
		// Inline style *attributes* only (never <style> elements): SvelteKit's
		// route announcer is rendered with a static style="..." attribute.
		'style-src-attr': ['unsafe-inline'],
		'connect-src': connect.map(kitSource),
		'img-src': ['self', 'data:', 'blob:'],
		'object-src': ['none'],
		'base-uri': ['self'],
		'frame-ancestors': ['none']
	};
}

/** The policy of this build: medchain.config.json and MEDCHAIN_* at build time decide the relays. */
export const csp = cspDirectives(connectSources(loadDeploymentConfig()));

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// MEDCHAIN_BUILD_OUT: another folder for a build made for another deployment (the multi-site tests' own relays).
		// Builds share SvelteKit's working folder (.svelte-kit): run one at a time.
		adapter: adapter({
			pages: process.env.MEDCHAIN_BUILD_OUT ?? 'build',
			assets: process.env.MEDCHAIN_BUILD_OUT ?? 'build',
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
