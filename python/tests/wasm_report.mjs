// The WebAssembly analyze() of an export, for the Python tests to compare with tend.analyze:
//   node wasm_report.mjs <export.json> '<options JSON>'   → the report as JSON on stdout
// The export may be an envelope { asOf, policy, data }: its data is analysed with the options
// given here.
import { readFileSync } from 'node:fs';
import { analyze } from '../../pkg/index.js';

const [file, options] = process.argv.slice(2);
const text = JSON.parse(readFileSync(file, 'utf8'));
const data = text.data ?? text;
process.stdout.write(JSON.stringify(analyze(data, JSON.parse(options))));
