// Runs the READMEs' JavaScript examples, so they never lie. README.md's example is the first
// ```js (or ```javascript / ```mjs) block after the line `<!-- tested: readme-example -->`;
// pkg/README.md's are all its ```js blocks (but those marked ```js browser). Each runs as an ES
// module at the repository root: it may import 'tend-crm' or './pkg/index.js'.
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
  assert.doesNotMatch(code, /from ['"]tend(\/core)?['"]/, "README.md's example imports the old name 'tend': the package is 'tend-crm'");
  const out = runExample(code, 'the README example');
  // A whole-line `// text` comment in the example is output it promises.
  const expected = [...code.matchAll(/^\/\/ (.+)$/gm)].map((x) => x[1]);
  assert.ok(expected.length > 0, 'the README example states its output');
  for (const line of expected) assert.ok(out.includes(line), `prints \`${line}\`, got:\n${out}`);
});

/** The ```js blocks of a markdown text, but those whose info string says `browser`. */
export function jsBlocks(markdown) {
  return [...markdown.matchAll(/^```js([^\n]*)\n([\s\S]*?)^```/gm)].filter((m) => !/\bbrowser\b/.test(m[1])).map((m) => m[2]);
}

test("the npm package README's examples run and print what they say", () => {
  const md = readFileSync(path.join(ROOT, 'pkg/README.md'), 'utf8');
  const blocks = jsBlocks(md);
  assert.ok(blocks.length >= 3, 'pkg/README.md has ```js examples');
  assert.match(blocks[0], /Tend\.load\(/, 'the first example is the engine');
  blocks.forEach((code, i) => {
    const what = `pkg/README.md example ${i + 1}`;
    assert.match(code, /from 'tend-crm(\/core)?'/, `${what} imports the package by its name`);
    const out = runExample(code, what);
    // A whole-line `// text` comment in the example is output it promises.
    const expected = [...code.matchAll(/^\/\/ (.+)$/gm)].map((x) => x[1]);
    assert.ok(expected.length > 0, `${what} states its output`);
    for (const line of expected) assert.ok(out.split('\n').includes(line), `${what} prints \`${line}\`, got:\n${out}`);
  });
});

test('the example extractor', () => {
  const md = `# x\n\`\`\`js\nnot this\n\`\`\`\n${MARKER}\n\ntext\n\`\`\`js\nconsole.log(1);\n\`\`\`\n\`\`\`js\nnor this\n\`\`\`\n`;
  assert.equal(readmeExample(md), 'console.log(1);\n');
  assert.equal(readmeExample('```js\nx\n```'), null);
  assert.deepEqual(jsBlocks('```js\na\n```\n```js browser\nb\n```\n```sh\nc\n```\n```js\nd\n```\n'), ['a\n', 'd\n']);
});
