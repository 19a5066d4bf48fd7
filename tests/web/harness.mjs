// What the web page's end-to-end tests share: a real `qreg serve` over TLS on loopback with the
// sample exports of ../shared/formats imported, tokens, headless Chromium (Debian's), and a
// page per test that fails on any script error or Content-Security-Policy violation.
// Environment: QREG_BINARY (default build/qreg), QREG_SHARED_DIR (default ../shared beside the
// repository), QREG_CHROMIUM (default /usr/bin/chromium), QREG_WEB_SHOTS (a folder: keep a
// screenshot of each step there). On failure a screenshot of the page is left in the test's
// temporary folder (its path is printed); the folder is kept then.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, request } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const qreg = path.resolve(process.env.QREG_BINARY || path.join(repo, 'build', 'qreg'));
const shared = path.resolve(process.env.QREG_SHARED_DIR || path.join(repo, '..', 'shared'));
const chromiumPath = process.env.QREG_CHROMIUM || '/usr/bin/chromium';
const shots = process.env.QREG_WEB_SHOTS;

export const formats = path.join(shared, 'formats');

export class Registry {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'qreg-web-'));
    this.db = path.join(this.dir, 'registry.db');
    this.tokens = {};    // key -> token
    this.tokenIds = {};  // key -> id, for `qreg token revoke`
    this.failed = false;
    this.server = null;
    this.browser = null;
    this.requests = null;
    this.baseUrl = null;
  }

  cli(...args) {
    return execFileSync(qreg, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  importSample(format, file) {
    this.cli('import', '--db', this.db, '--format', format, path.join(formats, file));
  }

  // The three agencies' sample exports.
  importSamples() {
    this.importSample('ba-csv-v1', 'ba_export_sample.csv');
    this.importSample('jobcenter-xml-v1', 'jobcenter_export_sample.xml');
    this.importSample('bamf-jsonl-v1', 'bamf_export_sample.jsonl');
  }

  // A token kept as tokens[key]; `agency` for role agency.
  token(key, role, name, agency) {
    const args = ['token', 'create', '--db', this.db, '--role', role, '--name', name];
    if (agency) args.push('--agency', agency);
    const made = spawnSync(qreg, args, { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    this.tokens[key] = made.stdout.split('\n')[0].trim();
    this.tokenIds[key] = /token (\d+) for/.exec(made.stderr)[1];
  }

  // Checks the tools, makes a TLS certificate, runs `prepare` (imports, tokens), starts the
  // server and the browser.
  async setUp(prepare) {
    assert.ok(existsSync(qreg), `no qreg binary at ${qreg} (build first, or set QREG_BINARY)`);
    assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (scripts/install-deps.sh chromium)`);
    execFileSync(path.join(repo, 'scripts', 'dev-cert.sh'), [path.join(this.dir, 'tls')], { stdio: 'ignore' });
    await prepare();
    await this.startServer();
    this.browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
    this.requests = await request.newContext({ baseURL: this.baseUrl, ignoreHTTPSErrors: true });
  }

  async startServer() {
    const portFile = path.join(this.dir, 'port');
    const log = path.join(this.dir, 'serve.log');
    const out = openSync(log, 'a');
    this.server = spawn(qreg, ['serve', '--db', this.db, '--listen', '127.0.0.1:0', '--threads', '2',
                               '--tls-cert', path.join(this.dir, 'tls', 'cert.pem'),
                               '--tls-key', path.join(this.dir, 'tls', 'key.pem'), '--port-file', portFile],
                        { stdio: ['ignore', out, out] });
    let exited = null;
    this.server.on('exit', (code) => { exited = code; });
    for (let i = 0; i < 600 && !existsSync(portFile); ++i) {
      if (exited !== null) throw new Error(`qreg serve exited (${exited}): ${readFileSync(log, 'utf8')}`);
      await sleep(50);
    }
    assert.ok(existsSync(portFile), `qreg serve wrote no port file: ${readFileSync(log, 'utf8')}`);
    this.baseUrl = `https://localhost:${readFileSync(portFile, 'utf8').trim()}/`;
  }

  async tearDown() {
    if (this.requests) await this.requests.dispose();
    if (this.browser) await this.browser.close();
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server.once('exit', resolve));
      this.server.kill('SIGTERM');
      await exited;
    }
    if (this.failed) console.log(`# kept ${this.dir} (screenshots, serve.log)`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  // An API call with the token tokens[key], as an agency or a caseworker would make it; the
  // parsed JSON answer. Fails the test on an error status.
  async api(key, method, target, data) {
    const res = await this.requests.fetch(target, {
      method,
      headers: { Authorization: `Bearer ${this.tokens[key]}` },
      data,
    });
    assert.ok(res.ok(), `${method} ${target}: ${res.status()} ${await res.text()}`);
    return res.json();
  }

  // A fresh browser context (empty sessionStorage) for one test; a screenshot when it fails,
  // and a failure for any script error or Content-Security-Policy violation on the page.
  async withPage(name, body) {
    const context = await this.browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = watchProblems(page);
    try {
      await page.goto(this.baseUrl);
      await body(page);
      assert.deepEqual(problems, []);
    } catch (err) {
      this.failed = true;
      const shot = path.join(this.dir, `${name}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      console.log(`# screenshot: ${shot}`);
      throw err;
    } finally {
      await context.close();
    }
  }
}

// Collects script errors and console errors (CSP violations among them) of `page`.
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('console', (msg) => {
    // A refused API call (401, 404) is logged by Chromium as a failed resource load: expected.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  return problems;
}

export async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

export async function signIn(page, token) {
  await page.getByLabel('Zugangstoken').fill(token);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}
