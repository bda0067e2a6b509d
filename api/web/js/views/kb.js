// The knowledge base: partners (list and one partner) and the agreements table. Everything shown
// comes from /api/partners and /api/agreements, already limited to what the user may see.

import { api, queryString } from "../api.js";
import { announce, focusHeading, formatDate, h, render } from "../dom.js";
import { getLang, t } from "../i18n.js";
import { documentHash, navigate } from "../router.js";
import { errorBox } from "./states.js";

let areaNames = null;

/** Area key -> name in the current language (the taxonomy is asked for once). */
async function areaName(key) {
  if (!areaNames) {
    const { areas } = await api.areas();
    areaNames = Object.fromEntries(areas.map((a) => [a.key, a]));
  }
  const area = areaNames[key];
  if (!area) return key;
  return getLang() === "vi" ? area.name_vi : area.name_en;
}

/** Area key -> name in the current language, for pages that name areas synchronously. */
export async function areaNamesNow() {
  await areaName("");
  return Object.fromEntries(Object.values(areaNames).map((a) => [a.key, getLang() === "vi" ? a.name_vi : a.name_en]));
}

async function areaList(keys) {
  return (await Promise.all(keys.map(areaName))).join(", ");
}

function select(id, label, value, options) {
  return h("label", { for: id }, label,
    h("select", { id, name: id },
      options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === (value || "") }, text))));
}

async function areaOptions() {
  await areaName("");
  return [["", t("kbAll")], ...Object.values(areaNames).map((a) => [a.key, getLang() === "vi" ? a.name_vi : a.name_en])];
}

export async function showPartners(view, params) {
  view.dataset.view = "partners";
  document.title = `${t("partnersHeading")} – hoptac`;
  const query = { q: params.get("q") || "", country: params.get("country") || "", area: params.get("area") || "" };
  try {
    const [{ partners }, all, areaChoices] = await Promise.all([
      api.partners(query), api.partners({}), areaOptions(),
    ]);
    const countries = [...new Set(all.partners.map((p) => p.country).filter(Boolean))].sort();
    const form = h("form", { class: "kb-filters", role: "search", onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const next = new URLSearchParams();
      for (const key of ["q", "country", "area"]) if (data.get(key)) next.set(key, data.get(key));
      navigate(`#/partners${next.toString() ? `?${next}` : ""}`);
    } },
      h("label", { for: "q" }, t("kbSearchPartner"), h("input", { id: "q", name: "q", type: "search", value: query.q })),
      select("country", t("kbCountry"), query.country, [["", t("kbAll")], ...countries.map((c) => [c, c])]),
      select("area", t("kbArea"), query.area, areaChoices),
      h("button", { type: "submit" }, t("kbFilter")));
    const rows = await Promise.all(partners.map(async (p) => h("tr", { "data-partner-id": p.id },
      h("th", { scope: "row" }, h("a", { href: `#/partners/${p.id}` }, p.name), p.confirmed ? " ✓" : ""),
      h("td", {}, p.country || ""),
      h("td", {}, t(`kbSide_${p.side}`)),
      h("td", { class: "number" }, String(p.documents)),
      h("td", {}, p.last_activity ? formatDate(p.last_activity, getLang()) : ""),
      h("td", {}, await areaList(p.areas)))));
    render(view,
      h("h1", {}, t("partnersHeading")),
      form,
      h("p", { class: "kb-count", role: "status" }, t("kbPartnerCount", { n: partners.length })),
      h("table", { class: "kb-table", id: "partners-table" },
        h("thead", {}, h("tr", {}, ["kbName", "kbCountry", "kbSide", "kbDocuments", "kbLastActivity", "kbAreas"]
          .map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, rows)));
  } catch (error) {
    render(view, h("h1", {}, t("partnersHeading")), errorBox(error, () => showPartners(view, params)));
  }
  focusHeading(view);
}

let mePromise = null;

/** Whether the signed-in user may correct the knowledge base (librarians and admins). */
async function canEdit() {
  mePromise = mePromise || api.me().catch(() => null);
  const me = await mePromise;
  return Boolean(me && (me.role === "librarian" || me.role === "admin"));
}

/** A small form that calls `action(data)`, says how it went, then `after(result)`. */
function correctionForm(id, legend, fields, action, after) {
  const status = h("p", { class: "save-status", role: "status", "aria-live": "polite" });
  return h("form", { class: "kb-correction", id, onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    status.textContent = t("kbSaving");
    status.className = "save-status";
    try {
      const result = await action(data);
      status.textContent = t("kbSaved");
      await after(result);
    } catch (error) {
      status.textContent = error.message;
      status.className = "save-status failed";
    }
  } },
    h("fieldset", {}, h("legend", {}, legend), fields, h("button", { type: "submit" }, t("kbSave"))), status);
}

function partnerCorrections(view, partner, others) {
  const reload = (result) => (String(result.id) === String(partner.id)
    ? showPartner(view, partner.id) : navigate(`#/partners/${result.id}`));
  return h("section", { class: "kb-corrections", "aria-labelledby": "corrections-heading" },
    h("h2", { id: "corrections-heading" }, t("kbCorrections")),
    correctionForm("partner-rename", t("kbRenameLegend"), [
      h("label", { for: "partner-name" }, t("kbName"), h("input", { id: "partner-name", name: "name", value: partner.name, required: true })),
      h("label", { for: "partner-country" }, t("kbCountry"), h("input", { id: "partner-country", name: "country", value: partner.country || "" })),
      h("label", { for: "partner-confirmed", class: "check" },
        h("input", { id: "partner-confirmed", name: "confirmed", type: "checkbox", checked: partner.confirmed }), t("kbConfirmed")),
    ], (data) => api.correctPartner(partner.id, {
      name: data.get("name"), country: data.get("country"), confirmed: data.get("confirmed") === "on",
    }), reload),
    others.length ? correctionForm("partner-merge", t("kbMergeLegend"), [
      h("label", { for: "merge-into" }, t("kbMergeInto"),
        h("select", { id: "merge-into", name: "into" }, others.map((p) => h("option", { value: p.id }, `${p.name}${p.country ? ` (${p.country})` : ""}`)))),
    ], (data) => api.mergePartner(partner.id, Number(data.get("into"))), reload) : null,
    partner.aliases.length ? correctionForm("partner-split", t("kbSplitLegend"), [
      h("label", { for: "split-surface" }, t("kbSplitName"),
        h("select", { id: "split-surface", name: "surface" }, partner.aliases.map((a) => h("option", { value: a }, a)))),
    ], (data) => api.splitPartner(partner.id, data.get("surface")), reload) : null);
}

function timelineList(partner) {
  if (!partner.timeline?.length) return h("p", {}, t("kbNone"));
  return h("ol", { class: "kb-timeline" }, partner.timeline.map((e) => h("li", { "data-kind": e.kind },
    h("time", { datetime: e.date }, formatDate(e.date, getLang())), " — ",
    `${t(`kbEvent_${e.kind}`)}: `,
    h("a", { href: documentHash(e.document_id) }, e.number || e.title || `#${e.document_id}`))));
}

export async function showPartner(view, id) {
  view.dataset.view = "partner";
  try {
    const [partner, editor] = await Promise.all([api.partner(id), canEdit()]);
    const others = editor ? (await api.partners({})).partners.filter((p) => p.id !== partner.id) : [];
    document.title = `${partner.name} – hoptac`;
    render(view,
      h("p", {}, h("a", { href: "#/partners" }, `← ${t("partnersHeading")}`)),
      h("h1", {}, partner.name),
      h("dl", { class: "kb-facts" },
        h("dt", {}, t("kbCountry")), h("dd", { "data-field": "country" }, partner.country || "—"),
        h("dt", {}, t("kbSide")), h("dd", {}, t(`kbSide_${partner.side}`)),
        h("dt", {}, t("kbAliases")), h("dd", { "data-field": "aliases" }, partner.aliases.join("; ") || "—"),
        h("dt", {}, t("kbAreas")), h("dd", {}, await areaList(partner.areas) || "—")),
      h("h2", {}, t("agreementsHeading")),
      partner.agreements.length
        ? h("ul", { class: "kb-agreements" }, partner.agreements.map((a) => h("li", {},
          h("a", { href: documentHash(a.document_id) }, a.number || a.title || `#${a.document_id}`),
          ` — ${t(`kbStatus_${a.status}`)}`, a.expires ? `, ${t("kbExpires")} ${formatDate(a.expires, getLang())}` : "")))
        : h("p", {}, t("kbNone")),
      h("h2", {}, t("kbTimeline")),
      timelineList(partner),
      h("h2", {}, t("kbMentions")),
      h("ol", { class: "kb-mentions" }, partner.mentions.map((m) => h("li", {},
        h("a", { href: documentHash(m.document_id, m.chunk_id) }, m.document_title || `#${m.document_id}`),
        ` (${t("kbPage")} ${m.page}) `,
        h("blockquote", {}, m.passage)))),
      editor ? partnerCorrections(view, partner, others) : null);
  } catch (error) {
    render(view, h("h1", {}, t("partnersHeading")), errorBox(error, () => showPartner(view, id)));
  }
  focusHeading(view);
}

function fundingText(funding) {
  return funding.map((f) => [
    f.amount ? new Intl.NumberFormat(getLang()).format(f.amount) : "", f.currency || "", f.funders.join(", "),
  ].filter(Boolean).join(" ")).filter(Boolean).join("; ");
}

/** Sortable columns of the agreements table: header key and the value each row sorts by. */
const AGREEMENT_COLUMNS = [
  ["kbDocument", (a) => a.number || a.title || ""],
  ["kbPartners", (a) => a.parties.filter((p) => p.side === "foreign").map((p) => p.name).join(", ")],
  ["kbCountry", (a) => [...new Set(a.parties.filter((p) => p.side === "foreign").map((p) => p.country).filter(Boolean))].join(", ")],
  ["kbSigned", (a) => a.signed || ""],
  ["kbMonths", (a) => a.duration_months ?? -1],
  ["kbExpires", (a) => a.expires || ""],
  ["kbStatus", (a) => a.status],
  ["kbFunding", (a) => a.funding.reduce((sum, f) => sum + (f.amount || 0), 0)],
  ["kbAreas", (a) => a.areas.join(",")],
];
const AGREEMENT_FILTERS = ["status", "months", "partner", "country", "area"];

function sortRows(agreements, sort, descending) {
  const column = AGREEMENT_COLUMNS.find(([key]) => key === sort);
  if (!column) return agreements;
  const value = column[1];
  const sorted = [...agreements].sort((x, y) => {
    const [a, b] = [value(x), value(y)];
    const order = typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), getLang());
    return order || x.document_id - y.document_id;
  });
  return descending ? sorted.reverse() : sorted;
}

/** For librarians: the signing date in place, for an agreement whose text gives none. */
function signedForm(view, params, agreement) {
  const label = t("kbSignedOf", { name: agreement.number || agreement.title || `#${agreement.document_id}` });
  return h("form", { class: "kb-signed", onsubmit: async (event) => {
    event.preventDefault();
    const input = event.target.elements.signed;
    try {
      await api.correctAgreement(agreement.document_id, input.value || null);
      await showAgreements(view, params);
      announce(t("kbSaved"));
    } catch (error) {
      input.setCustomValidity(error.message);
      input.reportValidity();
    }
  } },
    h("input", { type: "date", name: "signed", value: agreement.signed || "", "aria-label": label }),
    h("button", { type: "submit", "aria-label": `${t("kbSave")}: ${label}` }, t("kbSave")));
}

export async function showAgreements(view, params) {
  view.dataset.view = "agreements";
  document.title = `${t("agreementsHeading")} – hoptac`;
  const query = Object.fromEntries(AGREEMENT_FILTERS.map((key) => [key, params.get(key) || ""]));
  query.months = query.months || "12";
  const sort = params.get("sort") || "";
  const descending = params.get("dir") === "desc";
  const hashWith = (changes) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, sort, dir: descending ? "desc" : "", ...changes })) {
      if (value && !(key === "months" && value === "12")) next.set(key, value);
    }
    return `#/agreements${next.toString() ? `?${next}` : ""}`;
  };
  try {
    const [{ agreements }, all, areaChoices, editor] = await Promise.all([
      api.agreements(query), api.partners({}), areaOptions(), canEdit(),
    ]);
    const foreign = all.partners.filter((p) => p.side === "foreign");
    const countries = [...new Set(foreign.map((p) => p.country).filter(Boolean))].sort();
    const form = h("form", { class: "kb-filters", onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      navigate(hashWith(Object.fromEntries(AGREEMENT_FILTERS.map((key) => [key, data.get(key) || ""]))));
    } },
      h("label", { for: "partner" }, t("kbPartner"),
        h("select", { id: "partner", name: "partner" },
          [["", t("kbAll")], ...foreign.map((p) => [String(p.id), p.name])].map(([value, text]) =>
            h("option", { value, selected: value === query.partner }, text)))),
      select("country", t("kbCountry"), query.country, [["", t("kbAll")], ...countries.map((c) => [c, c])]),
      select("area", t("kbArea"), query.area, areaChoices),
      select("status", t("kbStatus"), query.status,
        [["", t("kbAll")], ...["active", "expiring", "expired", "unknown"].map((s) => [s, t(`kbStatus_${s}`)])]),
      h("label", { for: "months" }, t("kbWithinMonths"),
        h("input", { id: "months", name: "months", type: "number", min: 1, max: 600, value: query.months })),
      h("button", { type: "submit" }, t("kbFilter")));
    const rows = await Promise.all(sortRows(agreements, sort, descending).map(async (a) => {
      const parties = a.parties.filter((p) => p.side === "foreign");
      return h("tr", { "data-document-id": a.document_id, "data-status": a.status },
        h("th", { scope: "row" }, h("a", { href: documentHash(a.document_id) }, a.number || a.title || `#${a.document_id}`)),
        h("td", {}, parties.map((p, i) => [i ? ", " : "", h("a", { href: `#/partners/${p.id}` }, p.name)])),
        h("td", {}, [...new Set(parties.map((p) => p.country).filter(Boolean))].join(", ")),
        h("td", { "data-field": "signed" }, editor ? signedForm(view, params, a) : a.signed ? formatDate(a.signed, getLang()) : "—"),
        h("td", { class: "number", "data-field": "months" }, a.duration_months ? String(a.duration_months) : "—"),
        h("td", { "data-field": "expires" }, a.expires ? formatDate(a.expires, getLang()) : "—"),
        h("td", {}, t(`kbStatus_${a.status}`)),
        h("td", {}, fundingText(a.funding)),
        h("td", {}, await areaList(a.areas)));
    }));
    const exportQuery = queryString(Object.fromEntries(
      Object.entries(query).filter(([key, value]) => value && !(key === "months" && value === "12"))));
    const suffix = exportQuery ? `?${exportQuery}` : "";
    render(view,
      h("h1", {}, t("agreementsHeading")),
      form,
      h("p", { class: "kb-exports" },
        h("a", { href: `/api/agreements.csv${suffix}`, download: "agreements.csv" }, t("kbExportCsv")), " · ",
        h("a", { href: `/api/agreements.xlsx${suffix}`, download: "agreements.xlsx" }, t("kbExportXlsx"))),
      h("p", { class: "kb-count", role: "status" }, t("kbAgreementCount", { n: agreements.length })),
      h("table", { class: "kb-table", id: "agreements-table" },
        h("thead", {}, h("tr", {}, AGREEMENT_COLUMNS.map(([key]) => {
          const active = sort === key;
          return h("th", { scope: "col", "aria-sort": active ? (descending ? "descending" : "ascending") : "none" },
            h("a", { href: hashWith({ sort: key, dir: active && !descending ? "desc" : "" }), class: "sort-link", "data-sort": key },
              t(key), active ? (descending ? " ▼" : " ▲") : ""));
        }))),
        h("tbody", {}, rows)));
  } catch (error) {
    render(view, h("h1", {}, t("agreementsHeading")), errorBox(error, () => showAgreements(view, params)));
  }
  focusHeading(view);
}

async function areaCorrections(documentId, areas, reload) {
  const present = new Set(areas.map((a) => a.key));
  const choices = (await areaOptions()).filter(([key]) => key);
  return h("div", { class: "kb-area-corrections" },
    correctionForm("area-add", t("kbAddArea"), [
      h("label", { for: "add-area" }, t("kbAreaToAdd"),
        h("select", { id: "add-area", name: "area" }, choices.filter(([key]) => !present.has(key)).map(([key, name]) => h("option", { value: key }, name)))),
    ], (data) => api.tagDocument(documentId, data.get("area"), true), reload),
    areas.length ? correctionForm("area-remove", t("kbRemoveArea"), [
      h("label", { for: "remove-area" }, t("kbAreaToRemove"),
        h("select", { id: "remove-area", name: "area" }, choices.filter(([key]) => present.has(key)).map(([key, name]) => h("option", { value: key }, name)))),
    ], (data) => api.tagDocument(documentId, data.get("area"), false), reload) : null);
}

/**
 * A document's place in the knowledge base, for its page: partners, areas, the documents it cites
 * (linked, or marked as not in the archive) and those citing it. Filled once the answer comes.
 */
export function relationsSection(documentId) {
  const section = h("section", { class: "doc-relations", "aria-labelledby": "relations-heading" },
    h("h2", { id: "relations-heading" }, t("kbRelations")), h("p", { class: "loading" }, t("loading")));
  api.relations(documentId).then(async (relations) => {
    const cite = (c) => h("li", { "data-number": c.number },
      c.document_id ? h("a", { href: documentHash(c.document_id) }, `${c.doc_type} ${c.number}`) : `${c.doc_type} ${c.number}`,
      c.document_id ? "" : ` (${t("kbMissing")})`);
    render(section,
      h("h2", { id: "relations-heading" }, t("kbRelations")),
      h("h3", {}, t("navPartners")),
      relations.partners.length
        ? h("ul", { class: "doc-partners" }, relations.partners.map((p) =>
          h("li", {}, h("a", { href: `#/partners/${p.id}` }, p.name), p.country ? ` (${p.country})` : "")))
        : h("p", {}, t("kbNone")),
      h("h3", {}, t("kbAreas")),
      h("p", { class: "doc-areas" }, await areaList(relations.areas.map((a) => a.key)) || t("kbNone")),
      await canEdit() ? await areaCorrections(documentId, relations.areas, () => section.replaceWith(relationsSection(documentId))) : null,
      h("h3", {}, t("kbTwins")),
      relations.twins?.length
        ? h("ul", { class: "doc-twins" }, relations.twins.map((tw) => h("li", { "data-kind": tw.kind, "data-document-id": tw.document_id },
          h("a", { href: documentHash(tw.document_id) }, tw.number || tw.title || `#${tw.document_id}`),
          ` — ${t(`kbTwin_${tw.direction === "mutual" ? tw.kind : tw.direction}`)}`,
          tw.languages.length ? ` (${tw.languages.map((l) => l.toUpperCase()).join(", ")})` : "")))
        : h("p", {}, t("kbNone")),
      h("h3", {}, t("kbCites")),
      relations.cites.length ? h("ul", { class: "doc-cites" }, relations.cites.map(cite)) : h("p", {}, t("kbNone")),
      h("h3", {}, t("kbCitedBy")),
      relations.cited_by.length
        ? h("ul", { class: "doc-cited-by" }, relations.cited_by.map((c) =>
          h("li", {}, h("a", { href: documentHash(c.document_id) }, c.number || c.title || `#${c.document_id}`))))
        : h("p", {}, t("kbNone")));
  }).catch((error) => render(section, h("h2", { id: "relations-heading" }, t("kbRelations")), errorBox(error)));
  return section;
}
