// The caseworkers' and data officers' page: plain JavaScript against the qreg API
// (registry/http/openapi.json).
// Every piece of data reaches the DOM through textContent (el() below), never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'qreg.token';

  // What each role may do on this page; the server decides in the end (403).
  const ROLE_VIEWS = {
    caseworker: ['search', 'review'],
    'data-officer': ['audit', 'disclosures'],
    admin: [],
    agency: [],
  };
  const ROLE_NAMES = {
    caseworker: 'Sachbearbeitung',
    'data-officer': 'Datenschutz',
    admin: 'Administration',
    agency: 'Behörde (Schnittstelle)',
    operator: 'Betrieb (Kommandozeile)',
  };
  const SOURCE_NAMES = { ba: 'BA', jobcenter: 'Jobcenter', bamf: 'BAMF' };

  const CATEGORIES = [
    ['identity', 'Identität'],
    ['identifiers', 'Kennungen'],
    ['address', 'Anschrift'],
    ['school', 'Schule'],
    ['vocational_training', 'Berufsausbildung'],
    ['higher_education', 'Hochschule'],
    ['work_experience', 'Berufserfahrung'],
    ['languages', 'Sprachen'],
    ['recognition', 'Anerkennung'],
    ['integration_course', 'Integrationskurs'],
  ];
  // The data officer's views name categories as the printable Art. 15 report does
  // (registry/services/disclosure_report.cpp).
  const CATEGORY_NAMES = {
    identity: 'Identität',
    identifiers: 'Kennnummern',
    address: 'Anschrift',
    school: 'Schulbildung',
    vocational_training: 'Berufsausbildung',
    higher_education: 'Hochschulbildung',
    work_experience: 'Berufserfahrung',
    languages: 'Sprachkenntnisse',
    recognition: 'Anerkennung',
    integration_course: 'Integrationskurs',
  };
  const AUDIT_ACTIONS = [
    ['', 'alle Aktionen'],
    ['search', 'Personensuche'],
    ['profile.read', 'Profil gelesen'],
    ['share.pull', 'Abruf durch Behörde'],
    ['share.push', 'Übermittlung an Behörde'],
    ['consent.grant', 'Einwilligung erfasst'],
    ['consent.revoke', 'Einwilligung widerrufen'],
    ['subscription.create', 'Abonnement angelegt'],
    ['subscription.cancel', 'Abonnement beendet'],
    ['import', 'Import'],
    ['dedup', 'Abgleich'],
    ['review.decision', 'Prüfentscheidung'],
    ['merge', 'Zusammenführung'],
    ['split', 'Abtrennung'],
    ['token.create', 'Token erstellt'],
    ['token.revoke', 'Token widerrufen'],
    ['erase', 'Löschung (Art. 17)'],
  ];
  const CHANNELS = { pull: 'Abruf', push: 'Übermittlung' };
  const DISCLOSURE_KINDS = { lookup: 'Suche nach Kennnummer (nur Person-Nr.)', view: 'Datenauszug' };
  const AUDIT_PAGE_SIZE = 20;

  const LABELS = {
    family_name: 'Familienname',
    given_names: 'Vornamen',
    birth_name: 'Geburtsname',
    aliases: 'Aliasname',
    original_script: 'Name in Originalschrift',
    birth_date: 'Geburtsdatum',
    birthplace: 'Geburtsort',
    birth_country: 'Geburtsland',
    sex: 'Geschlecht',
    nationalities: 'Staatsangehörigkeit',
    ba_customer_number: 'BA-Kundennummer',
    bg_number: 'BG-Nummer',
    bamf_file_number: 'BAMF-Aktenzeichen',
    azr_number: 'AZR-Nummer',
    other_id: 'Weitere Kennung',
    street: 'Straße',
    house_number: 'Hausnummer',
    address_extra: 'Adresszusatz',
    postcode: 'PLZ',
    town: 'Ort',
    region: 'Region',
    isced_level: 'ISCED-Stufe',
    original_code: 'Originalcode',
    years: 'Jahre',
    country: 'Land',
    field: 'Fach',
    completed: 'Abgeschlossen',
    status: 'Status',
    original_status: 'Originalangabe',
    reference_occupation: 'Referenzberuf (KldB)',
    date: 'Datum',
    result: 'Ergebnis',
    kldb: 'KldB',
    title: 'Bezeichnung',
    code: 'Sprache',
    level: 'Niveau',
    original_level: 'Originalangabe',
    certificates: 'Zertifikate',
  };
  const CODES = {
    male: 'männlich',
    female: 'weiblich',
    diverse: 'divers',
    native: 'Muttersprache',
    completed: 'abgeschlossen',
    aborted: 'abgebrochen',
    no_certificate: 'ohne Abschluss',
    in_progress: 'laufend',
    not_completed: 'nicht abgeschlossen',
    applied: 'beantragt',
    equivalent: 'gleichwertig',
    partially_equivalent: 'teilweise gleichwertig',
    not_equivalent: 'nicht gleichwertig',
  };
  const MATCH_FIELDS = {
    name: 'Name',
    birth_date: 'Geburtsdatum',
    sex: 'Geschlecht',
    birthplace: 'Geburtsort',
    birth_country: 'Geburtsland',
    nationality: 'Staatsangehörigkeit',
    postcode: 'PLZ',
    town: 'Ort',
    street: 'Straße',
    house_number: 'Hausnummer',
    address_extra: 'Adresszusatz',
    region: 'Region',
    azr_number: 'AZR-Nummer',
    ba_customer_number: 'BA-Kundennummer',
    bamf_file_number: 'BAMF-Aktenzeichen',
    other_id: 'Weitere Kennung',
  };
  const MATCH_LEVELS = {
    exact: 'gleich',
    phonetic: 'gleich klingend',
    fuzzy: 'ähnlich geschrieben',
    subset: 'ein Vorname fehlt',
    partial: 'teilweise gleich',
    family_only: 'nur Familienname gleich',
    none: 'verschieden',
    compatible: 'vereinbar',
    near: 'fast gleich (Zahlendreher, Tippfehler)',
    disagree: 'verschieden',
    agree: 'gleich',
    similar: 'ähnlich',
    one_edit: 'ein Zeichen anders',
    missing: 'fehlt',
  };

  const $ = (id) => document.getElementById(id);
  // `session` counts sign-ins and sign-outs: an answer that arrives after one is dropped, so
  // that no personal data reaches a page that was signed out meanwhile.
  // `reports`: blob: URLs of opened Art. 15 reports, revoked on sign-out.
  const state = { token: null, me: null, session: 0, reports: [] };
  const requests = {};  // view -> number of its latest request
  const personSummaries = new Map();  // person id -> Promise of 'NAME · birth date'

  // ---- DOM helpers: text only ----

  // el('p', {class: 'x'}, 'text', child): strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Wide tables scroll sideways on narrow screens instead of widening the page.
  function scroller(table) {
    return el('div', { class: 'table-scroll' }, table);
  }

  function clear(node) {
    node.replaceChildren();
    return node;
  }

  // ---- Formatting ----

  const numberFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
  const signedFormat = new Intl.NumberFormat('de-DE', {
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  let languageNames = null;
  try {
    languageNames = new Intl.DisplayNames(['de'], { type: 'language' });
  } catch (e) {
    languageNames = null;
  }

  // 1990-05-17 -> 17.05.1990, 1990-05 -> 05/1990, 1990 -> 1990.
  function germanDate(iso) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(iso || ''));
    if (!m) return String(iso || '');
    if (m[3]) return `${m[3]}.${m[2]}.${m[1]}`;
    if (m[2]) return `${m[2]}/${m[1]}`;
    return m[1];
  }

  // 17.05.1990 / 05.1990 / 1990-05-17 -> the API's YYYY[-MM[-DD]]; null when unreadable.
  function isoDate(text) {
    const t = text.trim();
    if (t === '') return '';
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(t)) return t;
    let m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
    if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
    m = /^(\d{1,2})[./](\d{4})$/.exec(t);
    if (m) return `${m[2]}-${m[1].padStart(2, '0')}`;
    return null;
  }

  const timeFormat = new Intl.DateTimeFormat('de-DE', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Europe/Berlin',
  });

  // An API time (UTC) in German local time.
  function germanTime(iso) {
    const t = new Date(iso);
    return Number.isNaN(t.getTime()) ? String(iso || '') : timeFormat.format(t);
  }

  // The start of a local calendar day (YYYY-MM-DD) as the API's UTC time text.
  function dayStart(date, days = 0) {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(y, m - 1, d + days).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function stand(iso) {
    return iso ? germanDate(iso) : '–';
  }

  function sourceName(source) {
    return SOURCE_NAMES[source] || source;
  }

  function languageName(code) {
    const name = languageNames && code ? languageNames.of(code) : null;
    return name && name !== code ? `${name} (${code})` : code;
  }

  function code(value) {
    return CODES[value] || value;
  }

  // One part of a structured value, as text.
  function partText(key, value) {
    if (typeof value === 'boolean') return value ? 'ja' : 'nein';
    if (typeof value === 'number') return numberFormat.format(value);
    if (Array.isArray(value)) return value.map((v) => partText(key, v)).join(', ');
    if (key === 'date') return germanDate(value);
    if (key === 'code') return languageName(value);
    return code(String(value));
  }

  // A profile value (text, birth date, address, qualification) as DOM nodes.
  function valueNodes(field, value) {
    if (value === null || value === undefined) return ['–'];
    if (typeof value !== 'object') return [field === 'sex' ? code(String(value)) : String(value)];
    if ('date' in value && 'precision' in value) {
      const text = germanDate(value.date);
      return value.is_placeholder
        ? [text, el('span', { class: 'note' }, ' (01.01. als Platzhalter: nur das Jahr ist bekannt)')]
        : [text];
    }
    if (field === 'address') return addressNodes(value);
    return [
      el(
        'span',
        { class: 'parts' },
        Object.entries(value).map(([key, v]) =>
          el('span', { class: 'part' }, el('span', { class: 'part-label' }, `${LABELS[key] || key}: `),
             partText(key, v))),
      ),
    ];
  }

  function addressNodes(a) {
    const lines = [
      [a.street, a.house_number].filter(Boolean).join(' '),
      a.address_extra,
      [a.postcode, a.town].filter(Boolean).join(' '),
      a.region,
    ].filter(Boolean);
    return [el('span', { class: 'parts' }, lines.map((line) => el('span', { class: 'part' }, line)))];
  }

  function sourceList(sources) {
    return el(
      'ul',
      { class: 'sources' },
      (sources || []).map((s) =>
        el(
          'li',
          {},
          el('span', { class: 'source-name' }, sourceName(s.source)),
          ' ',
          el('span', { class: 'record-id' }, s.record_id),
          el('span', { class: 'stand' }, ` · Stand ${stand(s.stand)}`),
        )),
    );
  }

  // ---- Messages ----

  // An answer for a session that has ended meanwhile.
  class Stale extends Error {}

  // Returns whether no newer request for `view` has been made since: a slow answer must not
  // replace a newer one (a person opened after another, a second search).
  function latest(view) {
    const n = (requests[view] = (requests[view] || 0) + 1);
    return () => requests[view] === n;
  }

  class ApiError extends Error {
    constructor(status, code, message, requestId) {
      super(message || code || `HTTP ${status}`);
      this.status = status;
      this.code = code;
      this.requestId = requestId;
    }
  }

  function explain(err) {
    if (!(err instanceof ApiError)) return 'Unerwarteter Fehler auf dieser Seite.';
    switch (err.status) {
      case 0: return 'Der Server ist nicht erreichbar. Bitte prüfen Sie die Verbindung.';
      case 400: return 'Die Eingabe wurde nicht angenommen.';
      case 401: return 'Das Token ist unbekannt oder wurde widerrufen.';
      case 403: {
        const role = state.me ? ROLE_NAMES[state.me.role] || state.me.role : '';
        return `Ihre Rolle${role ? ` „${role}“` : ''} darf diese Funktion nicht nutzen.`;
      }
      case 404: return 'Nicht gefunden.';
      case 409: return 'Die Aktion ist so nicht möglich (Konflikt mit dem aktuellen Stand).';
      case 413: return 'Die Anfrage ist zu groß.';
      default:
        return err.status >= 500
          ? 'Fehler auf dem Server. Bitte später erneut versuchen.'
          : `Die Anfrage ist fehlgeschlagen (HTTP ${err.status}).`;
    }
  }

  // The alert region: a title, optional detail lines and a close button.
  function showAlert(title, ...details) {
    const box = el(
      'div',
      { class: 'alert' },
      el('p', { class: 'alert-title' }, title),
      details.filter(Boolean).map((d) => el('p', { class: 'alert-detail' }, d)),
      el('button', { type: 'button', class: 'button secondary small', onclick: clearMessages },
         'Meldung schließen'),
    );
    clear($('status-region'));
    clear($('alert-region')).append(box);
  }

  // An API failure: what happened in German, then the server's own message and request id.
  function showError(err, lead) {
    if (!(err instanceof ApiError)) {
      console.error(err);
      showAlert(lead || 'Unerwarteter Fehler auf dieser Seite.');
      return;
    }
    showAlert(
      lead || explain(err),
      lead ? explain(err) : null,
      err.status > 0 && err.message ? `Meldung des Servers: ${err.message}` : null,
      err.requestId ? `Vorgangsnummer: ${err.requestId}` : null,
    );
  }

  function showStatus(...nodes) {
    clear($('alert-region'));
    clear($('status-region')).append(el('div', { class: 'notice' }, el('p', {}, nodes)));
  }

  function clearMessages() {
    clear($('alert-region'));
    clear($('status-region'));
  }

  // ---- API ----

  // The answer's JSON, or its text when `accept` asks for something else (the HTML report).
  async function api(method, path, body, { accept = 'application/json' } = {}) {
    const session = state.session;
    const headers = { Accept: accept, Authorization: `Bearer ${state.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      throw new ApiError(0, 'network', '');
    }
    const text = await res.text();
    if (session !== state.session) throw new Stale('session');
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!res.ok) {
      const requestId = res.headers.get('X-Request-Id');
      throw new ApiError(res.status, data && data.error, data && data.message, requestId);
    }
    return accept === 'application/json' ? data : text;
  }

  // Runs an API action; a 401 signs out (the token was revoked), other errors are shown, a
  // stale answer is dropped. Returns undefined when there is nothing to show.
  async function attempt(action, lead) {
    try {
      return await action();
    } catch (err) {
      if (err instanceof Stale) return undefined;
      if (err instanceof ApiError && err.status === 401 && state.me) {
        signOut(false);
        showError(err, 'Ihre Anmeldung gilt nicht mehr. Bitte melden Sie sich erneut an.');
      } else {
        showError(err, lead);
      }
      return undefined;
    }
  }

  // ---- Views ----

  const VIEWS = ['signin', 'home', 'search', 'person', 'review', 'audit', 'disclosures'];

  function may(view) {
    return !!state.me && (ROLE_VIEWS[state.me.role] || []).includes(view);
  }

  function show(view, { focus = true } = {}) {
    for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
    for (const link of document.querySelectorAll('#main-nav a')) {
      const current = link.dataset.view === view || (view === 'person' && link.dataset.view === 'search');
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (!focus) return;
    const target = view === 'signin' ? $('token') : $(`view-${view}`).querySelector('h1');
    target.focus();
  }

  function route() {
    if (!state.me) {
      show('signin');
      return;
    }
    const hash = location.hash.replace(/^#/, '');
    const person = /^person\/(\d+)$/.exec(hash);
    const disclosures = /^offenlegungen(?:\/(\d+))?$/.exec(hash);
    if (person && may('search')) openPerson(Number(person[1]));
    else if (hash === 'pruefliste' && may('review')) openReview();
    else if (may('search')) show('search');
    else if (disclosures && may('disclosures')) openDisclosures(disclosures[1] && Number(disclosures[1]));
    else if (may('audit')) openAudit();
    else showHome();
  }

  function showHome() {
    const role = ROLE_NAMES[state.me.role] || state.me.role;
    $('home-text').textContent =
      `Sie sind mit der Rolle „${role}“ angemeldet. Für diese Rolle bietet diese Seite noch ` +
      'keine Funktionen an; Personensuche, Profile und Prüfliste sind der Sachbearbeitung ' +
      'vorbehalten, Prüfprotokoll und Offenlegungen dem Datenschutz.';
    show('home');
  }

  // ---- Sign-in ----

  async function signIn(token) {
    state.session += 1;
    state.token = token;
    try {
      state.me = await api('GET', '/v1/me');
    } catch (err) {
      if (err instanceof Stale) return;
      state.token = null;
      state.me = null;
      sessionStorage.removeItem(TOKEN_KEY);
      showError(err, err instanceof ApiError && err.status === 401
        ? 'Anmeldung fehlgeschlagen.'
        : 'Anmeldung nicht möglich.');
      show('signin');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('user-name').textContent = state.me.name;
    $('user-role').textContent = ROLE_NAMES[state.me.role] || state.me.role;
    $('user-box').hidden = false;
    for (const item of document.querySelectorAll('#main-nav [data-needs]')) {
      item.hidden = !may(item.dataset.needs);
    }
    $('main-nav').hidden = !ROLE_VIEWS[state.me.role] || ROLE_VIEWS[state.me.role].length === 0;
    clearMessages();
    route();
  }

  // Forgets the token and removes every piece of personal data from the page.
  function signOut(announce = true) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.session += 1;
    state.token = null;
    state.me = null;
    personSummaries.clear();
    $('user-box').hidden = true;
    $('main-nav').hidden = true;
    $('user-name').textContent = '';
    $('user-role').textContent = '';
    for (const id of ['search-form', 'audit-form', 'disclosures-form']) $(id).reset();
    for (const id of ['search-results', 'person-body', 'review-body', 'audit-results',
                      'checkpoint-body', 'disclosures-body']) {
      clear($(id));
    }
    for (const url of state.reports.splice(0)) URL.revokeObjectURL(url);
    $('person-title').textContent = 'Profil';
    if (location.hash) history.replaceState(null, '', location.pathname);
    clearMessages();
    show('signin');
    if (announce) showStatus('Sie wurden abgemeldet.');
  }

  // ---- Search ----

  async function search(event) {
    event.preventDefault();
    const form = event.target;
    const name = form.elements.name.value.trim();
    const identifier = form.elements.identifier.value.trim();
    const birth = isoDate(form.elements.birth_date.value);
    const birthInput = form.elements.birth_date;
    birthInput.removeAttribute('aria-invalid');
    if (birth === null) {
      birthInput.setAttribute('aria-invalid', 'true');
      showAlert('Das Geburtsdatum ist so nicht lesbar: bitte JJJJ, JJJJ-MM oder JJJJ-MM-TT.');
      birthInput.focus();
      return;
    }
    if (!name && !identifier) {
      showAlert('Bitte geben Sie einen Namen oder eine Kennung ein.');
      form.elements.name.focus();
      return;
    }
    const params = new URLSearchParams();
    if (name) params.set('name', name);
    if (birth) params.set('birth_date', birth);
    if (identifier) params.set('identifier', identifier);
    const results = $('search-results');
    clear(results).append(el('p', { class: 'loading' }, 'Suche läuft …'));
    const isCurrent = latest('search');
    const data = await attempt(() => api('GET', `/v1/persons?${params}`), 'Die Suche ist fehlgeschlagen.');
    if (!isCurrent()) return;
    if (!data) {
      clear(results);
      return;
    }
    clearMessages();
    renderResults(data.results);
  }

  function renderResults(hits) {
    const results = clear($('search-results'));
    if (!hits.length) {
      results.append(el('p', { class: 'empty', role: 'status' }, 'Keine Person gefunden.'));
      return;
    }
    const rows = hits.map((hit) => {
      const link = el('a', { href: `#person/${hit.person_id}` }, hit.display_name || '(ohne Namen)');
      return el(
        'tr',
        { class: 'clickable', onclick: (e) => { if (e.target !== link) link.click(); } },
        el('th', { scope: 'row' }, link),
        el('td', {}, hit.birth_date ? germanDate(hit.birth_date) : '–'),
        el('td', { class: 'num' }, numberFormat.format(hit.score)),
        el('td', { class: 'num' }, String(hit.person_id)),
      );
    });
    results.append(scroller(
      el(
        'table',
        { class: 'data results-table' },
        el('caption', {}, hits.length === 1 ? '1 Treffer' : `${hits.length} Treffer`,
           el('span', { class: 'caption-note' }, ' – die wahrscheinlichsten zuerst')),
        el(
          'thead',
          {},
          el('tr', {},
             el('th', { scope: 'col' }, 'Name'),
             el('th', { scope: 'col' }, 'Geburtsdatum'),
             el('th', { scope: 'col', class: 'num' }, 'Punktzahl'),
             el('th', { scope: 'col', class: 'num' }, 'Person-Nr.')),
        ),
        el('tbody', {}, rows),
      ),
    ));
  }

  // ---- Profile ----

  async function openPerson(id) {
    show('person', { focus: false });
    const body = clear($('person-body'));
    $('person-title').textContent = `Person ${id}`;
    body.append(el('p', { class: 'loading' }, 'Profil wird geladen …'));
    const isCurrent = latest('person');
    const profile = await attempt(() => api('GET', `/v1/persons/${id}`), 'Das Profil konnte nicht geladen werden.');
    if (!isCurrent()) return;
    clear(body);
    if (!profile) return;
    renderProfile(profile);
    $('person-title').focus();
  }

  // The rows of one category: [label, entry, field] triples.
  function categoryRows(key, value) {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) {
      const label = { vocational_training: 'Ausbildung', work_experience: 'Tätigkeit' }[key];
      return value.map((entry, i) => [
        key === 'languages' ? languageName(entry.value && entry.value.code) : `${label} ${i + 1}`,
        entry,
        key,
      ]);
    }
    if (key === 'identity' || key === 'identifiers') {
      const rows = [];
      for (const [field, entry] of Object.entries(value)) {
        if (Array.isArray(entry)) {
          entry.forEach((e) => rows.push([LABELS[field] || field, e, field]));
        } else {
          rows.push([LABELS[field] || field, entry, field]);
        }
      }
      return rows;
    }
    return [[CATEGORIES.find(([k]) => k === key)[1], value, key]];
  }

  function entryRow([label, entry, field]) {
    const alternatives = entry.alternatives || [];
    const conflict = alternatives.length > 0;
    const shownValue = field === 'languages' && entry.value ? withoutCode(entry.value) : entry.value;
    return el(
      'tr',
      { class: conflict ? 'conflict' : null },
      el('th', { scope: 'row' }, label),
      el('td', { class: 'value' }, valueNodes(field, shownValue)),
      el('td', { 'data-label': 'Quellen' }, sourceList(entry.sources)),
      el(
        'td',
        { 'data-label': 'Abweichende Angaben' },
        conflict
          ? [
              el('span', { class: 'badge warn' }, alternatives.length === 1 ? 'Abweichung' : `${alternatives.length} Abweichungen`),
              el(
                'ul',
                { class: 'alternatives' },
                alternatives.map((alt) =>
                  el('li', {}, el('span', { class: 'alt-value' }, valueNodes(field, field === 'languages' ? withoutCode(alt.value) : alt.value)),
                     sourceList(alt.sources))),
              ),
            ]
          : el('span', { class: 'muted' }, 'keine'),
      ),
    );
  }

  function withoutCode(value) {
    if (!value || typeof value !== 'object') return value;
    const { code: ignored, ...rest } = value;
    return rest;
  }

  function renderProfile(p) {
    const body = $('person-body');
    $('person-title').textContent = p.display_name || `Person ${p.person_id}`;
    let conflicts = 0;
    const sections = CATEGORIES.map(([key, title]) => {
      const rows = categoryRows(key, p[key]);
      conflicts += rows.filter(([, e]) => (e.alternatives || []).length > 0).length;
      const headingId = `cat-${key}`;
      return el(
        'section',
        { class: 'category card', 'aria-labelledby': headingId },
        el('h2', { id: headingId }, title),
        rows.length === 0
          ? el('p', { class: 'muted' }, 'Keine Angaben.')
          : el(
              'table',
              { class: 'data fields' },
              el('thead', {}, el('tr', {},
                el('th', { scope: 'col' }, 'Feld'),
                el('th', { scope: 'col' }, 'Gewählter Wert'),
                el('th', { scope: 'col' }, 'Quellen'),
                el('th', { scope: 'col' }, 'Abweichende Angaben'))),
              el('tbody', {}, rows.map(entryRow)),
            ),
      );
    });
    const records = p.records || [];
    body.append(
      el('p', { class: 'meta' },
         `Person-Nr. ${p.person_id} · ${records.length === 1 ? '1 Datensatz' : `${records.length} Datensätze`} · `,
         conflicts === 0 ? 'keine Abweichungen' : conflicts === 1 ? '1 Feld mit Abweichung' : `${conflicts} Felder mit Abweichungen`),
      el('p', { class: 'hint' },
         'Angezeigt wird je Feld der Wert, den die Regeln des Registers wählen (z. B. die neueste oder genaueste Angabe). ',
         'Abweichende Angaben anderer Datensätze sind gelb markiert.'),
      ...sections,
      recordsSection(p, records),
    );
  }

  function recordsSection(p, records) {
    const boxes = [];
    const rows = records.map((r, i) => {
      const box = el('input', {
        type: 'checkbox',
        id: `rec-${i}`,
        'data-source': r.source,
        'data-record-id': r.record_id,
      });
      boxes.push(box);
      return el(
        'tr',
        { class: r.is_retracted ? 'retracted' : null },
        el('td', {}, box,
           el('label', { for: `rec-${i}`, class: 'visually-hidden' }, `Datensatz ${sourceName(r.source)} ${r.record_id} auswählen`)),
        el('td', {}, sourceName(r.source)),
        el('td', { class: 'record-id' }, r.record_id),
        el('td', {}, stand(r.stand)),
        el('td', {}, r.is_retracted ? el('span', { class: 'badge muted-badge' }, 'zurückgezogen') : 'aktiv'),
      );
    });
    const confirmArea = el('div', { class: 'confirm-area' });
    const splitButton = el('button', {
      type: 'button',
      class: 'button secondary',
      onclick: () => split(p.person_id, boxes, confirmArea),
    }, 'Ausgewählte Datensätze abtrennen');
    const mergeInput = el('input', { id: 'merge-id', type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': 'merge-hint' });
    const mergeForm = el(
      'form',
      { class: 'merge-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); merge(p.person_id, mergeInput, confirmArea); } },
      el('div', { class: 'field' },
         el('label', { for: 'merge-id' }, 'Person-Nr. der anderen Person'),
         mergeInput,
         el('p', { id: 'merge-hint', class: 'hint' }, 'Deren Datensätze werden dieser Person zugeordnet.')),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'button secondary' }, 'Zusammenführen')),
    );
    return el(
      'section',
      { class: 'category card', 'aria-labelledby': 'cat-records' },
      el('h2', { id: 'cat-records' }, 'Datensätze'),
      scroller(el('table', { class: 'data records' },
         el('caption', { class: 'visually-hidden' }, 'Datensätze dieser Person'),
         el('thead', {}, el('tr', {},
           el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Auswahl')),
           el('th', { scope: 'col' }, 'Quelle'),
           el('th', { scope: 'col' }, 'Kennung'),
           el('th', { scope: 'col' }, 'Stand'),
           el('th', { scope: 'col' }, 'Status'))),
         el('tbody', {}, rows))),
      may('search')
        ? el('div', { class: 'corrections' },
             el('h3', {}, 'Korrigieren'),
             el('p', { class: 'hint' },
                'Gehören Datensätze nicht zu dieser Person, wählen Sie sie aus und trennen Sie sie ab. ',
                'Jede Korrektur gilt sofort und bleibt bei jedem späteren Abgleich bestehen.'),
             el('div', { class: 'actions' }, splitButton),
             mergeForm,
             confirmArea)
        : null,
    );
  }

  // Asks inline (no window.confirm: it blocks and reads poorly); resolves true or false.
  function confirmInline(area, question, yesLabel) {
    return new Promise((resolve) => {
      const done = (answer) => {
        clear(area);
        resolve(answer);
      };
      const yes = el('button', { type: 'button', class: 'button primary', onclick: () => done(true) }, yesLabel);
      clear(area).append(
        el('div', { class: 'confirm', role: 'group', 'aria-label': 'Bestätigung' },
           el('p', {}, question),
           el('div', { class: 'actions' }, yes,
              el('button', { type: 'button', class: 'button secondary', onclick: () => done(false) }, 'Abbrechen'))),
      );
      yes.focus();
    });
  }

  async function split(personId, boxes, area) {
    const records = boxes.filter((b) => b.checked)
      .map((b) => ({ source: b.dataset.source, record_id: b.dataset.recordId }));
    if (records.length === 0) {
      showAlert('Bitte wählen Sie mindestens einen Datensatz aus.');
      return;
    }
    const n = records.length === 1 ? 'den ausgewählten Datensatz' : `die ${records.length} ausgewählten Datensätze`;
    if (!(await confirmInline(area, `Wirklich ${n} abtrennen? Sie bilden danach eine neue Person.`, 'Ja, abtrennen'))) return;
    const result = await attempt(() => api('POST', `/v1/persons/${personId}/split`, { records }), 'Das Abtrennen ist fehlgeschlagen.');
    if (!result) return;
    await openPerson(personId);
    showStatus('Abgetrennt: Die Datensätze bilden jetzt ',
               el('a', { href: `#person/${result.new_person_id}` }, `Person ${result.new_person_id}`), '.');
  }

  async function merge(personId, input, area) {
    const text = input.value.trim();
    input.removeAttribute('aria-invalid');
    if (!/^\d+$/.test(text) || Number(text) === personId) {
      input.setAttribute('aria-invalid', 'true');
      showAlert('Bitte geben Sie die Person-Nr. einer anderen Person ein.');
      input.focus();
      return;
    }
    const other = Number(text);
    if (!(await confirmInline(area, `Wirklich Person ${other} mit dieser Person zusammenführen?`, 'Ja, zusammenführen'))) return;
    const result = await attempt(() => api('POST', `/v1/persons/${personId}/merge`, { person_id: other }), 'Das Zusammenführen ist fehlgeschlagen.');
    if (!result) return;
    await openPerson(personId);
    showStatus(`Zusammengeführt: Die Datensätze von Person ${other} gehören jetzt zu dieser Person.`);
  }

  // ---- Review queue ----

  async function openReview() {
    show('review', { focus: false });
    personSummaries.clear();
    const body = clear($('review-body'));
    body.append(el('p', { class: 'loading' }, 'Prüfliste wird geladen …'));
    const isCurrent = latest('review');
    const queue = await attempt(() => api('GET', '/v1/review'), 'Die Prüfliste konnte nicht geladen werden.');
    if (!isCurrent()) return;
    clear(body);
    if (queue) renderReview(queue);
    $('review-title').focus();
  }

  function renderReview(queue) {
    const body = $('review-body');
    const count = el('p', { class: 'meta', id: 'review-count' });
    const setCount = (open) => {
      count.textContent = open === 0
        ? 'Keine offenen Prüffälle.'
        : open === 1 ? '1 offener Prüffall.' : `${open} offene Prüffälle.`;
      if (queue.items.length < open) count.textContent += ` Angezeigt werden die ersten ${queue.items.length}.`;
    };
    let open = queue.total;
    setCount(open);
    body.append(count);
    for (const item of queue.items) {
      body.append(reviewItem(item, () => setCount(--open)));
    }
  }

  // Name and birth date of a person, for the review queue; fetched once per person and visit.
  function personSummary(personId) {
    if (!personSummaries.has(personId)) {
      personSummaries.set(personId, api('GET', `/v1/persons/${personId}`).then((p) => {
        const birth = p.identity && p.identity.birth_date;
        return [p.display_name, birth ? germanDate(birth.value.date) : null].filter(Boolean).join(' · ');
      }));
    }
    return personSummaries.get(personId);
  }

  function recordBox(label, ref) {
    const summary = el('p', { class: 'pair-person' }, '…');
    personSummary(ref.person_id).then(
      (text) => { summary.textContent = text; },
      () => { summary.textContent = '(Profil nicht geladen)'; });
    return el('div', { class: 'pair-record' },
      el('p', { class: 'pair-label' }, label),
      el('p', {}, el('span', { class: 'source-name' }, sourceName(ref.source)), ' ',
         el('span', { class: 'record-id' }, ref.record_id)),
      summary,
      el('p', {}, el('a', { href: `#person/${ref.person_id}` }, `Person ${ref.person_id} öffnen`)));
  }

  function weightCell(weight) {
    return el('td', { class: `num ${weight > 0 ? 'pos' : weight < 0 ? 'neg' : ''}` },
              signedFormat.format(weight));
  }

  // One row per compared field (fields missing on either side are listed below the table);
  // the name's term-frequency adjustment gets its own row.
  function explanationRows(fields) {
    const rows = [];
    for (const f of fields.filter((x) => x.level !== 'missing')) {
      rows.push(el('tr', {},
        el('th', { scope: 'row' }, MATCH_FIELDS[f.field] || f.field),
        el('td', {}, MATCH_LEVELS[f.level] || f.level),
        weightCell(f.weight)));
      if (f.tf_adjustment) {
        rows.push(el('tr', {},
          el('th', { scope: 'row' }, `${MATCH_FIELDS[f.field] || f.field}: Häufigkeit`),
          el('td', {}, f.tf_adjustment > 0 ? 'seltener Name' : 'häufiger Name'),
          weightCell(f.tf_adjustment)));
      }
    }
    return rows;
  }

  function missingFields(fields) {
    const missing = fields.filter((f) => f.level === 'missing').map((f) => MATCH_FIELDS[f.field] || f.field);
    if (missing.length === 0) return null;
    return el('p', { class: 'hint' }, `Nicht verglichen, weil mindestens ein Datensatz keine Angabe hat: ${missing.join(', ')}.`);
  }

  function reviewItem(item, onDecided) {
    const headingId = `review-${item.id}`;
    const e = item.explanation || { fields: [] };
    const decide = async (decision, article) => {
      const result = await attempt(
        () => api('POST', `/v1/review/${item.id}`, { decision }),
        'Die Entscheidung wurde nicht gespeichert.');
      if (!result) return;
      const text = decision === 'link' ? 'verknüpft' : 'getrennt gehalten';
      clear(article).append(el('h2', { id: headingId, tabindex: '-1' }, `Prüffall ${item.id}: ${text}`));
      article.classList.add('decided');
      onDecided();
      showStatus(`Prüffall ${item.id} entschieden: ${text}.`);
      article.querySelector('h2').focus();
    };
    const article = el('article', { class: 'card review-item', 'aria-labelledby': headingId });
    article.append(
      el('h2', { id: headingId, tabindex: '-1' }, `Prüffall ${item.id}`),
      el('p', { class: 'meta' }, `Gesamtgewicht ${signedFormat.format(item.weight)}`,
         e.conflict ? el('span', { class: 'badge warn' }, 'Harter Widerspruch') : null),
      el('div', { class: 'pair' }, recordBox('Datensatz A', item.a), recordBox('Datensatz B', item.b)),
      scroller(el('table', { class: 'data explanation' },
         el('caption', {}, 'Vergleich Merkmal für Merkmal'),
         el('thead', {}, el('tr', {},
           el('th', { scope: 'col' }, 'Merkmal'),
           el('th', { scope: 'col' }, 'Übereinstimmung'),
           el('th', { scope: 'col', class: 'num' }, 'Gewicht'))),
         el('tbody', {}, explanationRows(e.fields)),
         el('tfoot', {}, el('tr', {},
           el('th', { scope: 'row', colspan: '2' }, 'Summe'),
           el('td', { class: 'num' }, signedFormat.format(e.total ?? item.weight)))))),
      missingFields(e.fields),
      el('div', { class: 'actions' },
         el('button', { type: 'button', class: 'button primary', onclick: () => decide('link', article) }, 'Verknüpfen'),
         el('button', { type: 'button', class: 'button secondary', onclick: () => decide('separate', article) }, 'Getrennt halten')),
    );
    return article;
  }

  // ---- Data protection: audit log ----

  function actionName(action) {
    const known = AUDIT_ACTIONS.find(([key]) => key === action);
    return known ? known[1] : action;
  }

  function categoryNames(categories) {
    return (Array.isArray(categories) ? categories : []).map((c) => CATEGORY_NAMES[c] || c);
  }

  async function openAudit() {
    show('audit', { focus: false });
    const body = clear($('checkpoint-body'));
    body.append(el('p', { class: 'loading' }, 'Prüfpunkt wird geladen …'));
    const isCurrent = latest('checkpoint');
    const checkpoint = await attempt(() => api('GET', '/v1/audit/checkpoint'),
                                     'Der Prüfpunkt konnte nicht geladen werden.');
    if (!isCurrent()) return;
    clear(body);
    if (checkpoint) renderCheckpoint(checkpoint);
    $('audit-title').focus();
  }

  function renderCheckpoint(c) {
    $('checkpoint-body').append(
      el('dl', { class: 'facts' },
         el('dt', {}, 'Prüfpunkt'), el('dd', { id: 'checkpoint-number' }, `Nr. ${c.number}`),
         el('dt', {}, 'Einträge (Baumgröße)'), el('dd', { id: 'checkpoint-size' }, String(c.tree_size)),
         el('dt', {}, 'Wurzel-Hash'), el('dd', { id: 'checkpoint-root' }, el('code', { class: 'hash' }, c.root_hash)),
         el('dt', {}, 'Signiert am'), el('dd', { id: 'checkpoint-time' }, germanTime(c.time)),
         el('dt', {}, 'Schlüssel'), el('dd', {}, el('code', { class: 'hash' }, c.key_id))),
      el('p', { class: 'hint' },
         'Mit Wurzel-Hash und Signatur lässt sich mit „qreg audit verify“ prüfen, dass kein ',
         'früherer Eintrag verändert oder entfernt wurde.'),
    );
  }

  // The query of the form as URL parameters; null (after an alert) when a value is unreadable.
  function auditQuery(form) {
    const params = new URLSearchParams();
    const person = form.elements.person_id;
    person.removeAttribute('aria-invalid');
    const id = person.value.trim();
    if (id && !/^\d+$/.test(id)) {
      person.setAttribute('aria-invalid', 'true');
      showAlert('Die Person-Nr. besteht nur aus Ziffern.');
      person.focus();
      return null;
    }
    if (id) params.set('person_id', id);
    for (const key of ['actor', 'agency', 'action']) {
      const value = form.elements[key].value.trim();
      if (value) params.set(key, value);
    }
    if (form.elements.from.value) params.set('from', dayStart(form.elements.from.value));
    if (form.elements.to.value) params.set('to', dayStart(form.elements.to.value, 1));
    params.set('limit', String(AUDIT_PAGE_SIZE));
    return params;
  }

  async function searchAudit(event) {
    event.preventDefault();
    const params = auditQuery(event.target);
    if (!params) return;
    const results = clear($('audit-results'));
    results.append(el('p', { class: 'loading' }, 'Protokoll wird durchsucht …'));
    const isCurrent = latest('audit');
    const page = await attempt(() => api('GET', `/v1/audit?${params}`),
                               'Das Protokoll konnte nicht durchsucht werden.');
    if (!isCurrent()) return;
    clear(results);
    if (!page) return;
    clearMessages();
    renderAudit(params, page);
  }

  function renderAudit(params, first) {
    const results = $('audit-results');
    if (first.entries.length === 0) {
      results.append(el('p', { class: 'empty', id: 'audit-count', role: 'status' }, 'Keine passenden Einträge.'));
      return;
    }
    const tbody = el('tbody', {});
    const count = el('p', { class: 'meta', id: 'audit-count', role: 'status' });
    const more = el('button', { type: 'button', class: 'button secondary' }, 'Weitere laden');
    const actions = el('div', { class: 'actions' }, more);
    let shown = 0;
    const add = (page) => {
      tbody.append(...page.entries.map(auditRow));
      shown += page.entries.length;
      const done = !page.next_after;
      count.textContent = `${shown === 1 ? '1 Eintrag' : `${shown} Einträge`} angezeigt` +
        (done ? ' – alle passenden.' : ` – es gibt weitere.`);
      actions.hidden = done;
      return page.next_after;
    };
    let nextAfter = add(first);
    more.addEventListener('click', async () => {
      const query = new URLSearchParams(params);
      query.set('after', String(nextAfter));
      more.disabled = true;
      const isCurrent = latest('audit');
      const page = await attempt(() => api('GET', `/v1/audit?${query}`),
                                 'Weitere Einträge konnten nicht geladen werden.');
      if (!isCurrent()) return;
      more.disabled = false;
      if (page) nextAfter = add(page);
    });
    results.append(
      count,
      scroller(el('table', { class: 'data audit-table' },
        el('caption', { class: 'visually-hidden' }, 'Einträge des Prüfprotokolls'),
        el('thead', {}, el('tr', {},
          ['Nr.', 'Zeit', 'Handelnde Person', 'Rolle', 'Stelle', 'Aktion', 'Personen', 'Kategorien',
           'Rechtsgrundlage', 'Ergebnis'].map((h) => el('th', { scope: 'col' }, h)))),
        tbody)),
      actions,
    );
  }

  function personLinks(persons) {
    if (!persons || persons.length === 0) return '–';
    return persons.flatMap((p, i) => [
      i > 0 ? ', ' : null,
      p.person_id === null
        ? el('span', { class: 'muted', title: p.pseudonym }, 'gelöscht')
        : el('a', { href: `#offenlegungen/${p.person_id}` }, String(p.person_id)),
    ]);
  }

  function auditRow(e) {
    return el('tr', {},
      el('th', { scope: 'row', class: 'num' }, String(e.seq)),
      el('td', {}, germanTime(e.time)),
      el('td', {}, e.actor),
      el('td', {}, ROLE_NAMES[e.role] || e.role),
      el('td', {}, e.agency || '–'),
      el('td', {}, actionName(e.action), el('br', {}), el('code', {}, e.action)),
      el('td', {}, personLinks(e.persons)),
      el('td', {}, categoryNames(e.categories).join(', ') || '–'),
      el('td', {}, e.legal_basis || '–'),
      el('td', {}, e.outcome === 'ok' ? 'ok' : el('span', { class: 'badge warn' }, e.outcome)));
  }

  // ---- Data protection: disclosures (Art. 15) ----

  async function openDisclosures(personId) {
    show('disclosures', { focus: false });
    const body = clear($('disclosures-body'));
    if (!personId) {
      $('disclosures-title').focus();
      return;
    }
    $('d-person').value = String(personId);
    body.append(el('p', { class: 'loading' }, 'Offenlegungen werden geladen …'));
    const isCurrent = latest('disclosures');
    const data = await attempt(() => api('GET', `/v1/persons/${personId}/disclosures`),
                               'Die Offenlegungen konnten nicht geladen werden.');
    if (!isCurrent()) return;
    clear(body);
    if (!data) return;
    renderDisclosures(data);
    $('disclosures-title').focus();
  }

  function askDisclosures(event) {
    event.preventDefault();
    const input = event.target.elements.person_id;
    const id = input.value.trim();
    input.removeAttribute('aria-invalid');
    if (!/^\d+$/.test(id) || Number(id) === 0) {
      input.setAttribute('aria-invalid', 'true');
      showAlert('Bitte geben Sie eine Person-Nr. ein (nur Ziffern).');
      input.focus();
      return;
    }
    clearMessages();
    const target = `offenlegungen/${Number(id)}`;
    if (location.hash === `#${target}`) openDisclosures(Number(id));
    else location.hash = target;
  }

  function groundText(g) {
    return g.legal_basis === 'statute'
      ? `Rechtsvorschrift: ${g.statute} (Eintrag Nr. ${g.consent_id})`
      : `Einwilligung Nr. ${g.consent_id}`;
  }

  function textList(items) {
    return items.length === 0 ? '–' : el('ul', { class: 'plain' }, items.map((i) => el('li', {}, i)));
  }

  function disclosureRow(d) {
    const grounds = d.grounds || [];
    const purposes = [...new Set(grounds.map((g) => g.purpose))];
    const categories = categoryNames(d.categories);
    return el('tr', {},
      el('th', { scope: 'row' }, d.recipient),
      el('td', {}, germanTime(d.disclosed_at)),
      el('td', {}, categories.length ? textList(categories) : 'keine (nur Person-Nr.)'),
      el('td', {}, textList(purposes)),
      el('td', {}, textList(grounds.map(groundText))),
      el('td', {}, CHANNELS[d.channel] || d.channel),
      el('td', {}, DISCLOSURE_KINDS[d.kind] || d.kind, d.format ? ` (${d.format})` : null));
  }

  function renderDisclosures(data) {
    const list = data.disclosures;
    const report = el('button', { type: 'button', class: 'button secondary' }, 'Druckansicht (Art. 15) öffnen');
    report.addEventListener('click', () => openReport(data.person_id));
    append($('disclosures-body'), [
      el('h2', { id: 'disclosures-person' }, `Person-Nr. ${data.person_id}`),
      list.length === 0
        ? el('p', { class: 'empty', id: 'disclosures-count' }, 'Keine Offenlegungen erfasst.')
        : [
            el('p', { class: 'meta', id: 'disclosures-count' },
               list.length === 1 ? '1 Offenlegung' : `${list.length} Offenlegungen`, ', die ältesten zuerst.'),
            scroller(el('table', { class: 'data disclosures-table' },
              el('caption', { class: 'visually-hidden' }, `Offenlegungen der Person ${data.person_id}`),
              el('thead', {}, el('tr', {},
                ['Empfänger', 'Zeitpunkt', 'Kategorien', 'Zweck', 'Rechtsgrundlage', 'Kanal', 'Art']
                  .map((h) => el('th', { scope: 'col' }, h)))),
              el('tbody', {}, list.map(disclosureRow)))),
          ],
      el('div', { class: 'actions' }, report),
    ]);
  }

  // The printable report needs the token, so it is fetched here and opened as a blob: URL
  // (revoked on sign-out). Its inline style is allowed by the page's policy, which it inherits.
  async function openReport(personId) {
    const html = await attempt(
      () => api('GET', `/v1/persons/${personId}/disclosures?format=html`, undefined, { accept: 'text/html' }),
      'Die Druckansicht konnte nicht geladen werden.');
    if (html === undefined) return;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    state.reports.push(url);
    if (!window.open(url, '_blank')) {
      showStatus('Die Druckansicht ist bereit: ',
                 el('a', { href: url, target: '_blank' }, 'Druckansicht öffnen'), '.');
    }
  }

  // ---- Start ----

  document.addEventListener('DOMContentLoaded', () => {
    $('signin-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token').value.trim();
      if (!token) {
        showAlert('Bitte geben Sie Ihr Zugangstoken ein.');
        $('token').focus();
        return;
      }
      signIn(token);
    });
    $('sign-out').addEventListener('click', () => signOut(true));
    $('search-form').addEventListener('submit', search);
    $('audit-form').addEventListener('submit', searchAudit);
    $('disclosures-form').addEventListener('submit', askDisclosures);
    $('a-action').append(...AUDIT_ACTIONS.map(([key, name]) => el('option', { value: key }, name)));
    window.addEventListener('hashchange', () => {
      clearMessages();
      route();
    });
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) signIn(saved);
    else show('signin', { focus: false });
  });
})();
