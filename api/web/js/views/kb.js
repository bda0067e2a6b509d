// The knowledge base: partners (list and one partner) and the agreements table. Everything shown
// comes from /api/partners and /api/agreements, already limited to what the user may see.

import { api } from "../api.js";
import { focusHeading, formatDate, h, render } from "../dom.js";
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

export async function showPartner(view, id) {
  view.dataset.view = "partner";
  try {
    const partner = await api.partner(id);
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
      h("h2", {}, t("kbMentions")),
      h("ol", { class: "kb-mentions" }, partner.mentions.map((m) => h("li", {},
        h("a", { href: documentHash(m.document_id, m.chunk_id) }, m.document_title || `#${m.document_id}`),
        ` (${t("kbPage")} ${m.page}) `,
        h("blockquote", {}, m.passage)))));
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

export async function showAgreements(view, params) {
  view.dataset.view = "agreements";
  document.title = `${t("agreementsHeading")} – hoptac`;
  const query = {
    status: params.get("status") || "", months: params.get("months") || "12",
    country: params.get("country") || "", area: params.get("area") || "",
  };
  try {
    const [{ agreements }, areaChoices] = await Promise.all([api.agreements(query), areaOptions()]);
    const form = h("form", { class: "kb-filters", onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const next = new URLSearchParams();
      for (const key of ["status", "months", "country", "area"]) if (data.get(key)) next.set(key, data.get(key));
      navigate(`#/agreements${next.toString() ? `?${next}` : ""}`);
    } },
      select("status", t("kbStatus"), query.status,
        [["", t("kbAll")], ...["active", "expiring", "expired", "unknown"].map((s) => [s, t(`kbStatus_${s}`)])]),
      h("label", { for: "months" }, t("kbWithinMonths"),
        h("input", { id: "months", name: "months", type: "number", min: 1, max: 600, value: query.months })),
      h("label", { for: "country" }, t("kbCountry"), h("input", { id: "country", name: "country", value: query.country })),
      select("area", t("kbArea"), query.area, areaChoices),
      h("button", { type: "submit" }, t("kbFilter")));
    const rows = await Promise.all(agreements.map(async (a) => {
      const foreign = a.parties.filter((p) => p.side === "foreign");
      return h("tr", { "data-document-id": a.document_id, "data-status": a.status },
        h("th", { scope: "row" }, h("a", { href: documentHash(a.document_id) }, a.number || a.title || `#${a.document_id}`)),
        h("td", {}, foreign.map((p, i) => [i ? ", " : "", h("a", { href: `#/partners/${p.id}` }, p.name)])),
        h("td", {}, [...new Set(foreign.map((p) => p.country).filter(Boolean))].join(", ")),
        h("td", {}, a.signed ? formatDate(a.signed, getLang()) : "—"),
        h("td", { class: "number" }, a.duration_months ? String(a.duration_months) : "—"),
        h("td", { "data-field": "expires" }, a.expires ? formatDate(a.expires, getLang()) : "—"),
        h("td", {}, t(`kbStatus_${a.status}`)),
        h("td", {}, fundingText(a.funding)),
        h("td", {}, await areaList(a.areas)));
    }));
    render(view,
      h("h1", {}, t("agreementsHeading")),
      form,
      h("p", {}, h("a", { href: "/api/agreements.csv", download: "agreements.csv" }, t("kbExportCsv"))),
      h("table", { class: "kb-table", id: "agreements-table" },
        h("thead", {}, h("tr", {}, ["kbDocument", "kbPartners", "kbCountry", "kbSigned", "kbMonths", "kbExpires",
          "kbStatus", "kbFunding", "kbAreas"].map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, rows)));
  } catch (error) {
    render(view, h("h1", {}, t("agreementsHeading")), errorBox(error, () => showAgreements(view, params)));
  }
  focusHeading(view);
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
