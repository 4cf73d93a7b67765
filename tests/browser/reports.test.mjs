// The HTML reports in a real browser (Playwright with Debian's chromium): every table and figure of
// a tournament report with long strategy specs, a long session's report and a scenario report fits
// its page, so no column is hidden behind a scroll bar (the tournament ranking used to hide two).
// Pages are made with the real `parley` binary; screenshots go to PARLEY_ARTIFACTS.
//
// Environment and skips: harness.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, cli, launchBrowser, source } from './harness.mjs';

let browser;
let dir;

function parley(args) {
  const run = spawnSync(cli, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `parley ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-reports-'));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Opens a report at the width of a laptop and returns, for each table and figure that is wider
// than the box it sits in, a description; empty when everything fits.
async function overflowing(file, name, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: join(artifacts, `report-${name}-${width}.png`), fullPage: true });
  const found = await page.evaluate(() => {
    const out = [];
    const main = document.querySelector('main');
    if (main.scrollWidth > main.clientWidth + 1) out.push(`main ${main.scrollWidth} > ${main.clientWidth}`);
    const style = getComputedStyle(main);
    const right = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
    for (const table of document.querySelectorAll('table')) {
      const section = table.closest('section');
      const where = `table in #${section ? section.id : '?'}`;
      // Hidden behind its own scroll bar, or sticking out of the page's text column.
      if (table.scrollWidth > table.clientWidth + 1) out.push(`${where}: ${table.scrollWidth} > ${table.clientWidth}`);
      const edge = table.getBoundingClientRect().right;
      if (edge > right + 1) out.push(`${where} ends at ${edge.toFixed(0)} > ${right.toFixed(0)}`);
    }
    return out;
  });
  await context.close();
  return found;
}

test('a tournament report with long strategy specs fits the page', async () => {
  // The scenario's path is shown in the table: a deep checkout (CI's /check/work/main/...) once
  // pushed the table 3 px past the page at 1024 px, so the path here is deliberately long.
  const deep = join(dir, 'a-checkout-whose-path-is-long', 'of-the-kind-ci-machines-use', 'examples');
  mkdirSync(deep, { recursive: true });
  copyFileSync(join(source, 'examples', 'riverside.yaml'), join(deep, 'riverside.yaml'));
  const config = join(dir, 'tournament.yaml');
  writeFileSync(config, [
    `scenarios: [${JSON.stringify(join(deep, 'riverside.yaml'))}]`,
    'strategies: ["frequency_boulware(e=0.2,model=frequency,window=0.02,candidates=16)",',
    '  "bayesian_boulware(e=0.3,accept=combi)", "opening_tit_for_tat(mode=absolute)", hardliner]',
    'rounds: 20',
    'repetitions: 1',
    'seed: 5',
    '',
  ].join('\n'));
  const results = join(dir, 'results.csv');
  parley(['tournament', config, '-o', results, '--threads', '1', '--no-progress']);
  const page = join(dir, 'tournament.html');
  parley(['report', results, '-o', page]);
  for (const width of [1366, 1024]) {
    assert.deepEqual(await overflowing(page, 'tournament', width), [], `at ${width} px`);
  }
});

test('a long session report and a scenario report fit the page', async () => {
  const session = join(dir, 'session.html');
  parley(['negotiate', join(source, 'examples', 'riverside.yaml'), '--strategy', 'boulware',
    '--rounds', '150', '--seed', '3', '--report', session]);
  const scenario = join(dir, 'scenario.html');
  parley(['report', join(source, 'examples', 'ceasefire.yaml'), '-o', scenario]);
  for (const [file, name] of [[session, 'session'], [scenario, 'scenario']]) {
    assert.deepEqual(await overflowing(file, name, 1366), [], name);
  }
});
