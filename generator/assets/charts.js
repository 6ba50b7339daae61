// charts.js: draws the evidence map's charts (Trends, the gap map, Home) with vega-embed.
//
// Each chart container ([data-em-chart]) sits next to its Vega-Lite spec, inline as JSON, built by
// the generator with Altair. The offline Vega bundle (assets/vendor/vega/vega-bundle.js) is loaded
// only when a page has a chart. Pages arrive through Material's instant navigation (document$), and
// the charts are drawn again when the reader switches between the light and dark palettes.
(() => {
  "use strict";

  const BUNDLE = new URL("../vendor/vega/vega-bundle.js", document.currentScript.src).href;
  const live = new Map(); // container -> vega-embed result of its latest drawing
  const specs = new WeakMap(); // container -> spec shown (the gap map swaps its spec)
  const drawn = new WeakMap(); // container -> number of its latest drawing, to drop stale ones
  let bundle = null;

  function loadVega() {
    if (window.vegaEmbed) return Promise.resolve(window.vegaEmbed);
    if (!bundle) {
      bundle = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = BUNDLE;
        s.onload = () => resolve(window.vegaEmbed);
        s.onerror = () => {
          bundle = null;
          reject(new Error("could not load " + BUNDLE));
        };
        document.head.appendChild(s);
      });
    }
    return bundle;
  }

  const dark = () => document.body.getAttribute("data-md-color-scheme") === "slate";

  // Chart colours from Material's palette variables, so text, axes and the exported images follow
  // the light or dark scheme the reader chose.
  function config() {
    const css = getComputedStyle(document.body);
    const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const fg = v("--md-default-fg-color", dark() ? "#e2e4e9" : "#222");
    const light = v("--md-default-fg-color--light", dark() ? "#aab" : "#555");
    const lighter = v("--md-default-fg-color--lighter", "#888");
    const lightest = v("--md-default-fg-color--lightest", "#ddd");
    return {
      background: v("--md-default-bg-color", dark() ? "#1e2129" : "#fff"),
      font: css.fontFamily,
      title: { color: fg, fontSize: 14, anchor: "start" }, // left, like the page: wide charts scroll
      axis: { labelColor: light, titleColor: fg, domainColor: lighter, tickColor: lighter, gridColor: lightest },
      legend: { labelColor: light, titleColor: fg },
      text: { color: fg },
      view: { stroke: null },
    };
  }

  function options(el) {
    return {
      renderer: "svg",
      // Export only: the source, compiled and editor actions would open another origin.
      actions: { export: true, source: false, compiled: false, editor: false },
      config: config(),
      // Links in the specs (Explore) are relative to the site root; data-em-base leads there.
      loader: { baseURL: el.dataset.emBase || "" },
      tooltip: { theme: dark() ? "dark" : "light" },
      downloadFileName: (el.dataset.emPair || el.dataset.emChart).replace(/[^a-z0-9_-]+/gi, "-"),
    };
  }

  function inlineSpec(el) {
    const template = el.parentElement.querySelector("template.em-chart__spec");
    return JSON.parse(template.content.textContent);
  }

  async function draw(el) {
    const n = (drawn.get(el) || 0) + 1;
    drawn.set(el, n);
    const embed = await loadVega();
    if (drawn.get(el) !== n || !el.isConnected) return;
    const host = document.createElement("div");
    host.className = "em-chart__canvas";
    el.replaceChildren(host);
    const spec = specs.get(el) || inlineSpec(el);
    const result = await embed(host, structuredClone(spec), options(el));
    if (drawn.get(el) !== n || !el.isConnected) {
      result.finalize();
      return;
    }
    const before = live.get(el);
    if (before) before.finalize();
    live.set(el, result);
    el.dataset.emDrawn = String(n);
  }

  function drawSafely(el) {
    return draw(el).catch((err) => {
      el.replaceChildren(Object.assign(document.createElement("p"), {
        className: "em-chart__error",
        textContent: "The chart could not be drawn (" + err.message + "); its numbers are in the table below.",
      }));
      throw err;
    });
  }

  // ------------------------------------------------------------------ the gap map's axes

  function cell(tag, text, href, cls) {
    const c = document.createElement(tag);
    if (cls) c.className = cls;
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      c.append(a);
    } else {
      c.textContent = text;
    }
    return c;
  }

  // The numbers table of a gap-map spec: the same layout as the generator's (gapmap.table).
  function gapTable(spec, base) {
    const m = spec.usermeta.gap_map;
    const key = (r, c) => r + "\u0000" + c;
    const cells = new Map(spec.data.values.map((d) => [key(d[m.rows.facet], d[m.columns.facet]), d]));
    const table = document.createElement("table");
    table.createCaption().textContent = spec.title;
    const head = table.createTHead().insertRow();
    head.append(cell("th", m.rows.label + " \\ " + m.columns.label));
    m.columns.values.forEach((c) => head.append(cell("th", c.label)));
    head.append(cell("th", "Total"));
    head.querySelectorAll("th").forEach((th) => th.setAttribute("scope", "col"));
    const body = table.createTBody();
    for (const r of m.rows.values) {
      const tr = body.insertRow();
      tr.append(cell("th", r.label, base + r.explore));
      for (const c of m.columns.values) {
        const d = cells.get(key(r.value, c.value));
        tr.append(d ? cell("td", String(d.count), base + d.explore, "em-num") : cell("td", "0", null, "em-num"));
      }
      tr.append(cell("td", String(r.total), null, "em-num"));
    }
    const total = body.insertRow();
    total.append(cell("th", "Total"));
    m.columns.values.forEach((c) => total.append(cell("td", String(c.total), base + c.explore, "em-num")));
    total.append(cell("td", String(m.studies), null, "em-num"));
    body.querySelectorAll("tr > th").forEach((th) => th.setAttribute("scope", "row"));
    return table;
  }

  function showSpecText(el, spec, specUrl) {
    const figure = el.parentElement;
    el.setAttribute("aria-label", spec.title);
    const desc = document.getElementById(el.getAttribute("aria-describedby"));
    if (desc) desc.textContent = spec.description;
    const wrap = figure.querySelector(".em-chart__table");
    if (wrap) wrap.replaceChildren(gapTable(spec, el.dataset.emBase || ""));
    const link = figure.querySelector(".em-chart__links a");
    if (link) link.setAttribute("href", specUrl);
  }

  function setupGapMap(form) {
    const el = document.querySelector('[data-em-chart="' + form.dataset.emGapmap + '"]');
    if (!el || form.dataset.emReady) return null;
    form.dataset.emReady = "1";
    form.hidden = false;
    const rows = form.elements.namedItem("rows");
    const columns = form.elements.namedItem("columns");
    const status = form.querySelector(".em-gapmap__status");
    const base = el.dataset.emBase || "";
    const facets = new Set(Array.from(rows.options, (o) => o.value));
    const label = (select) => select.options[select.selectedIndex].textContent;
    const defaultSpecUrl = el.parentElement.querySelector(".em-chart__links a").getAttribute("href");
    let shown = [form.dataset.emRows, form.dataset.emColumns];

    async function show() {
      const pair = [rows.value, columns.value];
      const isDefault = pair[0] === form.dataset.emRows && pair[1] === form.dataset.emColumns;
      const url = isDefault ? defaultSpecUrl : base + form.dataset.emPairs + pair.join("--") + ".vl.json";
      status.textContent = "Loading " + label(rows) + " by " + label(columns) + "…";
      try {
        let spec = inlineSpec(el);
        if (!isDefault) {
          const res = await fetch(url);
          if (!res.ok) throw new Error(res.status + " " + res.statusText);
          spec = await res.json();
        }
        if (rows.value !== pair[0] || columns.value !== pair[1]) return; // the reader moved on
        specs.set(el, spec);
        el.dataset.emPair = isDefault ? el.dataset.emChart : "gap-map-" + pair.join("--");
        showSpecText(el, spec, url);
        shown = pair;
        const query = new URLSearchParams(location.search);
        if (isDefault) {
          query.delete("rows");
          query.delete("columns");
        } else {
          query.set("rows", pair[0]);
          query.set("columns", pair[1]);
        }
        const q = query.toString();
        history.replaceState(history.state, "", location.pathname + (q ? "?" + q : "") + location.hash);
        await drawSafely(el);
        status.textContent = "Showing " + label(rows) + " (rows) by " + label(columns) + " (columns).";
      } catch (err) {
        status.textContent = "Could not load " + label(rows) + " by " + label(columns) + ": " + err.message;
        [rows.value, columns.value] = shown;
      }
    }

    // One facet cannot be both axes: choosing the other axis's facet swaps them.
    rows.addEventListener("change", () => {
      if (rows.value === columns.value) columns.value = shown[0];
      show();
    });
    columns.addEventListener("change", () => {
      if (rows.value === columns.value) rows.value = shown[1];
      show();
    });
    form.querySelector("[data-em-swap]").addEventListener("click", () => {
      [rows.value, columns.value] = [columns.value, rows.value];
      show();
    });
    form.addEventListener("submit", (e) => e.preventDefault());

    const query = new URLSearchParams(location.search);
    const r = query.get("rows");
    const c = query.get("columns");
    if (r && c && r !== c && facets.has(r) && facets.has(c) && (r !== shown[0] || c !== shown[1])) {
      rows.value = r;
      columns.value = c;
      show();
      return el; // drawn by show()
    }
    return null;
  }

  // ------------------------------------------------------------------ page life cycle

  function drawPage() {
    for (const [el, result] of live) {
      if (!el.isConnected) {
        result.finalize();
        live.delete(el);
      }
    }
    const containers = document.querySelectorAll("[data-em-chart]");
    if (!containers.length) return;
    const handled = new Set();
    document.querySelectorAll("form[data-em-gapmap]").forEach((form) => {
      const el = setupGapMap(form);
      if (el) handled.add(el);
    });
    containers.forEach((el) => {
      if (!handled.has(el)) drawSafely(el).catch((err) => console.error(err));
    });
  }

  // Material sets data-md-color-scheme on <body> when the reader toggles the palette.
  new MutationObserver(() => {
    for (const el of live.keys()) if (el.isConnected) drawSafely(el).catch((err) => console.error(err));
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  if (typeof document$ !== "undefined") {
    document$.subscribe(drawPage); // eslint-disable-line no-undef
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawPage);
  } else {
    drawPage();
  }
})();
