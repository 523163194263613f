#!/usr/bin/env node
import './openmp-defaults.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
// A command may have set its own code (an interrupted run: 130 / 143); an error overrides it.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
