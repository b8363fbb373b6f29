#!/usr/bin/env node
// The operator CLI (`npx lakegate emr ...`). The commands are TypeScript under src/cli, run through
// tsx as `npm start` runs the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
