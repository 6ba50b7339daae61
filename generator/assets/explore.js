// explore.js: the Explore page. Turns the plain table of every study (rendered at build time, so
// the page works without JavaScript) into a DataTables table with a filter per facet, a year range,
// free-text search, filter state in the URL and CSV/RIS downloads of the filtered rows.
//
// DataTables (from the itables package, copied to assets/vendor/datatables/) draws, sorts and pages
// the table. The facet filters are our own glue rather than its SearchPanes extension, because
// SearchPanes does not do what the map needs: its counts (viewTotal/cascadePanes) are counts of the
// rows the table shows, so after ticking a value the other values of the same pane drop to 0,
// whereas a reader needs, for each value, the studies it gives with the *other* filters; its state
// lives in localStorage, not in a shareable URL; and it builds one DataTable per pane (13 here),
// which its own documentation calls process heavy for large tables. Our filter is one pass over
// precomputed bit masks (OR within a facet, AND across) that also yields every count, and hands
// DataTables the result as a named fixed search.
//
// Material's instant navigation swaps page content without a reload, so everything starts from
// document$ (re-reading location.search each time) and the previous instance is torn down first.
// If anything fails to load (e.g. a page opened from file://), the plain table stays.
(() => {
  "use strict";

  // Resolved now: document.currentScript is only set while this file first runs.
  const SCRIPT = document.currentScript ? document.currentScript.src : location.href;
  const VENDOR = new URL("../vendor/datatables/", SCRIPT);
  const TEXT_DELAY = 150; // ms of typing pause before the text and year filters apply

  let current = null; // the mounted page instance, torn down on the next navigation
  let vendor = null; // promise of the DataTable class, imported once per session
  const cache = new Map(); // fetched JSON by URL, reused when coming back to the page

  const idle = window.requestIdleCallback ? (f) => requestIdleCallback(f, { timeout: 200 }) : (f) => setTimeout(f, 50);
  const cancelIdle = window.cancelIdleCallback ? (id) => cancelIdleCallback(id) : (id) => clearTimeout(id);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  // The stylesheet is awaited too, so the table never draws unstyled and then jumps.
  function loadStyles() {
    let link = document.querySelector("link[data-em-datatables]");
    if (link && link.sheet) return Promise.resolve();
    if (!link) {
      link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("dt_bundle.css", VENDOR).href;
      link.dataset.emDatatables = "";
      document.head.appendChild(link);
    }
    return new Promise((resolve, reject) => {
      link.addEventListener("load", () => resolve(), { once: true });
      link.addEventListener("error", () => {
        link.remove(); // so that the next visit tries again
        reject(new Error(`${link.href} did not load`));
      }, { once: true });
    });
  }

  function loadVendor() {
    // The bundle is an ES module; a classic extra_javascript file can still import() it.
    vendor = vendor || import(new URL("dt_bundle.js", VENDOR).href).then((m) => m.default);
    vendor.catch(() => { vendor = null; });
    return Promise.all([vendor, loadStyles()]).then(([DataTable]) => DataTable);
  }

  function fetchJSON(url) {
    if (!cache.has(url)) {
      const p = fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.json();
      });
      p.catch(() => cache.delete(url));
      cache.set(url, p);
    }
    return cache.get(url);
  }

  // --- model: the data as typed arrays for a fast filter ------------------------------------------

  function buildModel(data) {
    const col = Object.fromEntries(data.columns.map((c, i) => [c, i]));
    let words = 0;
    const facets = data.facets.map((f) => {
      const facet = {
        name: f.name, label: f.label, multi: f.multi,
        slugs: f.values.map((v) => v[0]), labels: f.values.map((v) => v[1]),
        index: new Map(f.values.map((v, i) => [v[0], i])),
        offset: words, words: Math.ceil(f.values.length / 32),
      };
      words += facet.words;
      return facet;
    });
    const n = data.studies.length;
    const masks = new Uint32Array(n * words); // bit v of facet f set when the study has value v
    const years = new Int32Array(n);
    const text = new Array(n);
    data.studies.forEach((s, i) => {
      s.f.forEach((values, fi) => {
        const base = i * words + facets[fi].offset;
        for (const v of values) masks[base + (v >>> 5)] |= 1 << (v & 31);
      });
      years[i] = s.row[col.year];
      text[i] = data.search.map((c) => s.row[col[c]]).join("\n").toLowerCase();
    });
    const yearMin = n ? Math.min(...years) : 0;
    const yearMax = n ? Math.max(...years) : 0;
    return { data, col, facets, words, masks, years, text, n, yearMin, yearMax, textCache: { q: null, ok: null } };
  }

  function emptyState(model) {
    return { sel: model.facets.map(() => new Set()), q: "", min: null, max: null };
  }

  // Year: "2015-2020", "2018", "2018-", "-2019"; anything else is ignored.
  function parseYear(value) {
    const m = /^\s*(\d{1,4})?\s*(-)?\s*(\d{1,4})?\s*$/.exec(value || "");
    if (!m || (!m[1] && !m[3])) return [null, null];
    const a = m[1] ? Number(m[1]) : null;
    const b = m[3] ? Number(m[3]) : null;
    if (!m[2]) return [a, a];
    return a !== null && b !== null && a > b ? [b, a] : [a, b];
  }

  function formatYear(min, max) {
    if (min === null && max === null) return "";
    if (min === max) return String(min);
    return (min === null ? "" : String(min)) + "-" + (max === null ? "" : String(max));
  }

  // Unknown parameters and values are ignored, never an error.
  function parseState(model, search) {
    const params = new URLSearchParams(search);
    const state = emptyState(model);
    model.facets.forEach((f, fi) => {
      for (const value of params.getAll(f.name)) {
        for (const slug of value.split(",")) {
          const i = f.index.get(slug.trim());
          if (i !== undefined) state.sel[fi].add(i);
        }
      }
    });
    state.q = (params.get("q") || "").trim();
    [state.min, state.max] = parseYear(params.get("year"));
    return state;
  }

  function stateQuery(model, state) {
    const parts = [];
    model.facets.forEach((f, fi) => {
      if (state.sel[fi].size) {
        const slugs = [...state.sel[fi]].sort((a, b) => a - b).map((i) => encodeURIComponent(f.slugs[i]));
        parts.push(`${f.name}=${slugs.join(",")}`);
      }
    });
    if (state.q.trim()) parts.push(`q=${encodeURIComponent(state.q.trim())}`);
    const year = formatYear(state.min, state.max);
    if (year) parts.push(`year=${year}`);
    return parts.length ? "?" + parts.join("&") : "";
  }

  function textMatches(model, q) {
    const query = q.trim().toLowerCase();
    if (model.textCache.q === query) return model.textCache.ok;
    const tokens = query.split(/\s+/).filter(Boolean);
    let ok = null;
    if (tokens.length) {
      ok = new Uint8Array(model.n);
      for (let i = 0; i < model.n; i++) {
        const t = model.text[i];
        ok[i] = tokens.every((tok) => t.includes(tok)) ? 1 : 0;
      }
    }
    model.textCache = { q: query, ok };
    return ok;
  }

  // One pass: which studies match, and for every facet value the number of studies matching all
  // other filters that have that value (OR within a facet, AND across facets, text and year).
  function evaluate(model, state) {
    const { facets, masks, words, years, n } = model;
    const studies = model.data.studies;
    const sel = facets.map((f, fi) => {
      if (!state.sel[fi].size) return null;
      const m = new Uint32Array(f.words);
      for (const v of state.sel[fi]) m[v >>> 5] |= 1 << (v & 31);
      return m;
    });
    const active = [];
    sel.forEach((m, fi) => m && active.push(fi));
    const ok = textMatches(model, state.q);
    const min = state.min === null ? -Infinity : state.min;
    const max = state.max === null ? Infinity : state.max;
    const matched = new Uint8Array(n);
    const counts = facets.map((f) => new Int32Array(f.slugs.length));
    let total = 0;
    const add = (i, fi) => {
      const c = counts[fi];
      for (const v of studies[i].f[fi]) c[v]++;
    };
    for (let i = 0; i < n; i++) {
      if ((ok && !ok[i]) || years[i] < min || years[i] > max) continue;
      let fails = 0;
      let failed = -1;
      for (let a = 0; a < active.length && fails < 2; a++) {
        const fi = active[a];
        const f = facets[fi];
        const m = sel[fi];
        const base = i * words + f.offset;
        let hit = false;
        for (let w = 0; w < f.words; w++) {
          if (masks[base + w] & m[w]) { hit = true; break; }
        }
        if (!hit) { fails++; failed = fi; }
      }
      if (fails === 0) {
        matched[i] = 1;
        total++;
        for (let fi = 0; fi < facets.length; fi++) add(i, fi);
      } else if (fails === 1) {
        add(i, failed); // misses only this facet's filter: counts for this facet's values
      }
    }
    return { matched, counts, total };
  }

  // --- downloads ------------------------------------------------------------------------------------

  // Quoted as Python's csv module does (QUOTE_MINIMAL, CRLF), so it equals the Data page's CSV rows.
  function csvCell(value) {
    const s = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function toCSV(columns, rows) {
    return [columns, ...rows].map((r) => r.map(csvCell).join(",") + "\r\n").join("");
  }

  function download(name, type, text) {
    // A detached link: Material's instant navigation never sees the click.
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 30000);
  }

  // --- the page -------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === true) node.setAttribute(k, "");
      else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function buildPanel(model, uid) {
    const form = el("form", { class: "em-explore__filters", role: "search", "aria-label": "Filter the studies" });
    const q = el("input", { type: "search", id: `${uid}-q`, name: "q", autocomplete: "off", spellcheck: "false" });
    form.append(el("div", { class: "em-filter em-filter--text" },
      el("label", { for: `${uid}-q` }, "Search titles, authors, summaries, datasets and architectures"), q));
    const ymin = el("input", { type: "number", id: `${uid}-ymin`, name: "year-min", inputmode: "numeric",
      min: String(model.yearMin), max: String(model.yearMax), placeholder: String(model.yearMin) });
    const ymax = el("input", { type: "number", id: `${uid}-ymax`, name: "year-max", inputmode: "numeric",
      min: String(model.yearMin), max: String(model.yearMax), placeholder: String(model.yearMax) });
    form.append(el("fieldset", { class: "em-filter em-filter--year" }, el("legend", {}, "Year"),
      el("label", { for: `${uid}-ymin` }, "From"), ymin, el("label", { for: `${uid}-ymax` }, "to"), ymax));
    const clear = el("button", { type: "button", class: "md-button em-explore__clear" }, "Clear all");
    form.append(clear);
    const boxes = [];
    const countEls = [];
    const details = [];
    const selectedEls = [];
    model.facets.forEach((f, fi) => {
      const fieldset = el("fieldset", { class: "em-facet__values" }, el("legend", { class: "em-visually-hidden" }, f.label));
      boxes.push([]);
      countEls.push([]);
      f.slugs.forEach((slug, vi) => {
        const box = el("input", { type: "checkbox", name: f.name, value: slug, "data-facet": String(fi), "data-value": String(vi) });
        const count = el("span", { class: "em-facet__count" }, "0");
        fieldset.append(el("label", { class: "em-facet__value" }, box, el("span", { class: "em-facet__label" }, f.labels[vi]), count));
        boxes[fi].push(box);
        countEls[fi].push(count);
      });
      const selected = el("span", { class: "em-facet__selected" });
      const d = el("details", { class: "em-facet", "data-facet": f.name }, el("summary", {}, f.label, selected), fieldset);
      details.push(d);
      selectedEls.push(selected);
      form.append(d);
    });
    return { form, q, ymin, ymax, clear, boxes, countEls, details, selectedEls };
  }

  function columnsFor(model) {
    const { col, facets } = model;
    const cell = (name) => (s) => s.row[col[name]];
    const text = (get) => (_d, type, s) => (type === "display" ? esc(get(s)) : get(s));
    const facetText = (fi) => (s) => s.f[fi].map((v) => facets[fi].labels[v]).join(", ");
    const columns = [
      { title: "Title", type: "string", render: (_d, type, s) => (type === "display" ? `<a href="${esc(s.url)}">${esc(s.row[col.title])}</a>` : s.row[col.title]) },
      { title: "Authors", type: "string", render: text((s) => s.authors) },
      { title: "Year", type: "num", orderSequence: ["desc", "asc"], render: (_d, _t, s) => s.row[col.year] },
      { title: "Venue", type: "string", render: text(cell("venue")) },
    ];
    for (const name of model.data.display) {
      const fi = facets.findIndex((f) => f.name === name);
      if (fi >= 0) columns.push({ title: esc(facets[fi].label), type: "string", render: text(facetText(fi)) });
    }
    columns.push({
      title: "Code", type: "string",
      render: (_d, type, s) => {
        const url = s.row[col.code_url];
        if (type === "display") return url ? `<a href="${esc(url)}">Code</a>` : "";
        return url ? "code" : "";
      },
    });
    // Our filter does the searching; DataTables need not build per-column search strings. Each
    // header click flips the order (no third, unsorted state).
    return columns.map((c) => ({ data: null, searchable: false, orderSequence: ["asc", "desc"], ...c }));
  }

  // Material reads ?q= on a fresh load as a shared site-search link: it opens its search with that
  // text and, when the search closes, deletes q from the URL. On Explore q is the table's text
  // filter, so close that search and put the URL back as it was.
  function closeSiteSearch(search) {
    const q = new URLSearchParams(search).get("q");
    const toggle = document.getElementById("__search");
    const input = document.querySelector(".md-search__input");
    if (q === null || !toggle || !toggle.checked || !input || input.value !== q) return;
    toggle.click();
    input.value = "";
    input.blur();
    history.replaceState(history.state, "", location.pathname + search + location.hash);
  }

  async function mount(root) {
    const inst = { root, alive: true, dt: null, timer: 0, urlTask: 0 };
    inst.destroy = () => {
      inst.alive = false;
      clearTimeout(inst.timer);
      if (inst.urlTask) cancelIdle(inst.urlTask);
      if (inst.dt) inst.dt.destroy();
      inst.dt = null;
    };
    current = inst;
    let DataTable, data;
    try {
      [DataTable, data] = await Promise.all([loadVendor(), fetchJSON(new URL(root.dataset.src, location.href).href)]);
    } catch (err) {
      root.classList.add("em-explore--failed"); // the plain table stays, and says so
      console.error("Explore: could not load the filters; showing the plain table", err);
      return inst;
    }
    if (!inst.alive || !root.isConnected) return inst;

    const model = data.__emModel || (data.__emModel = buildModel(data));
    closeSiteSearch(location.search);
    let state = parseState(model, location.search);
    let view = evaluate(model, state);
    const uid = "em-explore";
    const panel = buildPanel(model, uid);
    const status = root.querySelector(".em-explore__status");
    const count = root.querySelector("[data-result-count]");
    const csvButton = el("button", { type: "button", class: "md-button" }, "Download CSV");
    const risButton = el("button", { type: "button", class: "md-button" }, "Download RIS");
    const table = el("table", { class: "em-explore__dt display compact", style: "width:100%" },
      el("caption", { class: "em-visually-hidden" }, "Studies matching the filters"));
    const results = el("div", { class: "em-explore__results" },
      el("div", { class: "em-explore__bar" }, status, el("div", { class: "em-explore__downloads" }, csvButton, risButton)), table);
    const layout = el("div", { class: "em-explore__layout" }, panel.form, results);
    const staticTable = root.querySelector(".em-explore__static");
    root.insertBefore(layout, staticTable);

    const dt = new DataTable(table, {
      data: data.studies,
      columns: columnsFor(model),
      order: [[2, "desc"]],
      pageLength: 25,
      lengthMenu: [10, 25, 50, 100, 250],
      deferRender: true,
      autoWidth: false,
      layout: { topStart: "pageLength", topEnd: null, bottomStart: "info", bottomEnd: "paging" },
      language: {
        info: "Showing _START_ to _END_ of _TOTAL_ studies",
        infoEmpty: "No studies to show",
        infoFiltered: "",
        zeroRecords: "No study matches these filters",
        emptyTable: "No studies",
        lengthMenu: "_MENU_ studies per page",
        entries: { _: "studies", 1: "study" },
      },
    });
    inst.dt = dt;
    // A named search that DataTables applies on every draw: the rows our filter matched.
    dt.search.fixed("em-filters", (_s, _row, index) => view.matched[index] === 1);

    function syncInputs() {
      panel.q.value = state.q;
      panel.ymin.value = state.min === null ? "" : String(state.min);
      panel.ymax.value = state.max === null ? "" : String(state.max);
      panel.boxes.forEach((row, fi) => row.forEach((box, vi) => { box.checked = state.sel[fi].has(vi); }));
      panel.details.forEach((d, fi) => { if (state.sel[fi].size) d.open = true; });
    }

    function render() {
      // DataTables first: its pager measures itself, which forces a layout; the panel is not dirty yet.
      dt.draw();
      count.textContent = String(view.total);
      panel.countEls.forEach((row, fi) => row.forEach((span, vi) => {
        const c = String(view.counts[fi][vi]);
        if (span.textContent !== c) span.textContent = c;
        span.parentElement.classList.toggle("em-facet__value--none", c === "0" && !state.sel[fi].has(vi));
      }));
      panel.selectedEls.forEach((span, fi) => {
        const size = state.sel[fi].size;
        span.textContent = size ? `${size} selected` : "";
      });
    }

    // The address bar follows once the browser is idle: replaceState costs milliseconds (and
    // browsers throttle bursts of it), not worth delaying the new counts for. A pending write is
    // dropped when the page is left, so it can never rewrite another page's URL.
    function writeURL() {
      inst.urlTask = 0;
      if (!inst.alive || !root.isConnected) return;
      const query = stateQuery(model, state);
      if (query !== location.search) history.replaceState(history.state, "", location.pathname + query + location.hash);
    }

    function update() {
      view = evaluate(model, state);
      render();
      if (!inst.urlTask) inst.urlTask = idle(writeURL);
    }

    function readYear(input) {
      const v = input.value.trim();
      return /^\d{1,4}$/.test(v) ? Number(v) : null;
    }

    panel.form.addEventListener("submit", (e) => e.preventDefault());
    panel.form.addEventListener("change", (e) => {
      const box = e.target;
      if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
      const set = state.sel[Number(box.dataset.facet)];
      const v = Number(box.dataset.value);
      if (box.checked) set.add(v);
      else set.delete(v);
      update();
    });
    panel.form.addEventListener("input", (e) => {
      if (e.target !== panel.q && e.target !== panel.ymin && e.target !== panel.ymax) return;
      clearTimeout(inst.timer);
      inst.timer = setTimeout(() => {
        state.q = panel.q.value;
        state.min = readYear(panel.ymin);
        state.max = readYear(panel.ymax);
        update();
      }, TEXT_DELAY);
    });
    panel.clear.addEventListener("click", () => {
      clearTimeout(inst.timer);
      state = emptyState(model);
      syncInputs();
      update();
    });
    const shownRows = () => dt.rows({ search: "applied", order: "applied" }).indexes().toArray();
    csvButton.addEventListener("click", () => {
      const rows = shownRows().map((i) => data.studies[i].row);
      download("evidence-map-studies.csv", "text/csv;charset=utf-8", toCSV(data.columns, rows));
    });
    risButton.addEventListener("click", async () => {
      const indexes = shownRows();
      const ris = await fetchJSON(new URL(root.dataset.ris, location.href).href);
      download("evidence-map-studies.ris", "application/x-research-info-systems;charset=utf-8", indexes.map((i) => ris[i]).join("\n"));
    });

    syncInputs();
    render();
    // Out of the DOM, not just hidden: thousands of rows would still cost style recalculation.
    staticTable.remove();
    root.dataset.emReady = "";
    return inst;
  }

  function onPage() {
    const root = document.querySelector("[data-em-explore]");
    if (current && current.root === root) return; // the same page, announced twice
    if (current) current.destroy();
    current = null;
    if (root) mount(root);
  }

  if (typeof document$ !== "undefined") document$.subscribe(onPage);
  // Also without document$: Material does not emit it for pages opened from file://.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage, { once: true });
  else onPage();
})();
