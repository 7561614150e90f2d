/*
 * Operators' console of the stupid-db segment store (SPEC §13). Plain browser JavaScript, no
 * build step, no external resources: everything comes from this service's /api/v1.
 *
 * API key: when a call answers 401 the page asks for the key (one form, however many calls were
 * refused), keeps it in sessionStorage for this tab and sends it as "Authorization: Bearer".
 * The journal is read from /api/v1/events/stream with fetch() and a streaming reader rather than
 * EventSource, which cannot send that header; it resumes with Last-Event-ID after a reconnect.
 */
(() => {
  'use strict';

  const API = '/api/v1';
  const KEY_STORAGE = 'segment-store.api-key';
  const REFRESH_MS = 10000;
  const JOURNAL_MAX = 300;

  const $ = (id) => document.getElementById(id);

  /** Builds an element: h('td', {class: 'x', title: 't'}, 'text', child, …). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'style') el.style.cssText = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  // ---------------------------------------------------------------- formatting

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = n;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)) + ' ' + units[unit];
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + 's';
    const parts = [];
    const d = Math.floor(s / 86400);
    const hr = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d) parts.push(d + 'd');
    if (hr) parts.push(hr + 'h');
    if (m && !d) parts.push(m + 'm');
    return parts.join(' ') || '0s';
  }

  /** "2026-11-29 15:24:33Z" from an RFC 3339 string or epoch ms; '–' for null. */
  function time(value) {
    if (value === null || value === undefined) return '–';
    const d = new Date(value);
    if (isNaN(d)) return String(value);
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  const docs = (n) => n + (n === 1 ? ' doc' : ' docs');

  const ms = (value) => (value === null || value === undefined ? null : Date.parse(value));

  // ---------------------------------------------------------------- API calls and the key

  let apiKey = sessionStorage.getItem(KEY_STORAGE);
  let keyPrompt = null; // the one pending "ask for the key" promise

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.title || problem.detail)) || 'HTTP ' + status);
      this.status = status;
      this.problem = problem || { title: 'HTTP ' + status, status };
    }
  }

  function authHeaders(extra) {
    const headers = Object.assign({}, extra);
    if (apiKey) headers.Authorization = 'Bearer ' + apiKey;
    return headers;
  }

  /** Shows the key form (once for all refused calls); resolves when a key was entered. */
  function askForKey(refused) {
    const error = $('key-error');
    if (refused) {
      error.textContent = 'The API key was refused (401). Check the key and try again.';
      error.hidden = false;
      $('forget-key').hidden = true;
    }
    if (!keyPrompt) {
      if (!refused) error.hidden = true;
      keyPrompt = new Promise((resolve) => {
        const form = $('key-form');
        const input = $('api-key');
        $('key-overlay').hidden = false;
        input.value = '';
        input.focus();
        form.onsubmit = (e) => {
          e.preventDefault();
          const key = input.value.trim();
          if (!key) return;
          apiKey = key;
          sessionStorage.setItem(KEY_STORAGE, key);
          $('key-overlay').hidden = true;
          $('forget-key').hidden = false;
          keyPrompt = null;
          resolve();
        };
      });
    }
    return keyPrompt;
  }

  /**
   * A fetch of /api/v1…: sends the key, asks for one on 401 and retries, and turns error answers
   * (problem+json, RFC 9457) into an ApiError carrying title and detail.
   */
  async function api(path, options = {}) {
    for (;;) {
      const sentKey = apiKey;
      const response = await fetch(API + path, Object.assign({}, options, {
        headers: authHeaders(Object.assign({ Accept: 'application/json' }, options.headers)),
      }));
      if (response.status === 401) {
        if (apiKey !== sentKey) continue; // a new key arrived meanwhile: try that one
        const refused = sentKey !== null;
        if (refused) {
          apiKey = null;
          sessionStorage.removeItem(KEY_STORAGE);
        }
        await askForKey(refused);
        continue;
      }
      if (!response.ok) throw new ApiError(response.status, await problemOf(response));
      if (response.status === 204) return null;
      return response.json();
    }
  }

  async function problemOf(response) {
    const text = await response.text().catch(() => '');
    try {
      const body = JSON.parse(text);
      if (body && typeof body === 'object') return body;
    } catch (ignored) {
      // not JSON: fall through
    }
    return { title: response.status + ' ' + response.statusText, status: response.status, detail: text.slice(0, 300) };
  }

  /** Shows an error (problem+json: title and detail) in a box. */
  function showProblem(box, error) {
    box.replaceChildren();
    if (error instanceof ApiError) {
      const p = error.problem;
      box.append(h('strong', {}, (p.status ? p.status + ' ' : '') + (p.title || 'error')));
      if (p.detail) box.append(p.detail);
    } else {
      box.append(h('strong', {}, 'The service did not answer'), String(error && error.message || error));
    }
    box.hidden = false;
  }

  function banner(error) {
    const box = $('banner');
    if (!error) {
      box.hidden = true;
      return;
    }
    showProblem(box, error);
  }

  // ---------------------------------------------------------------- segments and store

  const state = { store: null, segments: [], missing: [], selected: null };

  async function loadOverview() {
    const cluster = $('scope-cluster').checked;
    try {
      const [store, list] = await Promise.all([
        api('/store'),
        api('/segments' + (cluster ? '?scope=cluster&partial=true' : '')),
      ]);
      state.store = store;
      state.segments = list.segments || [];
      state.missing = list.missing || [];
      banner(null);
      renderNode();
      renderTimeline();
      renderDisk();
    } catch (e) {
      banner(e);
    }
  }

  let overviewTimer = null;
  function reloadSoon() {
    clearTimeout(overviewTimer);
    overviewTimer = setTimeout(loadOverview, 250);
  }

  function renderNode() {
    const s = state.store;
    const nodes = s.clusterNodes.length > 1 ? ' of ' + s.clusterNodes.length + ' (cluster)' : ' (single node)';
    $('node-info').textContent = 'node ' + s.nodeId + nodes;
  }

  /** The retention horizon of a segment's class (retention classes; this node's settings), else the store's. */
  function horizonOf(seg) {
    const c = (state.store.retentionClasses || []).find((r) => r.name === seg.class);
    return ms(c ? c.retentionHorizon : state.store.retentionHorizon);
  }

  /** Ids the next retention pass takes: the server's list for this node, the time rule for other nodes. */
  function nextEviction() {
    const ids = new Map(state.store.nextEviction.map((e) => [e.segment, e.reason]));
    for (const seg of state.segments) {
      if (!ids.has(seg.id) && seg.state !== 'ACTIVE' && seg.maxTimestamp && ms(seg.maxTimestamp) < horizonOf(seg)) {
        ids.set(seg.id, 'RETENTION');
      }
    }
    return ids;
  }

  const TICKS = [1e3, 5e3, 15e3, 30e3, 60e3, 5 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 3 * 3600e3, 6 * 3600e3,
    12 * 3600e3, 86400e3, 2 * 86400e3, 7 * 86400e3, 30 * 86400e3, 90 * 86400e3, 365 * 86400e3];

  function tickLabel(t, step) {
    const iso = new Date(t).toISOString();
    if (step >= 86400e3) return iso.slice(5, 10);
    if (step >= 60e3) return iso.slice(11, 16);
    return iso.slice(11, 19);
  }

  function renderTimeline() {
    const box = $('timeline');
    const segs = state.segments;
    const store = state.store;
    const now = ms(store.now);
    const horizon = ms(store.retentionHorizon);
    const evict = nextEviction();

    const totalDocs = segs.reduce((n, s) => n + s.documents, 0);
    const totalSize = segs.reduce((n, s) => n + s.sizeBytes, 0);
    const nextIds = [...evict.keys()];
    const summary = segs.length + ' segment' + (segs.length === 1 ? '' : 's') + ' · ' + totalDocs + ' documents · '
      + bytes(totalSize) + ' · next eviction: ' + (nextIds.length ? nextIds.join(', ') : 'none')
      + (state.missing.length ? ' · nodes not answering: ' + state.missing.join(', ') : '');
    $('segments-summary').textContent = summary;

    if (!segs.length) {
      box.replaceChildren(h('p', { class: 'muted' }, 'No segments yet: write a document to start the active one.'));
      $('segment-details').hidden = true;
      return;
    }

    const span = (s) => {
      const start = ms(s.minTimestamp) ?? ms(s.createdAt);
      const end = ms(s.maxTimestamp) ?? start;
      return [start, Math.max(start, end)];
    };
    let lo = Math.min(...segs.map((s) => span(s)[0]));
    let hi = Math.max(now, ...segs.map((s) => span(s)[1]));
    // Take the horizon onto the axis when it is near; far behind the data it is an off-scale marker.
    if (horizon >= lo || lo - horizon < (hi - lo) * 0.5) lo = Math.min(lo, horizon);
    if (hi - lo < 60e3) {
      const mid = (hi + lo) / 2;
      lo = mid - 30e3;
      hi = mid + 30e3;
    }
    const pad = (hi - lo) * 0.03;
    lo -= pad;
    hi += pad;
    const x = (t) => ((t - lo) / (hi - lo)) * 100;

    const lines = () => {
      const out = [h('div', { class: 'tl-line now', style: 'left:' + x(now) + '%', title: 'now ' + time(now) })];
      if (horizon >= lo) {
        out.push(h('div', { class: 'tl-line horizon', style: 'left:' + x(horizon) + '%',
          title: 'retention horizon ' + time(horizon) + ' (now − ' + duration(store.retentionMillis) + ')' }));
      }
      return out;
    };

    // axis row with ticks
    const step = TICKS.find((t) => (hi - lo) / t <= 8) || TICKS[TICKS.length - 1];
    const ticks = [];
    const offscale = horizon < lo;
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const left = x(t);
      if (offscale && left < 14) continue; // room for the off-scale horizon marker
      const cls = 'tl-tick' + (left < 6 ? ' edge-left' : left > 94 ? ' edge-right' : '');
      ticks.push(h('span', { class: cls, style: 'left:' + left + '%' }, tickLabel(t, step)));
    }
    if (offscale) {
      ticks.unshift(h('span', { class: 'tl-offscale', title: 'retention horizon ' + time(horizon) + ' (now − '
        + duration(store.retentionMillis) + '), far left of the oldest segment: segments whose newest document is older are evicted' },
      '← horizon −' + duration(store.retentionMillis)));
    }
    const axis = h('div', { class: 'tl-row axis' },
      h('div', { class: 'tl-id muted' }, 'segment (UTC)'),
      h('div', { class: 'tl-track' }, ticks, lines()),
      h('div', { class: 'tl-stats' }, 'documents · size'));

    const rows = segs.map((seg) => {
      const [start, end] = span(seg);
      const reason = evict.get(seg.id);
      const title = seg.id + ' · ' + seg.state + (seg.class && seg.class !== 'default' ? ' · class ' + seg.class : '')
        + ' · ' + seg.documents + ' documents · ' + bytes(seg.sizeBytes)
        + '\n' + time(seg.minTimestamp) + ' → ' + time(seg.maxTimestamp)
        + (reason ? '\nnext eviction (' + reason + ')' : '');
      const bar = h('div', {
        class: 'tl-bar state-' + seg.state + (reason ? ' evict' : ''),
        style: 'left:' + x(start) + '%;width:' + Math.max(0, x(end) - x(start)) + '%',
      });
      const row = h('div', {
        class: 'tl-row' + (state.selected === seg.id ? ' selected' : ''),
        'data-segment': seg.id,
        'data-state': seg.state,
        'data-evict': reason ? 'true' : 'false',
        title,
        onclick: () => select(seg.id),
      },
      h('div', { class: 'tl-id' }, seg.id,
        seg.class && seg.class !== 'default' ? h('span', { class: 'tl-class muted' }, ' ' + seg.class) : null),
      h('div', { class: 'tl-track' }, bar, lines()),
      h('div', { class: 'tl-stats' }, reason ? h('span', { class: 'tl-evict-mark' }, 'evict · ') : null,
        docs(seg.documents) + ' · ' + bytes(seg.sizeBytes)));
      return row;
    });
    const scroll = box.scrollTop;
    box.replaceChildren(axis, ...rows);
    box.scrollTop = scroll;
    renderDetails();
  }

  function select(id) {
    state.selected = state.selected === id ? null : id;
    for (const row of document.querySelectorAll('.tl-row[data-segment]')) {
      row.classList.toggle('selected', row.dataset.segment === state.selected);
    }
    renderDetails();
  }

  function renderDetails() {
    const box = $('segment-details');
    const seg = state.segments.find((s) => s.id === state.selected);
    if (!seg) {
      box.hidden = true;
      return;
    }
    const reason = nextEviction().get(seg.id);
    const fields = [
      ['id', seg.id], ['state', seg.state], ['retention class', seg.class || 'default'], ['documents', seg.documents],
      ['size', bytes(seg.sizeBytes) + ' (' + seg.sizeBytes + ' bytes)'], ['compression', seg.compression],
      ['format', seg.format === 2 ? '2 (compacted, column index)' : seg.state === 'SEALED' ? '1 (waiting for compaction)' : String(seg.format)],
      ['created', time(seg.createdAt)], ['sealed', time(seg.sealedAt)], ['archived', time(seg.archivedAt)],
      ['oldest document', time(seg.minTimestamp)], ['newest document', time(seg.maxTimestamp)],
      ['next eviction', reason ? 'yes (' + reason + ')' : 'no'],
    ];
    if (seg.location) fields.push(['location', seg.location]);
    box.replaceChildren(h('strong', {}, 'Segment ' + seg.id),
      h('dl', {}, fields.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
    box.hidden = false;
  }

  function renderDisk() {
    const s = state.store;
    const box = $('disk');
    const free = s.freeDisk;
    // The gauge spans 0 … max(free, 4 × min-free-disk): the minimum is visible next to what is free.
    const scale = Math.max(free, s.minFreeDisk * 4, 1);
    const fill = h('div', { class: 'gauge-fill' + (s.writesRefused ? ' low' : ''), style: 'width:' + (free / scale) * 100 + '%' });
    const min = h('div', { class: 'gauge-min', style: 'left:' + (s.minFreeDisk / scale) * 100 + '%',
      title: 'segments.min-free-disk ' + bytes(s.minFreeDisk) });
    const total = s.maxTotalSize === null ? bytes(s.totalSize) + ' (no segments.max-total-size)'
      : bytes(s.totalSize) + ' of ' + bytes(s.maxTotalSize) + ' (segments.max-total-size)';
    box.replaceChildren(
      h('div', {}, h('strong', { id: 'free-disk' }, bytes(free)), ' free · minimum ', bytes(s.minFreeDisk),
        ' (segments.min-free-disk)'),
      h('div', { class: 'gauge', title: bytes(free) + ' free, minimum ' + bytes(s.minFreeDisk) }, fill, min),
      h('div', { id: 'disk-state', class: s.writesRefused ? 'bad' : 'ok' },
        s.writesRefused ? 'Below the minimum: writes are refused (507), reads go on.' : 'Writes accepted.'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'retention'), h('dd', {}, s.retention),
        h('dt', {}, 'retention horizon'), h('dd', { id: 'horizon' }, time(s.retentionHorizon)),
        h('dt', {}, 'store size'), h('dd', {}, total),
        (s.retentionClasses || []).length > 1 ? [h('dt', {}, 'retention classes'), h('dd', { id: 'retention-classes' },
          s.retentionClasses.map((c) => c.name + ' ' + c.retention
            + (c.maxTotalSize === null ? '' : ' (cap ' + bytes(c.maxTotalSize) + ')') + ': ' + bytes(c.totalSize)).join(' · '))] : null,
        h('dt', {}, 'next eviction'), h('dd', { id: 'next-eviction' }, s.nextEviction.length
          ? s.nextEviction.map((e) => e.segment + ' (' + e.reason + ')').join(', ') : 'nothing due on this node'),
        h('dt', {}, 'server time'), h('dd', {}, time(s.now))));
  }

  // ---------------------------------------------------------------- live journal (SSE over fetch)

  let lastSeq = null; // seq of the last event shown: sent as Last-Event-ID when (re)connecting
  let journalAbort = null;
  let firstConnection = true;

  function journalStatus(text, cls) {
    const el = $('journal-status');
    el.textContent = text;
    el.className = 'status ' + (cls || '');
  }

  function addEvent(ev, fresh) {
    const list = $('journal');
    list.querySelector('.empty')?.remove();
    const what = [ev.segment, ev.reason, ev.documents ? docs(ev.documents) : null,
      ev.location, ev.detail].filter(Boolean).join(' · ');
    const item = h('li', { class: fresh ? 'fresh' : null, 'data-seq': ev.seq, 'data-type': ev.type, 'data-segment': ev.segment,
      title: JSON.stringify(ev, null, 1) },
    h('span', { class: 'seq' }, '#' + ev.seq),
    h('span', {}, h('span', { class: 'type ' + ev.type }, ev.type.replace('SEGMENT_', '')), h('br'),
      h('span', { class: 'muted' }, time(ev.at))),
    h('span', { class: 'what' }, what));
    list.prepend(item);
    while (list.children.length > JOURNAL_MAX) list.lastElementChild.remove();
  }

  /**
   * Connects, reads events until the stream ends, then reconnects with Last-Event-ID: the server
   * replays what came after it, so nothing is missed and nothing is shown twice. Returns when
   * paused (the fetch is aborted).
   */
  async function followJournal() {
    let backoff = 1000;
    const abort = new AbortController();
    journalAbort = abort;
    for (;;) {
      let replaying = firstConnection; // the first connection replays the journal: no highlight for that
      try {
        journalStatus(lastSeq === null ? 'connecting…' : 'resuming after #' + lastSeq + '…');
        const headers = { Accept: 'text/event-stream' };
        if (lastSeq !== null) headers['Last-Event-ID'] = String(lastSeq);
        const sentKey = apiKey;
        const response = await fetch(API + '/events/stream', { headers: authHeaders(headers), signal: abort.signal });
        if (response.status === 401) {
          if (apiKey === sentKey) {
            const refused = sentKey !== null;
            if (refused) {
              apiKey = null;
              sessionStorage.removeItem(KEY_STORAGE);
            }
            await askForKey(refused);
          }
          continue;
        }
        if (!response.ok) throw new ApiError(response.status, await problemOf(response));
        journalStatus('live', 'live');
        backoff = 1000;
        firstConnection = false;
        if (!$('journal').children.length) $('journal').append(h('li', { class: 'empty' }, 'no events yet'));
        const settle = setTimeout(() => { replaying = false; }, 1500);
        await readEvents(response.body, (event) => {
          if (!event.data) return;
          const ev = JSON.parse(event.data);
          if (lastSeq !== null && ev.seq <= lastSeq) return; // already shown
          lastSeq = ev.seq;
          addEvent(ev, !replaying);
          if (!replaying) reloadSoon(); // a transition: the segments changed
        });
        clearTimeout(settle);
        journalStatus('stream ended, reconnecting…', 'down');
      } catch (e) {
        if (abort.signal.aborted) return;
        journalStatus('disconnected (' + (e.problem ? e.problem.title : e.message) + '), retrying…', 'down');
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
      if (abort.signal.aborted) return;
      backoff = Math.min(backoff * 2, 15000);
    }
  }

  function togglePause() {
    const button = $('journal-pause');
    if (journalAbort && !journalAbort.signal.aborted) {
      journalAbort.abort();
      journalStatus(lastSeq === null ? 'paused' : 'paused after #' + lastSeq, 'paused');
      button.textContent = 'Resume';
    } else {
      button.textContent = 'Pause';
      followJournal();
    }
  }

  /** Parses text/event-stream (the WHATWG rules: id, event, data, comments, blank line ends an event). */
  async function readEvents(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break; // maybe \r\n split across chunks
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data.length || event.id !== null) {
            onEvent({ id: event.id, type: event.type, data: event.data.join('\n') });
          }
          event = { id: null, type: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'data') event.data.push(val);
        else if (field === 'id' && !val.includes('\0')) event.id = val;
        else if (field === 'event') event.type = val;
      }
    }
  }

  // ---------------------------------------------------------------- search

  let searchRequest = null; // the body of the last search, for "next page"
  let shown = 0;

  /** "-15m", "-1h", "-7d" (before now), "now", or the text as given (RFC 3339, epoch ms). */
  function timeParam(text) {
    const t = text.trim();
    if (!t) return undefined;
    if (t === 'now') return new Date().toISOString();
    const rel = /^-(\d+)(s|m|h|d)$/.exec(t);
    if (rel) {
      const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[rel[2]];
      return new Date(Date.now() - Number(rel[1]) * unit).toISOString();
    }
    return t;
  }

  async function search(e) {
    e.preventDefault();
    const error = $('search-error');
    error.hidden = true;
    let filter;
    const text = $('filter').value.trim();
    try {
      filter = text ? JSON.parse(text) : {};
    } catch (parseError) {
      showProblem(error, new ApiError(0, { title: 'The filter is not JSON', detail: parseError.message }));
      return;
    }
    searchRequest = { filter, limit: Number($('limit').value) };
    const from = timeParam($('from').value);
    const to = timeParam($('to').value);
    if (from !== undefined) searchRequest.from = from;
    if (to !== undefined) searchRequest.to = to;
    $('results').tBodies[0].replaceChildren();
    $('results').hidden = true;
    $('more').hidden = true;
    shown = 0;
    $('search-summary').textContent = 'searching…';
    await page(null);
  }

  async function page(cursor) {
    const error = $('search-error');
    const body = Object.assign({}, searchRequest);
    if (cursor) body.cursor = cursor;
    $('search-button').disabled = true;
    $('more').disabled = true;
    try {
      const result = await api('/documents/search', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const tbody = $('results').tBodies[0];
      for (const doc of result.documents) tbody.append(...docRows(doc));
      shown += result.documents.length;
      $('results').hidden = shown === 0;
      const more = result.next !== null && result.next !== undefined;
      $('more').hidden = !more;
      $('more').onclick = () => page(result.next);
      $('search-summary').textContent = (shown === 0 ? 'No documents match.' : shown + ' document' + (shown === 1 ? '' : 's') + ' shown')
        + (more ? ' · more on the next page' : shown ? ' · that is all' : '')
        + (result.partial ? ' · partial: nodes ' + result.missing.join(', ') + ' did not answer' : '');
    } catch (err) {
      showProblem(error, err);
      $('search-summary').textContent = '';
    } finally {
      $('search-button').disabled = false;
      $('more').disabled = false;
    }
  }

  function docRows(doc) {
    const preview = JSON.stringify(doc.source);
    const full = h('tr', { class: 'full', hidden: true },
      h('td', { colspan: 4 }, JSON.stringify(doc, null, 2)));
    const row = h('tr', { class: 'doc', 'data-id': doc.id, title: 'click for the whole document' },
      h('td', {}, doc.id), h('td', {}, time(doc.timestamp)), h('td', {}, doc.segment),
      h('td', {}, preview.length > 160 ? preview.slice(0, 160) + '…' : preview));
    row.addEventListener('click', () => {
      full.hidden = !full.hidden;
      row.classList.toggle('open', !full.hidden);
    });
    return [row, full];
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    $('forget-key').hidden = !apiKey;
    $('forget-key').addEventListener('click', () => {
      apiKey = null;
      sessionStorage.removeItem(KEY_STORAGE);
      $('forget-key').hidden = true;
      if (journalAbort && !journalAbort.signal.aborted) { // the stream was opened with the key: reopen it
        journalAbort.abort();
        followJournal();
      }
      loadOverview();
    });
    $('refresh').addEventListener('click', loadOverview);
    $('scope-cluster').addEventListener('change', loadOverview);
    $('search-form').addEventListener('submit', search);
    for (const button of document.querySelectorAll('[data-range]')) {
      button.addEventListener('click', () => {
        $('from').value = button.dataset.range;
        $('to').value = '';
      });
    }
    loadOverview();
    $('journal-pause').addEventListener('click', togglePause);
    followJournal();
    setInterval(() => { if (!keyPrompt) loadOverview(); }, REFRESH_MS);
  }

  init();
})();
