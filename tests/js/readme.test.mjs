// Runs the README's JavaScript example, so the README never lies. The example is the first
// ```js (or ```javascript / ```mjs) block after the line `<!-- tested: readme-example -->`.
// It runs as an ES module at the repository root: it may import 'tend' or './pkg/index.js'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, node } from './helpers.mjs';

const MARKER = '<!-- tested: readme-example -->';

export function readmeExample(markdown) {
  const at = markdown.indexOf(MARKER);
  if (at < 0) return null;
  const m = /^```(?:js|javascript|mjs)[^\n]*\n([\s\S]*?)^```/m.exec(markdown.slice(at + MARKER.length));
  return m ? m[1] : null;
}

function runExample(code, what) {
  const file = path.join(ROOT, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const r = node([file]);
    assert.equal(r.status, 0, `${what} failed:\n${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, `${what} prints nothing`);
    return r.stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

test('the README example runs', () => {
  const readme = path.join(ROOT, 'README.md');
  assert.ok(existsSync(readme), 'README.md is missing');
  const code = readmeExample(readFileSync(readme, 'utf8'));
  assert.ok(code, `README.md has no \`\`\`js block after a line ${MARKER}`);
  const out = runExample(code, 'the README example');
  // A whole-line `// text` comment in the example is output it promises.
  const expected = [...code.matchAll(/^\/\/ (.+)$/gm)].map((x) => x[1]);
  assert.ok(expected.length > 0, 'the README example states its output');
  for (const line of expected) assert.ok(out.includes(line), `prints \`${line}\`, got:\n${out}`);
});

test("the npm package README's example runs and prints what it says", () => {
  const md = readFileSync(path.join(ROOT, 'pkg/README.md'), 'utf8');
  const m = /^```js\n([\s\S]*?)^```/m.exec(md);
  assert.ok(m, 'pkg/README.md has a ```js block');
  const out = runExample(m[1], 'the pkg/README.md example');
  // A trailing `// text` comment line in the example is the expected output.
  const expected = [...m[1].matchAll(/^\/\/ (.+)$/gm)].map((x) => x[1]);
  for (const line of expected) assert.ok(out.includes(line), `prints \`${line}\`, got:\n${out}`);
});

test('the example extractor', () => {
  const md = `# x\n\`\`\`js\nnot this\n\`\`\`\n${MARKER}\n\ntext\n\`\`\`js\nconsole.log(1);\n\`\`\`\n\`\`\`js\nnor this\n\`\`\`\n`;
  assert.equal(readmeExample(md), 'console.log(1);\n');
  assert.equal(readmeExample('```js\nx\n```'), null);
});
