// End-to-end: the caseworkers' page in headless Chromium against a real `qreg serve` (see
// harness.mjs), with the sample exports of ../shared/formats imported and matched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formats, Registry, shot, signIn } from './harness.mjs';

const registry = new Registry();
const { tokens, tokenIds } = registry;
const withPage = (name, body) => registry.withPage(name, body);

before(() => registry.setUp(() => {
  const { db, dir } = registry;
  registry.importSamples();
  // One more BA record: Hassan Ali Abbas with the birth year mistyped (1964 for 1963), which the
  // matching model puts into the review queue rather than linking it outright.
  const baHeader = readFileSync(path.join(formats, 'ba_export_sample.csv'), 'latin1').split('\r\n')[0];
  const typo = path.join(dir, 'ba_typo.csv');
  writeFileSync(typo, `${baHeader}\r\n111A000001;Abbas;Hassan Ali;;14.03.1964;${';'.repeat(20)}01.02.2026 10:00:00;\r\n`, 'latin1');
  registry.cli('import', '--db', db, '--format', 'ba-csv-v1', typo);
  registry.cli('dedup', '--db', db);
  registry.token('caseworker', 'caseworker', 'E2E Sachbearbeiterin');
  registry.token('revoked', 'caseworker', 'E2E Widerrufen');
}));

after(() => registry.tearDown());

async function openHasanAbbas(page) {
  await page.getByLabel('Name', { exact: true }).fill('Hasan Abbas');
  await page.getByLabel('Geburtsdatum', { exact: true }).fill('1963');
  await page.getByRole('button', { name: 'Suchen' }).click();
  const rows = page.locator('#search-results tbody tr');
  await rows.first().waitFor();
  const first = rows.first();
  assert.match(await first.innerText(), /abb?as/i);
  assert.match(await first.innerText(), /\b1963\b/);
  await shot(page, 'search');
  await first.getByRole('link').click();
  await page.locator('#person-body section').first().waitFor();
  assert.match(await page.locator('#person-title').innerText(), /ABBAS/);
  assert.match(page.url(), /#person\/\d+$/);
  await shot(page, 'profile');
}

function recordRows(page) {
  return page.locator('section[aria-labelledby="cat-records"] tbody tr');
}

test('the page is German and loads only its own files', async () => {
  await withPage('page', async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await page.title(), 'qreg – Register der Qualifikationen');
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    const response = await page.request.get(registry.baseUrl);
    assert.match(response.headers()['content-security-policy'], /script-src 'self';/);
    assert.equal(await page.locator('script:not([src]), style, [style]').count(), 0);
  });
});

test('a bad token is refused with a visible error and nothing is kept', async () => {
  await withPage('bad-token', async (page) => {
    await signIn(page, 'qreg_not_a_token');
    const alert = page.getByRole('alert');
    await alert.getByText('Anmeldung fehlgeschlagen.').waitFor();
    await shot(page, 'bad-token');
    assert.match(await alert.innerText(), /unbekannt oder wurde widerrufen/);
    assert.ok(await page.locator('#user-box').isHidden());
    assert.ok(await page.locator('#view-signin').isVisible());
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });
});

test('a caseworker signs in, finds a person, reads the profile and the review queue, signs out', async () => {
  await withPage('caseworker', async (page) => {
    await signIn(page, tokens.caseworker);
    await page.getByRole('heading', { name: 'Personensuche', level: 1 }).waitFor();
    assert.equal(await page.locator('#user-name').innerText(), 'E2E Sachbearbeiterin');
    assert.equal(await page.locator('#user-role').innerText(), 'Sachbearbeitung');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('qreg.token')), tokens.caseworker);

    await openHasanAbbas(page);
    for (const title of ['Identität', 'Kennungen', 'Anschrift', 'Schule', 'Berufsausbildung', 'Hochschule',
                         'Berufserfahrung', 'Sprachen', 'Anerkennung', 'Integrationskurs', 'Datensätze']) {
      await page.getByRole('heading', { name: title, level: 2, exact: true }).waitFor();
    }
    const family = page.locator('section[aria-labelledby="cat-identity"] tbody tr')
      .filter({ has: page.locator('th', { hasText: /^Familienname$/ }) });
    assert.equal(await family.count(), 1);
    assert.match(await family.locator('td.value').innerText(), /abbas/i);
    const sources = family.locator('td').nth(1).locator('.sources li');
    assert.ok(await sources.count() >= 1, 'the family name names its sources');
    assert.match(await sources.first().innerText(), /^(BA|Jobcenter|BAMF) \S+ · Stand \d/);

    const conflicts = await page.locator('#person-body tr.conflict').count();
    const records = await recordRows(page).count();
    assert.ok(conflicts >= 1 || records >= 2, `conflicts ${conflicts}, records ${records}`);
    if (conflicts > 0) {
      const row = page.locator('#person-body tr.conflict').first();
      assert.match(await row.locator('.badge.warn').innerText(), /Abweichung/);
      assert.ok(await row.locator('.alternatives .sources li').count() >= 1);
    }

    await page.getByRole('navigation').getByRole('link', { name: 'Prüfliste' }).click();
    await page.getByRole('heading', { name: 'Prüfliste', level: 1 }).waitFor();
    const count = page.locator('#review-count');
    await count.waitFor();
    const items = page.locator('article.review-item');
    await shot(page, 'review');
    if (await items.count() === 0) {
      assert.equal(await count.innerText(), 'Keine offenen Prüffälle.');
    } else {
      const item = items.first();
      await item.getByRole('table').getByText('Vergleich Merkmal für Merkmal').waitFor();
      assert.ok(await item.locator('tbody tr').count() >= 1);
      await item.getByRole('button', { name: 'Verknüpfen' }).waitFor();
      await item.getByRole('button', { name: 'Getrennt halten' }).click();
      await page.getByRole('status').getByText(/entschieden: getrennt gehalten/).waitFor();
      assert.match(await item.innerText(), /getrennt gehalten/);
    }

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Sie wurden abgemeldet.').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.locator('#person-body *, #search-results *, #review-body *').count(), 0);
  });
});

test('a caseworker splits a record off and merges it back; an unknown person is an error', async () => {
  await withPage('corrections', async (page) => {
    await signIn(page, tokens.caseworker);
    await openHasanAbbas(page);
    const before = await recordRows(page).count();
    if (before < 2) return;  // nothing to split; the profile test above already failed then
    const personUrl = page.url();

    await recordRows(page).last().getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Ausgewählte Datensätze abtrennen' }).click();
    await page.getByRole('button', { name: 'Ja, abtrennen' }).click();
    const status = page.getByRole('status');
    await status.getByText(/Abgetrennt/).waitFor();
    const newId = (await status.getByRole('link').innerText()).replace(/\D/g, '');
    assert.match(newId, /^\d+$/);
    await page.waitForFunction((n) => document.querySelectorAll(
      'section[aria-labelledby="cat-records"] tbody tr').length === n, before - 1);

    await page.getByLabel('Person-Nr. der anderen Person').fill('999999');
    await page.getByRole('button', { name: 'Zusammenführen' }).click();
    await page.getByRole('button', { name: 'Ja, zusammenführen' }).click();
    await page.getByRole('alert').getByText('Das Zusammenführen ist fehlgeschlagen.').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Nicht gefunden/);

    await page.getByLabel('Person-Nr. der anderen Person').fill(newId);
    await page.getByRole('button', { name: 'Zusammenführen' }).click();
    await page.getByRole('button', { name: 'Ja, zusammenführen' }).click();
    await status.getByText(/Zusammengeführt/).waitFor();
    assert.equal(await recordRows(page).count(), before);
    assert.equal(page.url(), personUrl);
  });
});

test('a token revoked during the session signs the caseworker out with a message', async () => {
  await withPage('revoked', async (page) => {
    await signIn(page, tokens.revoked);
    await page.getByRole('heading', { name: 'Personensuche', level: 1 }).waitFor();
    registry.cli('token', 'revoke', '--db', registry.db, '--id', tokenIds.revoked);
    await page.getByLabel('Name', { exact: true }).fill('Hasan Abbas');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('alert').getByText('Ihre Anmeldung gilt nicht mehr.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.locator('#search-results *').count(), 0);
  });
});
