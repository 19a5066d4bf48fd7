// End-to-end: the data officers' views of the page in headless Chromium against a real
// `qreg serve` (see harness.mjs): the audit log with filters and paging, the latest signed
// checkpoint, and a person's disclosures with the printable Art. 15 report. The disclosures
// come from the real API: a caseworker records a consent, the BA pulls under it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, shot, signIn } from './harness.mjs';

const registry = new Registry();
const { tokens } = registry;
const withPage = (name, body) => registry.withPage(name, body);

// Olena Melnyk: in the samples of all three agencies.
const baId = '131R942158';
const searches = 24;  // by the caseworker, besides the one that finds Olena Melnyk
let person;
let consent;

before(async () => {
  await registry.setUp(() => {
    registry.importSamples();
    registry.cli('dedup', '--db', registry.db);
    registry.token('caseworker', 'caseworker', 'E2E Sachbearbeiterin');
    registry.token('data-officer', 'data-officer', 'E2E Datenschutz');
    registry.token('agency', 'agency', 'E2E Arbeitsagentur', 'ba-muenchen');
  });
  const found = await registry.api('caseworker', 'GET', `/v1/persons?identifier=${baId}`);
  person = found.results[0].person_id;
  const today = new Date().toISOString().slice(0, 10);
  const made = await registry.api('caseworker', 'POST', `/v1/persons/${person}/consents`, {
    recipient: 'ba-muenchen',
    categories: ['identity', 'languages'],
    purpose: 'Arbeitsvermittlung',
    legal_basis: 'consent',
    valid_from: today,
    valid_until: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    evidence: 'Formular in Akte 2026/17',
  });
  consent = made.consent_id;
  const looked = await registry.api('agency', 'GET', `/v1/shared/persons?identifier=${baId}`);
  assert.equal(looked.person_id, person);
  await registry.api('agency', 'GET', `/v1/shared/persons/${person}`);
  for (let i = 0; i < searches; ++i) {
    await registry.api('caseworker', 'GET', `/v1/persons?identifier=000000${String(i).padStart(4, '0')}`);
  }
});

after(() => registry.tearDown());

function auditRows(page) {
  return page.locator('#audit-results tbody tr');
}

// A local calendar day, `days` from today, as a date input takes it.
function day(days = 0) {
  const t = new Date();
  t.setDate(t.getDate() + days);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

async function searchAudit(page, { action = '', agency = '', personId = '', from = '', to = '' } = {}) {
  const form = page.locator('#audit-form');
  await form.getByLabel('Person-Nr.').fill(String(personId));
  await form.getByLabel('Aktion').selectOption(action);
  await form.getByLabel('Stelle', { exact: true }).fill(agency);
  await form.getByLabel('Von (Tag)').fill(from);
  await form.getByLabel('Bis (Tag, einschließlich)').fill(to);
  // The old answer goes at once (the search clears it before asking), the new one comes after.
  await page.getByRole('button', { name: 'Protokoll durchsuchen' }).click();
  await page.locator('#audit-results .loading').waitFor({ state: 'detached' });
  await page.locator('#audit-count').waitFor();
}

test('a data officer gets the audit log and disclosures, and nothing of the caseworkers', async () => {
  await withPage('officer-views', async (page) => {
    await signIn(page, tokens['data-officer']);
    await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();
    assert.equal(await page.locator('#user-role').innerText(), 'Datenschutz');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Prüfprotokoll' }).waitFor();
    await nav.getByRole('link', { name: 'Offenlegungen' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Personensuche' }).count(), 0);
    await page.goto(`${registry.baseUrl}#person/${person}`);
    await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();
    assert.equal(await page.locator('#person-body *').count(), 0);
  });
});

test('the latest signed checkpoint is shown with its size, root hash and time', async () => {
  await withPage('checkpoint', async (page) => {
    await signIn(page, tokens['data-officer']);
    const size = page.locator('#checkpoint-size');
    await size.waitFor();
    await shot(page, 'audit-checkpoint');
    const checkpoint = await registry.api('data-officer', 'GET', '/v1/audit/checkpoint');
    assert.equal(await size.innerText(), String(checkpoint.tree_size));
    assert.ok(checkpoint.tree_size > searches, `tree size ${checkpoint.tree_size}`);
    assert.equal(await page.locator('#checkpoint-root').innerText(), checkpoint.root_hash);
    assert.match(checkpoint.root_hash, /^[0-9a-f]{64}$/);
    assert.match(await page.locator('#checkpoint-time').innerText(), /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$/);
  });
});

test('the audit log filters by action, agency, person and days, and pages with "Weitere laden"', async () => {
  await withPage('audit', async (page) => {
    await signIn(page, tokens['data-officer']);
    await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();

    await searchAudit(page, { action: 'share.pull', agency: 'ba-muenchen' });
    await shot(page, 'audit-share-pull');
    assert.equal(await auditRows(page).count(), 2);
    for (const row of await auditRows(page).all()) {
      const text = await row.innerText();
      assert.match(text, /Abruf durch Behörde/);
      assert.match(text, /ba-muenchen/);
      assert.match(text, /Behörde \(Schnittstelle\)/);
      assert.match(text, new RegExp(`consent ${consent}`));
      assert.equal(await row.getByRole('link', { name: String(person), exact: true }).count(), 1);
    }
    assert.match(await page.locator('#audit-count').innerText(), /^2 Einträge angezeigt – alle passenden\.$/);
    assert.ok(await page.getByRole('button', { name: 'Weitere laden' }).isHidden());

    const none = async (filter) => {
      await searchAudit(page, filter);
      assert.equal(await page.locator('#audit-count').innerText(), 'Keine passenden Einträge.');
    };
    await none({ action: 'share.pull', agency: 'jobcenter-muenchen' });
    await searchAudit(page, { action: 'share.pull', personId: person, from: day(0), to: day(0) });
    assert.equal(await auditRows(page).count(), 2);
    await none({ action: 'share.pull', personId: person + 1000 });
    await none({ action: 'share.pull', from: day(1) });
    await none({ action: 'share.pull', to: day(-1) });

    await searchAudit(page, { action: 'search' });
    const total = searches + 1;
    assert.equal(await auditRows(page).count(), 20);
    assert.match(await page.locator('#audit-count').innerText(), /^20 Einträge angezeigt – es gibt weitere\.$/);
    await page.getByRole('button', { name: 'Weitere laden' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('#audit-results tbody tr').length === n, total);
    assert.match(await page.locator('#audit-count').innerText(), new RegExp(`^${total} Einträge angezeigt – alle passenden\\.$`));
    assert.ok(await page.getByRole('button', { name: 'Weitere laden' }).isHidden());
    const seqs = await page.locator('#audit-results tbody th').allInnerTexts();
    assert.deepEqual([...seqs].map(Number), [...seqs].map(Number).sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, total);
    for (const text of await page.locator('#audit-results tbody tr td:nth-child(6)').allInnerTexts()) {
      assert.match(text, /^Personensuche\s+search$/);
    }
    await shot(page, 'audit-paged');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    assert.equal(await page.locator('#audit-results *, #checkpoint-body *').count(), 0);
  });
});

test("a person's disclosures are listed and open as the printable Art. 15 report", async () => {
  await withPage('disclosures', async (page) => {
    await signIn(page, tokens['data-officer']);
    await searchAudit(page, { action: 'share.pull' });
    await auditRows(page).first().getByRole('link', { name: String(person), exact: true }).click();
    await page.getByRole('heading', { name: 'Offenlegungen', level: 1 }).waitFor();
    assert.match(page.url(), new RegExp(`#offenlegungen/${person}$`));
    const rows = page.locator('#disclosures-body tbody tr');
    await rows.first().waitFor();
    await shot(page, 'disclosures');
    assert.equal(await rows.count(), 2);
    assert.equal(await page.locator('#disclosures-count').innerText(), '2 Offenlegungen, die ältesten zuerst.');
    const lookup = await rows.nth(0).innerText();
    assert.match(lookup, /ba-muenchen/);
    assert.match(lookup, /keine \(nur Person-Nr\.\)/);
    assert.match(lookup, /Suche nach Kennnummer/);
    const view = await rows.nth(1).innerText();
    for (const part of ['ba-muenchen', 'Identität', 'Sprachkenntnisse', 'Arbeitsvermittlung',
                        `Einwilligung Nr. ${consent}`, 'Abruf', 'Datenauszug (json)']) {
      assert.ok(view.includes(part), `"${part}" in ${view}`);
    }

    const [report] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Druckansicht (Art. 15) öffnen' }).click(),
    ]);
    await report.waitForLoadState();
    assert.match(report.url(), /^blob:/);
    await report.getByRole('heading', { name: 'Auskunft nach Art. 15 DSGVO – Offenlegungen', level: 1 }).waitFor();
    assert.equal(await report.getAttribute('html', 'lang'), 'de');
    for (const header of ['Empfänger', 'Zeitpunkt', 'Kategorien', 'Zweck', 'Rechtsgrundlage', 'Kanal', 'Art']) {
      await report.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    const reportRows = report.locator('tbody tr');
    assert.equal(await reportRows.count(), 2);
    const body = await reportRows.nth(1).innerText();
    for (const part of ['Agentur für Arbeit München', 'Identität', 'Sprachkenntnisse', 'Arbeitsvermittlung',
                        `Einwilligung Nr. ${consent}`, 'Abruf']) {
      assert.ok(body.includes(part), `"${part}" in the report: ${body}`);
    }
    // The inline style is applied: the page's policy, which the blob inherits, allows its hash.
    assert.equal(await report.locator('table').evaluate((t) => getComputedStyle(t).borderCollapse), 'collapse');
    assert.equal(await report.locator('script').count(), 0);
    await shot(report, 'disclosure-report');
    await report.close();

    await page.locator('#view-disclosures').getByLabel('Person-Nr.', { exact: true }).fill('999999');
    await page.getByRole('button', { name: 'Offenlegungen anzeigen' }).click();
    await page.getByRole('heading', { name: 'Person-Nr. 999999', level: 2 }).waitFor();
    assert.equal(await page.locator('#disclosures-count').innerText(), 'Keine Offenlegungen erfasst.');
  });
});
