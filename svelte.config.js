import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { connectSources, loadDeploymentConfig } from './scripts/deploy-config.mjs';
import { cspDirectives, kitDirectives } from './scripts/csp.mjs';

/**
 * The Content-Security-Policy of this build: medchain.config.json and
 * MEDCHAIN_* at build time decide the relays. SvelteKit writes it into the
 * built index.html as a <meta> tag and, in `hash` mode, adds the sha256 of
 * its inline bootstrap script; scripts/serve.mjs sends the same policy
 * (scripts/csp.mjs, one function for both) as a header, with
 * `frame-ancestors`, which SvelteKit leaves out of a <meta> tag.
 */
export const csp = kitDirectives(cspDirectives(connectSources(loadDeploymentConfig())));

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
