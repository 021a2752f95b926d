#!/usr/bin/env node
// The `medchain` command (SPEC §8). The command is TypeScript sharing the
// browser's core; tsx compiles it on the fly so there is no build step and no
// stale output to drift from the source.
import { tsImport } from 'tsx/esm/api';

// Output piped into a command that stops reading early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
