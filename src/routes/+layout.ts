// medchain is a static single-page app: every tab is a full node and all work
// happens in the browser. There is no server rendering and nothing is
// prerendered; adapter-static writes a single fallback index.html.
export const ssr = false;
export const prerender = false;
