// See https://svelte.dev/docs/kit/types#app.d.ts
// for information about these interfaces
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}

	/**
	 * The public part of the deployment configuration (scripts/deploy-config.mjs),
	 * compiled in by vite.config.ts's `define`; undefined where the code is
	 * bundled without Vite (esbuild test pages). Read it through
	 * src/lib/app/deployment.ts.
	 */
	const __MEDCHAIN_DEPLOYMENT__: { readonly relays: readonly string[]; readonly stun: readonly string[]; readonly loopbackRelays: boolean } | undefined;
}

export {};
