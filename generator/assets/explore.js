// explore.js: the Explore page. Replaces the plain table (rendered at build time, so the page works
// without JavaScript: the first 100 studies, with links to pages listing the rest) by a DataTables
// table of every study in studies.json, with a filter per facet, a year range,
// free-text search, exact dataset and architecture filters (from links on other pages, shown as
// removable chips), filter state in the URL and CSV/RIS downloads of the filtered rows. This file is
// the DOM; the state, its URL format and the filter are in explore-core.js (window.EvidenceExplore),
// which mkdocs.yml loads just before it.
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

  // --- downloads ------------------------------------------------------------------------------------

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
      { title: "Title", type: "string", render: (_d, type, s) => (type === "display" ? `<a href="${esc(model.data.study_base + s.id + "/")}">${esc(s.row[col.title])}</a>` : s.row[col.title]) },
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

    const core = window.EvidenceExplore;
    if (!core) {
      root.classList.add("em-explore--failed");
      console.error("Explore: explore-core.js is not loaded; showing the plain table");
      return inst;
    }
    const model = data.__emModel || (data.__emModel = core.buildModel(data));
    // The rows' other columns (summaries, full author lists, ...) come on demand: for the text
    // search and the CSV download, not on every visit.
    const rowsURL = new URL(data.rows || "", new URL(root.dataset.src, location.href)).href;
    const ensureRows = () => (model.complete ? Promise.resolve(model)
      : fetchJSON(rowsURL).then((rows) => core.completeRows(model, rows)));
    closeSiteSearch(location.search);
    let state = core.parseState(model, location.search);
    if (state.q && !model.complete) {
      try {
        await ensureRows();
      } catch (err) {
        console.error("Explore: could not load the rows for the text search", err);
      }
      if (!inst.alive || !root.isConnected) return inst;
    }
    let view = core.evaluate(model, state);
    const uid = "em-explore";
    const panel = buildPanel(model, uid);
    const status = root.querySelector(".em-explore__status");
    const count = root.querySelector("[data-result-count]");
    const csvButton = el("button", { type: "button", class: "md-button" }, "Download CSV");
    const risButton = el("button", { type: "button", class: "md-button" }, "Download RIS");
    const table = el("table", { class: "em-explore__dt display compact", style: "width:100%" },
      el("caption", { class: "em-visually-hidden" }, "Studies matching the filters"));
    // Exact-name filters have no checkbox (hundreds of names): links set them, chips show them.
    const chips = el("div", { class: "em-explore__chips", role: "group", "aria-label": "Exact filters", hidden: true });
    const results = el("div", { class: "em-explore__results" },
      el("div", { class: "em-explore__bar" }, status, el("div", { class: "em-explore__downloads" }, csvButton, risButton)), chips, table);
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

    function syncYears() {
      panel.ymin.value = state.min === null ? "" : String(state.min);
      panel.ymax.value = state.max === null ? "" : String(state.max);
    }

    let chipsKey = null;
    function renderChips() {
      const active = core.activeNames(model, state);
      const key = active.map((a) => `${a.list}:${a.value}`).join(",");
      if (key === chipsKey) return;
      chipsKey = key;
      chips.replaceChildren(...active.map((a) => el("button", { type: "button", class: "em-chip", "data-list": String(a.list), "data-value": String(a.value) },
        el("span", { class: "em-visually-hidden" }, "Remove the filter "), `${a.label}: ${a.name}`, el("span", { class: "em-chip__x", "aria-hidden": "true" }, " ×"))));
      chips.hidden = active.length === 0;
    }

    function syncInputs() {
      panel.q.value = state.q;
      syncYears();
      panel.boxes.forEach((row, fi) => row.forEach((box, vi) => { box.checked = state.sel[fi].has(vi); }));
      panel.details.forEach((d, fi) => { if (state.sel[fi].size) d.open = true; });
    }

    function render() {
      // DataTables first: its pager measures itself, which forces a layout; the panel is not dirty yet.
      dt.draw();
      count.textContent = String(view.total);
      renderChips();
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
      const query = core.formatQuery(model, state);
      if (query !== location.search) history.replaceState(history.state, "", location.pathname + query + location.hash);
    }

    function update() {
      if (state.q && !model.complete) {
        // The first text search: fetch the rows, then filter (a later update may come first).
        ensureRows().then(() => { if (inst.alive) update(); },
          (err) => console.error("Explore: could not load the rows for the text search", err));
        return;
      }
      view = core.evaluate(model, state);
      render();
      if (!inst.urlTask) inst.urlTask = idle(writeURL);
    }

    function readInputs() {
      state.q = panel.q.value;
      [state.min, state.max] = core.orderYears(core.readYearBound(panel.ymin.value), core.readYearBound(panel.ymax.value));
    }

    panel.form.addEventListener("submit", (e) => e.preventDefault());
    panel.form.addEventListener("change", (e) => {
      const box = e.target;
      if (box === panel.ymin || box === panel.ymax) {
        // A year committed (Enter, leaving the field, a spin click): apply now, and show a reversed
        // range in order, as the filter and the URL have it. Not while typing: that would swap
        // digits under the cursor.
        clearTimeout(inst.timer);
        readInputs();
        syncYears();
        update();
        return;
      }
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
        readInputs();
        update();
      }, TEXT_DELAY);
    });
    panel.clear.addEventListener("click", () => {
      clearTimeout(inst.timer);
      state = core.emptyState(model);
      syncInputs();
      update();
    });
    chips.addEventListener("click", (e) => {
      const chip = e.target instanceof Element ? e.target.closest(".em-chip") : null;
      if (!chip) return;
      const next = chip.nextElementSibling || chip.previousElementSibling;
      state.lists[Number(chip.dataset.list)].delete(Number(chip.dataset.value));
      update();
      // The button is gone: keep the keyboard focus on the chips, or move it to the search box.
      const again = next && chips.querySelector(`.em-chip[data-list="${next.dataset.list}"][data-value="${next.dataset.value}"]`);
      (again || panel.q).focus();
    });
    const shownRows = () => dt.rows({ search: "applied", order: "applied" }).indexes().toArray();
    panel.q.addEventListener("focus", () => { ensureRows().catch(() => {}); }, { once: true });
    csvButton.addEventListener("click", async () => {
      const indexes = shownRows();
      await ensureRows();
      const rows = indexes.map((i) => data.studies[i].row);
      download("evidence-map-studies.csv", "text/csv;charset=utf-8", core.toCSV(data.columns, rows));
    });
    risButton.addEventListener("click", async () => {
      const indexes = shownRows();
      const ris = await fetchJSON(new URL(root.dataset.ris, location.href).href);
      download("evidence-map-studies.ris", "application/x-research-info-systems;charset=utf-8", indexes.map((i) => ris[i]).join("\n"));
    });

    syncInputs();
    render();
    // A URL that is not in canonical form (a reversed or garbage year, unknown values) is rewritten
    // to the one that says what the page shows, so that sharing it shares this view.
    inst.urlTask = idle(writeURL);
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
