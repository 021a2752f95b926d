// The layer boundaries of docs/ARCHITECTURE.md as ESLint rule options
// (issue 14), used by eslint.config.js. A boundary is checked by ESLint's own
// `no-restricted-imports` (static imports and `export … from`) and, for
// `import()`, by `no-restricted-syntax`; both match the specifier text, so
// this module turns "files under A may not import from B" into regular
// expressions over the relative specifiers a file at each depth under A
// would write to reach B (and over `$lib/…`, SvelteKit's alias of src/lib).
import { builtinModules } from 'node:module';

/**
 * @typedef {object} Layer
 * @property {string} from      folder (from the repository root) whose files the rule binds
 * @property {string[]} [forbid] folders or module paths (from the root, without extension) they may not import
 * @property {boolean} [closed] when true, no relative or `$lib` import may leave `from` at all
 * @property {{ regex: string, what: string }[]} [packages] bare specifiers they may not import
 * @property {string} why       the reason, shown with every report
 */

/** Node's built-in modules, with or without `node:`: the core runs on Node and in browsers alike. */
const NODE_BUILTINS = {
  regex: `^(node:|(${builtinModules
    .filter((m) => !m.startsWith('_'))
    .map(escape)
    .join('|')})(/|$))`,
  what: "Node's built-in modules",
};

/** Modules that exist only on one platform or framework: sockets, IndexedDB, WebRTC, HTTP serving, Svelte and SvelteKit's runtime. */
const PLATFORM_PACKAGES = [
  NODE_BUILTINS,
  { regex: '^(ws|idb|simple-peer|sirv)(/|$)', what: 'platform packages (ws, idb, simple-peer, sirv)' },
  { regex: '^(svelte|@sveltejs/[^/]+)(/|$)', what: 'Svelte and SvelteKit' },
  { regex: '^\\$(app|env|service-worker)(/|$)', what: "SvelteKit's runtime modules ($app, $env, $service-worker)" },
];

const TESTS_WHY = 'shipped code imports nothing from tests/, so changing or deleting a test cannot break the app or the medchain command';

/** The boundaries, outermost first. A folder inside another also keeps the outer folder's rules. */
export const LAYERS = [
  { from: 'src', forbid: ['tests'], why: TESTS_WHY },
  { from: 'scripts', forbid: ['tests'], why: TESTS_WHY },
  { from: 'bin', forbid: ['tests'], why: TESTS_WHY },
  {
    from: 'src/lib/core',
    closed: true,
    packages: PLATFORM_PACKAGES,
    why: 'src/lib/core is the pure core: it imports only its own modules and pure packages, never adapters, the node runtime, the app, the simulator, the command line, routes or a platform API (docs/ARCHITECTURE.md)',
  },
  {
    from: 'src/lib/adapters',
    forbid: ['src/lib/node', 'src/lib/app', 'src/lib/sim', 'src/routes', 'src/cli'],
    why: 'adapters sit under the node runtime: they import the core, never the node runtime, the app, the simulator, routes or the command line (docs/ARCHITECTURE.md)',
  },
  {
    from: 'src/lib/node',
    forbid: ['src/lib/app', 'src/routes', 'src/lib/sim', 'src/cli'],
    why: 'the node runtime composes the core and adapters; the app, routes, the simulator and the command line use it, not the other way round (docs/ARCHITECTURE.md)',
  },
];

/** How many folders below a layer's own folder a file may sit and still be checked; a unit test (tests/unit/scripts/lint-layers.test.ts) finds none deeper. */
export const MAX_DEPTH = 8;

/** @param {string} text */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * `/` spelled so that esquery (no-restricted-syntax's selector language, which ends a regex at any `/`) reads it.
 * @param {string} regex
 */
function forSelector(regex) {
  return regex.replaceAll('\\/', '\\x2F').replaceAll('/', '\\x2F');
}

/**
 * Regular expressions (sources) matching every specifier that a file `depth`
 * folders below `from` would write to import `target` or anything under it:
 * `../` repeated up to a common ancestor, then down; `$lib/…` when the target
 * is in src/lib. `./…` never leaves the file's own folder, which is inside
 * `from`, and no target is inside its own layer.
 * @param {string} from
 * @param {number} depth
 * @param {string} target
 */
function reaching(from, depth, target) {
  const ancestors = from.split('/');
  const found = [];
  for (let up = 0; up <= ancestors.length; up++) {
    const base = ancestors.slice(0, ancestors.length - up).join('/');
    const rest = base === '' ? target : target.startsWith(`${base}/`) ? target.slice(base.length + 1) : null;
    if (rest !== null) found.push(`^(\\.\\./){${depth + up}}${escape(rest)}(/|\\.[a-z]+$|$)`);
  }
  if (target.startsWith('src/lib/')) found.push(`^\\$lib/${escape(target.slice('src/lib/'.length))}(/|\\.[a-z]+$|$)`);
  return found;
}

/**
 * Regular expressions matching every relative or `$lib` specifier that leaves
 * `from`, for a file `depth` folders below it: going up past `from` and not
 * coming back down into it.
 * @param {string} from
 * @param {number} depth
 */
function leaving(from, depth) {
  const ancestors = from.split('/');
  const found = [];
  for (let up = 1; up <= ancestors.length; up++) {
    const back = ancestors.slice(ancestors.length - up).join('/');
    found.push(`^(\\.\\./){${depth + up}}(?!\\.\\./|${escape(back)}(/|$))`);
  }
  found.push(`^(\\.\\./){${depth + ancestors.length + 1},}`);
  if (from.startsWith('src/lib/')) found.push(`^\\$lib/(?!${escape(from.slice('src/lib/'.length))}(/|$))`);
  else if (from !== 'src/lib' && from !== 'src') found.push('^\\$lib(/|$)');
  return found;
}

/**
 * The restrictions for a file `depth` folders below `from`, from every layer
 * that binds it (its own and the ones around it), as `{ regex, message }`.
 * @param {string} from
 * @param {number} depth
 */
function restrictionsAt(from, depth) {
  const binding = LAYERS.filter((l) => from === l.from || from.startsWith(`${l.from}/`));
  return binding.flatMap((layer) => {
    // Depth of the file below this (outer) layer's folder.
    const below = depth + (from === layer.from ? 0 : from.slice(layer.from.length + 1).split('/').length);
    const layerFrom = layer.from;
    const found = [
      ...(layer.forbid ?? []).flatMap((t) =>
        reaching(layerFrom, below, t).map((regex) => ({ regex, message: `${layerFrom} may not import ${t}: ${layer.why}.` })),
      ),
      ...(layer.closed ? leaving(layerFrom, below).map((regex) => ({ regex, message: `${layerFrom} may not import from outside itself: ${layer.why}.` })) : []),
      ...(layer.packages ?? []).map((p) => ({ regex: p.regex, message: `${layerFrom} may not import ${p.what}: ${layer.why}.` })),
    ];
    return found;
  });
}

/** File names ESLint checks here (a `.svelte.ts` module ends in `.ts` too). */
const SOURCES = '*.{ts,mts,js,mjs,cjs,svelte}';

/**
 * ESLint flat-config objects that enforce {@link LAYERS}: for each layer and
 * depth, the files at that depth and the restricted specifiers, static
 * (`no-restricted-imports`) and dynamic (`no-restricted-syntax` on
 * `import()`). Inner layers come after outer ones, so a file gets its
 * innermost layer's object, which also carries the outer layers' rules.
 * @returns {import('eslint').Linter.Config[]}
 */
export function layerConfigs() {
  const folders = [...new Set(LAYERS.map((l) => l.from))].sort((a, b) => a.split('/').length - b.split('/').length);
  return folders.flatMap((from) =>
    Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
      const found = restrictionsAt(from, depth);
      return {
        name: `medchain/layers/${from}/depth-${depth}`,
        files: [`${from}/${'*/'.repeat(depth)}${SOURCES}`],
        rules: {
          'no-restricted-imports': ['error', { patterns: found.map(({ regex, message }) => ({ regex, message })) }],
          'no-restricted-syntax': [
            'error',
            ...found.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${forSelector(regex)}/]`, message })),
          ],
        },
      };
    }),
  );
}
