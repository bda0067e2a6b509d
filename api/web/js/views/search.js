// The search page: one box, facets that filter, result cards, pagination; the URL holds the state.

import { api } from "../api.js";
import { announce, focusHeading, formatDate, h, render } from "../dom.js";
import { docTypeName, documentTitle, getLang, languageName, t } from "../i18n.js";
import { documentHash, navigate, searchHash } from "../router.js";
import { areaNamesNow } from "./kb.js";
import { errorBox } from "./states.js";

const PAGE_SIZE = 10;
const FILTER_KEYS = ["type", "lang", "issuer", "date_from", "date_to", "partner", "country", "area"];
/** How to name knowledge-base facet values (partner ids, area keys) for the answer on screen. */
let kbNames = { partner: {}, area: {} };
let searchSerial = 0;

/** The search state held in the URL, as a plain object. */
function stateFrom(params) {
  const state = { q: (params.get("q") || "").trim(), page: Math.max(1, Number(params.get("page")) || 1) };
  for (const key of FILTER_KEYS) state[key] = params.get(key) || "";
  return state;
}

function go(state) {
  navigate(searchHash(state));
}

export async function showSearch(view, params, { changedView = true } = {}) {
  const state = stateFrom(params);
  if (view.dataset.view !== "search" || changedView) buildSearchPage(view);
  const form = view.querySelector("form.search-form");
  form.elements.q.value = state.q;
  form.elements.date_from.value = state.date_from;
  form.elements.date_to.value = state.date_to;
  const results = view.querySelector("#results");
  const facets = view.querySelector("#facets");
  if (changedView) focusHeading(view);
  document.title = state.q ? `${state.q} – hoptac` : `${t("searchHeading")} – hoptac`;
  if (!state.q) {
    render(facets);
    facets.hidden = true;
    render(results, h("p", { class: "hint-box" }, t("noQuery")));
    await showCatalog(results, ++searchSerial);
    return;
  }
  await runSearch(state, results, facets);
}

function buildSearchPage(view) {
  view.dataset.view = "search";
  const form = h(
    "form",
    { class: "search-form", role: "search", "aria-labelledby": "search-heading", onsubmit: onSubmit },
    h("label", { for: "q", class: "search-label" }, t("searchLabel")),
    h(
      "div",
      { class: "search-row" },
      h("input", {
        id: "q", name: "q", type: "search", autocomplete: "off", spellcheck: "false",
        placeholder: t("searchPlaceholder"), "aria-describedby": "q-hint", required: true,
      }),
      h("button", { type: "submit", class: "primary" }, t("searchButton")),
    ),
    h("p", { id: "q-hint", class: "hint" }, t("searchHint")),
    h(
      "fieldset",
      { class: "date-range" },
      h("legend", {}, t("dateRange")),
      h("label", { for: "date_from" }, t("dateFrom")),
      h("input", { id: "date_from", name: "date_from", type: "date" }),
      h("label", { for: "date_to" }, t("dateTo")),
      h("input", { id: "date_to", name: "date_to", type: "date" }),
      h("button", { type: "submit" }, t("applyDates")),
    ),
  );
  render(
    view,
    h("h1", { id: "search-heading" }, t("searchHeading")),
    form,
    h(
      "div",
      { class: "search-layout" },
      h("aside", { id: "facets", class: "facets", "aria-label": t("filters"), hidden: true }),
      h("section", { id: "results", class: "results", "aria-label": t("searchHeading") }),
    ),
  );
}

function onSubmit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const current = stateFrom(new URLSearchParams(window.location.hash.split("?")[1] || ""));
  const q = form.elements.q.value.trim();
  if (!q) {
    form.elements.q.focus();
    return;
  }
  go({ ...current, q, date_from: form.elements.date_from.value, date_to: form.elements.date_to.value, page: 1 });
}

async function runSearch(state, results, facets) {
  const serial = ++searchSerial;
  results.setAttribute("aria-busy", "true");
  render(results, h("p", { class: "loading" }, t("searching")));
  let data;
  try {
    const areaNamesPromise = areaNamesNow().catch(() => ({}));
    data = await api.search({
      q: state.q,
      k: PAGE_SIZE,
      offset: (state.page - 1) * PAGE_SIZE,
      type: state.type,
      lang: state.lang,
      issuer: state.issuer,
      date_from: state.date_from,
      date_to: state.date_to,
      partner: state.partner,
      country: state.country,
      area: state.area,
    });
    kbNames = { partner: data.partner_names || {}, area: await areaNamesPromise };
  } catch (error) {
    if (serial !== searchSerial) return;
    results.removeAttribute("aria-busy");
    render(facets);
    facets.hidden = true;
    render(results, errorBox(error, () => runSearch(state, results, facets)));
    announce(t("errorTitle"));
    return;
  }
  if (serial !== searchSerial) return; // a newer search has started; drop this answer
  results.removeAttribute("aria-busy");
  renderFacets(facets, state, data.facets);
  const summaryText = Number.isFinite(data.total)
    ? t("resultsCount", { total: data.total, query: state.q, ms: Math.round(data.took_ms ?? 0) })
    : t("resultsCountNoTotal", { query: state.q, ms: Math.round(data.took_ms ?? 0) });
  const chips = activeFilters(state);
  if (!data.results.length) {
    render(
      results,
      chips,
      h(
        "div",
        { class: "empty-box" },
        h("h2", {}, t("emptyResults", { query: state.q })),
        h("p", {}, t("emptyAdvice")),
      ),
    );
    announce(t("emptyResults", { query: state.q }));
    return;
  }
  render(
    results,
    h("h2", { class: "results-summary", id: "results-summary" }, summaryText),
    languageSwitch(state, data.facets),
    facetRow(state, data.facets, "country", "resultsByCountry"),
    facetRow(state, data.facets, "area", "resultsByArea"),
    chips,
    h("ol", { class: "result-list", start: (state.page - 1) * PAGE_SIZE + 1 },
      data.results.map((result) => h("li", {}, resultCard(result, state)))),
    pagination(state, data),
  );
  announce(summaryText);
}

/** One passage as a card: where it is, what it says (with highlights), and how it was read. */
export function resultCard(result, state = null) {
  const lang = getLang();
  const title = documentTitle({ ...result, source_name: result.source });
  const meta = [
    result.number && h("span", { class: "meta-item" }, h("span", { class: "meta-key" }, `${t("number")}: `), result.number),
    result.doc_type && h("span", { class: "meta-item" }, docTypeName(result.doc_type)),
    result.issuer && h("span", { class: "meta-item" }, result.issuer),
    result.issue_date && h("time", { class: "meta-item", datetime: result.issue_date }, formatDate(result.issue_date, lang)),
  ].filter(Boolean);
  const where = [
    result.section && h("span", { class: "section-path" }, h("span", { class: "meta-key" }, `${t("section")}: `), result.section),
    result.page != null && h("span", { class: "meta-item" }, `${t("page")} ${result.page}`),
  ].filter(Boolean);
  const score = typeof result.score === "number" ? result.score.toFixed(3) : "";
  return h(
    "article",
    { class: "result-card", "data-document-id": result.document_id, "data-chunk-id": result.chunk_id },
    h(
      "div",
      { class: "card-head" },
      h("h3", { class: "card-title" }, h("a", { href: documentHash(result.document_id, result.chunk_id) }, title)),
      result.language && state
        ? h("a", {
            class: "badge lang-badge",
            href: searchHash({ ...state, lang: result.language, page: 1 }),
            title: t("onlyLanguage", { language: languageName(result.language) }),
            lang: "en",
          }, result.language.toUpperCase())
        : result.language &&
          h("span", { class: "badge lang-badge", title: languageName(result.language), lang: "en" }, result.language.toUpperCase()),
    ),
    meta.length ? h("p", { class: "card-meta" }, meta) : null,
    where.length ? h("p", { class: "card-where" }, where) : null,
    h("p", { class: "snippet", html: result.snippet || "" }),
    typeof result.original_text === "string" && result.original_text
      ? h("details", { class: "restored" },
          h("summary", {}, t("showOriginal")),
          h("p", { lang: "vi" }, result.original_text))
      : null,
    h(
      "div",
      { class: "card-foot" },
      result.text_restored
        ? h("span", { class: "badge ocr-badge", title: t("restoredTitle") }, t("restored"))
        : null,
      score && h("span", { class: "score" }, `${t("score")}: ${score}`),
      h("a", { class: "similar-link", href: `#/similar/${result.document_id}` }, t("similar")),
    ),
  );
}

/** When the hits are in more than one language: one click keeps only one language's results. */
function languageSwitch(state, facets) {
  const languages = Object.entries(facets?.language || {});
  if (state.lang || languages.length < 2) return null;
  return h(
    "p",
    { class: "language-switch" },
    h("span", { class: "meta-key" }, `${t("resultsIn")}: `),
    languages.map(([code, count]) =>
      h("a", { class: "chip", href: searchHash({ ...state, lang: code, page: 1 }), "data-language": code },
        `${languageName(code)} (${count})`)),
  );
}

/** The name to show for a facet value: partner ids and area keys by name, others as they are. */
function facetText(facetKey, value) {
  if (facetKey === "language" || facetKey === "lang") return languageName(value);
  if (facetKey === "type") return docTypeName(value);
  if (facetKey === "partner" || facetKey === "area") return kbNames[facetKey][value] || value;
  return value;
}

/** Like the language row: one click keeps the results of one partner country or area. */
function facetRow(state, facets, key, label) {
  const values = Object.entries(facets?.[key] || {}).slice(0, 6);
  if (state[key] || !values.length) return null;
  return h(
    "p",
    { class: "facet-row", "data-facet-row": key },
    h("span", { class: "meta-key" }, `${t(label)}: `),
    values.map(([value, count]) =>
      h("a", { class: "facet-chip", href: searchHash({ ...state, [key]: value, page: 1 }), "data-facet": key, "data-value": value },
        `${facetText(key, value)} (${count})`)),
  );
}

function activeFilters(state) {
  const active = FILTER_KEYS.filter((key) => state[key]);
  if (!active.length) return null;
  return h(
    "div",
    { class: "active-filters" },
    h("span", { class: "meta-key" }, `${t("activeFilters")}:`),
    active.map((key) => {
      const value = facetText(key, state[key]);
      const name = `${t(`filter_${key}`)}: ${value}`;
      return h(
        "button",
        { type: "button", class: "chip", "aria-label": t("removeFilter", { name }),
          onclick: () => go({ ...state, [key]: "", page: 1 }) },
        name, h("span", { "aria-hidden": "true" }, " ×"),
      );
    }),
    active.length > 1
      ? h("button", { type: "button", class: "link-button",
          onclick: () => go({ q: state.q, page: 1 }) }, t("clearFilters"))
      : null,
  );
}

/** Facet groups with counts; a click applies that value as a filter (years become a date range). */
function renderFacets(container, state, facets) {
  const groups = [];
  const add = (facetKey, filterKey, label, asState) => {
    const values = facets?.[facetKey];
    if (!values || !Object.keys(values).length) return;
    const entries = Object.entries(values).sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    groups.push(
      h(
        "section",
        { class: "facet-group" },
        h("h2", { class: "facet-title", id: `facet-${facetKey}` }, label),
        h("ul", { "aria-labelledby": `facet-${facetKey}` },
          entries.map(([value, count]) => {
            const next = asState(value);
            const selected = Object.entries(next).every(([k, v]) => state[k] === v);
            const text = facetText(facetKey, value);
            return h(
              "li", {},
              h("a", {
                href: searchHash(selected ? { ...state, ...clear(next), page: 1 } : { ...state, ...next, page: 1 }),
                class: selected ? "facet-link selected" : "facet-link",
                "aria-current": selected ? "true" : null,
                "data-facet": facetKey, "data-value": value,
              }, h("span", { class: "facet-value" }, text), h("span", { class: "count" }, String(count))),
            );
          })),
      ),
    );
  };
  add("type", "type", t("facet_type"), (v) => ({ type: v }));
  add("year", "year", t("facet_year"), (v) => ({ date_from: `${v}-01-01`, date_to: `${v}-12-31` }));
  add("issuer", "issuer", t("facet_issuer"), (v) => ({ issuer: v }));
  add("language", "lang", t("facet_language"), (v) => ({ lang: v }));
  add("partner", "partner", t("facet_partner"), (v) => ({ partner: v }));
  add("country", "country", t("facet_country"), (v) => ({ country: v }));
  add("area", "area", t("facet_area"), (v) => ({ area: v }));
  // On a phone the filters fold away, so the results come first on screen.
  const wide = !window.matchMedia("(max-width: 820px)").matches;
  render(container, groups.length
    ? h("details", { class: "facet-panel", open: wide }, h("summary", {}, t("filters")), groups)
    : null);
  container.hidden = !groups.length;
}

function clear(next) {
  return Object.fromEntries(Object.keys(next).map((k) => [k, ""]));
}

function pagination(state, data) {
  const total = Number.isFinite(data.total) ? data.total : null;
  const pages = total !== null ? Math.max(1, Math.ceil(total / PAGE_SIZE)) : null;
  const hasNext = pages !== null ? state.page < pages : data.results.length === PAGE_SIZE;
  if (state.page <= 1 && !hasNext) return null;
  return h(
    "nav",
    { class: "pagination", "aria-label": t("pagination") },
    state.page > 1
      ? h("a", { href: searchHash({ ...state, page: state.page - 1 }), rel: "prev" }, `← ${t("prev")}`)
      : h("span", { class: "disabled", "aria-hidden": "true" }, `← ${t("prev")}`),
    h("span", { class: "page-of" }, pages ? t("pageOf", { page: state.page, pages }) : `${t("page")} ${state.page}`),
    hasNext
      ? h("a", { href: searchHash({ ...state, page: state.page + 1 }), rel: "next" }, `${t("next")} →`)
      : h("span", { class: "disabled", "aria-hidden": "true" }, `${t("next")} →`),
  );
}

/** With no query, the archive's documents, so a librarian can browse and open any of them. */
async function showCatalog(container, serial) {
  let data;
  try {
    data = await api.documents();
  } catch (error) {
    if (serial === searchSerial) container.append(errorBox(error, () => showCatalog(container, serial)));
    return;
  }
  if (serial !== searchSerial || !data.documents.length) return; // a search started meanwhile
  const lang = getLang();
  const docs = [...data.documents].sort((a, b) => String(b.issue_date || "").localeCompare(String(a.issue_date || "")));
  container.append(
    h("section", { class: "catalog", "aria-labelledby": "catalog-heading" },
      h("h2", { id: "catalog-heading" }, t("catalogHeading", { total: data.total ?? docs.length })),
      h("div", { class: "table-wrap" },
        h("table", {},
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("field_title")),
            h("th", { scope: "col" }, t("field_number")),
            h("th", { scope: "col" }, t("field_doc_type")),
            h("th", { scope: "col" }, t("field_issue_date")),
            h("th", { scope: "col" }, t("field_languages")))),
          h("tbody", {}, docs.map((doc) => h("tr", {},
            h("td", {}, h("a", { href: documentHash(doc.id) }, documentTitle(doc))),
            h("td", {}, doc.number || ""),
            h("td", {}, docTypeName(doc.doc_type)),
            h("td", {}, formatDate(doc.issue_date, lang)),
            h("td", {}, (doc.languages || []).map(languageName).join(", ")))))))),
  );
}

/** Documents similar to one document, as result cards. */
export async function showSimilar(view, id) {
  view.dataset.view = "similar";
  render(view, h("p", { class: "loading" }, t("loading")));
  try {
    const [doc, data] = await Promise.all([api.document(id), api.similar(id, 30)]);
    const title = doc.title || doc.source_name;
    document.title = `${t("similar")} – hoptac`;
    render(
      view,
      h("p", { class: "breadcrumb" }, h("a", { href: documentHash(id) }, `← ${title}`)),
      h("h1", {}, t("similarTo", { title })),
      similarList(data),
    );
  } catch (error) {
    render(view, errorBox(error, () => showSimilar(view, id)));
  }
  focusHeading(view);
}

/** Similar passages from other documents, or a short note when there are none. */
export function similarList(data, limit = PAGE_SIZE) {
  // The API answers with passages; a reader asked for documents, so keep each document's best one.
  const seen = new Set();
  const results = (data.results || [])
    .filter((r) => !seen.has(r.document_id) && seen.add(r.document_id))
    .slice(0, limit);
  data = { ...data, results };
  if (!data.results?.length) return h("p", { class: "hint-box" }, t("emptyResults", { query: t("similar") }));
  return h("ol", { class: "result-list" }, data.results.map((r) => h("li", {}, resultCard(r))));
}
