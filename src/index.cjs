// patchlit for require() (package.json exports["."].require; the build copies this file to
// dist/ beside the compiled index.js). patchlit is an ES module: it finds its files and starts
// its worker threads by import.meta.url, which a CommonJS build would not have. Node loads
// an ES module from require() itself since 20.19 (and 22.12), which this hands over: the
// very module `import` gives, the same functions and classes. An older Node cannot, and is
// told what to do instead of failing with ERR_REQUIRE_ESM.
'use strict';

if (!process.features.require_module) {
  throw new Error(`patchlit is an ES module, and require() loads one only on Node 20.19 or later (22.12 on Node 22); this is ${process.version}. Upgrade Node, or load it with import: const { run } = await import('patchlit')`);
}
module.exports = require('./index.js');
