// explore-core.js: what the Explore page computes, with no DOM, so it can be tested on its own in a
// blank page: the filter state and its URL, the filter (OR within a facet, AND across facets, exact
// dataset and architecture names, year range, free text) and, for every facet value, the number of
// studies it gives under the other filters. explore.js draws the page with it.
//
// A classic script that sets one global (window.EvidenceExplore) rather than an ES module: MkDocs'
// extra_javascript loads it once per full page load, before explore.js, and it stays available
// across Material's instant navigation; a module would need a different script type in mkdocs.yml.
//
// URL format (every parameter optional, any order; the page writes them in the order below):
//   <facet>=slug,slug        a facet of taxonomy.yaml by its field name; vocabulary slugs
//   dataset=name,name        exact dataset names (source or target), each encodeURIComponent'ed
//   architecture=name,name   exact architecture names, each encodeURIComponent'ed
//   q=text                   free-text search, every word must occur
//   year=2015-2020 | 2018 | 2015- | -2020
// Names are split on the raw "," before decoding, so a comma inside a name travels as %2C. As in
// any query string, "+" reads as a space. Unknown parameters and values are ignored, never an error.
(function (global) {
  "use strict";

  // The exact-name filters: URL parameter, label, studies.json vocabulary and per-study indices.
  const LISTS = [
    { name: "dataset", label: "Dataset", vocab: "datasets", key: "d" },
    { name: "architecture", label: "Architecture", vocab: "architectures", key: "a" },
  ];
  const YEAR_DIGITS = 4; // longer numbers are garbage, not years

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
    const lists = LISTS.map((l) => {
      const names = data[l.vocab] || [];
      return { ...l, names, index: new Map(names.map((n, i) => [n, i])) };
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
    let yearMin = 0;
    let yearMax = 0;
    for (let i = 0; i < n; i++) { // not Math.min(...years): that overflows the stack at ~100,000
      if (i === 0 || years[i] < yearMin) yearMin = years[i];
      if (i === 0 || years[i] > yearMax) yearMax = years[i];
    }
    return {
      data, col, facets, lists, words, masks, years, text, n, yearMin, yearMax,
      // studies.json names a rows file when its rows hold only the shown columns: the text search
      // (and the CSV) need the others, which completeRows puts in once the page has fetched them.
      complete: !data.rows,
      textCache: { q: null, ok: null }, listCache: lists.map(() => ({ key: null, ok: null })),
    };
  }

  // The full table rows (studies-rows.json, in the order of studies.json) into the model.
  function completeRows(model, rows) {
    if (model.complete) return model;
    if (!Array.isArray(rows) || rows.length !== model.n) throw new Error("the rows do not match the studies");
    const { data, col, text } = model;
    data.studies.forEach((s, i) => {
      s.row = rows[i];
      text[i] = data.search.map((c) => s.row[col[c]]).join("\n").toLowerCase();
    });
    model.textCache = { q: null, ok: null };
    model.complete = true;
    return model;
  }

  function emptyState(model) {
    return { sel: model.facets.map(() => new Set()), lists: model.lists.map(() => new Set()), q: "", min: null, max: null };
  }

  // --- year range ---------------------------------------------------------------------------------

  // A range is kept ordered, wherever it comes from (URL or the two inputs): "2020-2015" means the
  // same studies as "2015-2020", so the page, its inputs and its URL all say 2015-2020.
  function orderYears(min, max) {
    return min !== null && max !== null && min > max ? [max, min] : [min, max];
  }

  function readYearBound(text) {
    const t = String(text === null || text === undefined ? "" : text).trim();
    return new RegExp(`^\\d{1,${YEAR_DIGITS}}$`).test(t) ? Number(t) : null;
  }

  // "2015-2020", "2018", "2018-" (from), "-2019" (until), reversed ranges ordered; anything else
  // (letters, a lone "-", numbers of more than four digits, a third part) is [null, null].
  function parseYear(value) {
    const m = new RegExp(`^\\s*(\\d{1,${YEAR_DIGITS}})?\\s*(-)?\\s*(\\d{1,${YEAR_DIGITS}})?\\s*$`).exec(value || "");
    if (!m || (!m[1] && !m[3])) return [null, null];
    const a = m[1] ? Number(m[1]) : null;
    const b = m[3] ? Number(m[3]) : null;
    if (!m[2]) return b === null ? [a, a] : [null, null]; // "99999" is not 9999 and 9, nor "2015 2020" a range
    return orderYears(a, b);
  }

  function formatYear(min, max) {
    if (min === null && max === null) return "";
    if (min === max) return String(min);
    return (min === null ? "" : String(min)) + "-" + (max === null ? "" : String(max));
  }

  // --- URL ------------------------------------------------------------------------------------------

  // Percent-decoding that never throws (a stray "%" in a hand-edited URL is just garbage).
  function decode(s) {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch (_e) {
      return null;
    }
  }

  // name -> raw (still percent-encoded) values, in order. Not URLSearchParams: it decodes %2C to ","
  // before one could split, and an exact name may contain a comma.
  function queryParams(search) {
    const out = new Map();
    for (const part of String(search || "").replace(/^\?/, "").split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const name = decode(eq < 0 ? part : part.slice(0, eq));
      if (name === null) continue;
      if (!out.has(name)) out.set(name, []);
      out.get(name).push(eq < 0 ? "" : part.slice(eq + 1));
    }
    return out;
  }

  // The decoded items of a list parameter (every occurrence), split on the raw commas.
  function listItems(params, name) {
    const items = [];
    for (const raw of params.get(name) || []) {
      for (const item of raw.split(",")) {
        const v = decode(item);
        if (v !== null && v !== "") items.push(v);
      }
    }
    return items;
  }

  function firstValue(params, name) {
    const raw = (params.get(name) || [])[0];
    return raw === undefined ? null : decode(raw);
  }

  function parseState(model, search) {
    const params = queryParams(search);
    const state = emptyState(model);
    model.facets.forEach((f, fi) => {
      // Slugs never hold a comma, so an encoded one (%2C) separates them too.
      for (const item of listItems(params, f.name)) {
        for (const slug of item.split(",")) {
          const i = f.index.get(slug.trim());
          if (i !== undefined) state.sel[fi].add(i);
        }
      }
    });
    model.lists.forEach((l, li) => {
      for (const name of listItems(params, l.name)) {
        const i = l.index.get(name); // exact: same case, same spaces
        if (i !== undefined) state.lists[li].add(i);
      }
    });
    state.q = (firstValue(params, "q") || "").trim();
    [state.min, state.max] = parseYear(firstValue(params, "year"));
    return state;
  }

  // The canonical query of a state ("" or "?..."): parseState(formatQuery(s)) gives s back.
  function formatQuery(model, state) {
    const parts = [];
    const sorted = (set) => [...set].sort((a, b) => a - b);
    model.facets.forEach((f, fi) => {
      if (state.sel[fi].size) parts.push(`${f.name}=${sorted(state.sel[fi]).map((i) => encodeURIComponent(f.slugs[i])).join(",")}`);
    });
    model.lists.forEach((l, li) => {
      if (state.lists[li].size) parts.push(`${l.name}=${sorted(state.lists[li]).map((i) => encodeURIComponent(l.names[i])).join(",")}`);
    });
    if (state.q.trim()) parts.push(`q=${encodeURIComponent(state.q.trim())}`);
    const [min, max] = orderYears(state.min, state.max);
    const year = formatYear(min, max);
    if (year) parts.push(`year=${year}`);
    return parts.length ? "?" + parts.join("&") : "";
  }

  // --- the filter -----------------------------------------------------------------------------------

  // Cached per query: typing re-runs the filter often, mostly with the same words.
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

  // Studies having any of the selected names of an exact-name filter; null when it is not set.
  // Cached per selection, so ticking facets under a dataset filter does not redo it.
  function listMatches(model, li, selected) {
    if (!selected.size) return null;
    const cache = model.listCache[li];
    const key = [...selected].sort((a, b) => a - b).join(",");
    if (cache.key === key) return cache.ok;
    const ok = new Uint8Array(model.n);
    const k = model.lists[li].key;
    model.data.studies.forEach((s, i) => {
      for (const v of s[k] || []) if (selected.has(v)) { ok[i] = 1; break; }
    });
    model.listCache[li] = { key, ok };
    return ok;
  }

  // One pass: which studies match, and for every facet value the number of studies matching all
  // other filters that have that value (OR within a facet, AND across facets, names, text and year).
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
    const pre = [textMatches(model, state.q), ...model.lists.map((_l, li) => listMatches(model, li, state.lists[li]))].filter(Boolean);
    const [lo, hi] = orderYears(state.min, state.max);
    const min = lo === null ? -Infinity : lo;
    const max = hi === null ? Infinity : hi;
    const matched = new Uint8Array(n);
    const counts = facets.map((f) => new Int32Array(f.slugs.length));
    let total = 0;
    const add = (i, fi) => {
      const c = counts[fi];
      for (const v of studies[i].f[fi]) c[v]++;
    };
    outer: for (let i = 0; i < n; i++) {
      if (years[i] < min || years[i] > max) continue;
      for (let p = 0; p < pre.length; p++) if (!pre[p][i]) continue outer;
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

  // The exact-name filters that are set, for the page to show (and remove) one by one.
  function activeNames(model, state) {
    const out = [];
    model.lists.forEach((l, li) => {
      for (const vi of [...state.lists[li]].sort((a, b) => a - b)) out.push({ list: li, value: vi, label: l.label, name: l.names[vi] });
    });
    return out;
  }

  // --- CSV ------------------------------------------------------------------------------------------

  // Quoted as Python's csv module does (QUOTE_MINIMAL, CRLF), so it equals the Data page's CSV rows;
  // a text cell a spreadsheet would run as a formula gets a leading ' (OWASP), as downloads.py does.
  function csvCell(value) {
    let s = value === null || value === undefined ? "" : String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function toCSV(columns, rows) {
    return [columns, ...rows].map((r) => r.map(csvCell).join(",") + "\r\n").join("");
  }

  global.EvidenceExplore = Object.freeze({
    LISTS, buildModel, completeRows, emptyState, orderYears, readYearBound, parseYear, formatYear, queryParams, parseState,
    formatQuery, evaluate, activeNames, csvCell, toCSV,
  });
})(window);
