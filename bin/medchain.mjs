#!/usr/bin/env node
// The `medchain` command (SPEC §8). The command is TypeScript sharing the
// browser's core; tsx compiles it on the fly so there is no build step and no
// stale output to drift from the source.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
