'use strict';
// eslint-plugin-import's resolver for this repo's TypeScript: the sources import each other as
// `./file.js` (NodeNext), which names `./file.ts` on disk. Only relative imports are resolved here;
// packages fall through to the next resolver (node) in eslint.config.mjs.
const fs = require('node:fs');
const path = require('node:path');

const isFile = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

exports.interfaceVersion = 2;

exports.resolve = (source, file) => {
  if (!source.startsWith('.')) return { found: false };
  const target = path.resolve(path.dirname(file), source);
  const candidates = [
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    target,
    `${target}.ts`,
    path.join(target, 'index.ts'),
  ];
  const found = candidates.find(isFile);
  return found ? { found: true, path: found } : { found: false };
};
