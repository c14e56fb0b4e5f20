#!/usr/bin/env node
// Runs the whole vitest suite and then refuses a green run in which an integration test was
// skipped: the integration suites (real runc, CRIU, Prometheus, gRPC over a socket) must RUN.
// Prints the plain closing line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

mkdirSync('.cache', { recursive: true });
const report = '.cache/vitest-report.json';
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CI: process.env.CI ?? 'true' },
});
let passed = 0, failed = 0, skipped = 0;
const skippedIntegration = [];
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') failed++;
      else {
        skipped++;
        if (file.name.includes('/test/integration/')) skippedIntegration.push(`${file.name}: ${t.fullName}`);
      }
    }
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed++; // a suite that failed to load
  }
} catch (e) {
  console.error(`run-tests: cannot read ${report}: ${e.message}`);
  process.exit(r.status || 1);
}
if (skippedIntegration.length > 0) {
  console.error(`run-tests: ${skippedIntegration.length} integration test(s) were skipped; integration suites must run:`);
  for (const s of skippedIntegration) console.error(`  ${s}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(r.status !== 0 ? r.status || 1 : skippedIntegration.length > 0 ? 1 : 0);
