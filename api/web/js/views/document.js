// The document page: details, sections, each page's text (OCR confidence shown), the original,
// similar documents, librarians' corrections (PATCH) and deletion with confirmation.

import { api } from "../api.js";
import { announce, focusHeading, formatDate, h, render } from "../dom.js";
import { docTypeName, documentTitle, getLang, languageName, t } from "../i18n.js";
import { errorBox } from "./states.js";
import { similarList } from "./search.js";
import { relationsSection } from "./kb.js";

const CLASSIFICATIONS = ["public", "internal", "confidential"];
const EDITABLE = ["title", "number", "doc_type", "issuer", "place", "issue_date", "partner_country",
  "technology_area"];
const SHOWN = ["number", "doc_type", "issuer", "place", "issue_date", "references", "partner_country",
  "technology_area", "languages", "page_count", "kind", "version", "source_name"];

/** Where "back to search" goes: the last search this tab ran, so its query and filters come back. */
function lastSearchHash() {
  return sessionStorage.getItem("hoptac.lastSearch") || "#/";
}

export async function showDocument(view, id, params) {
  view.dataset.view = "document";
  render(view, h("p", { class: "loading" }, t("loading")));
  let doc;
  let config;
  try {
    [doc, config] = await Promise.all([api.document(id), api.config()]);
  } catch (error) {
    render(view, h("p", { class: "breadcrumb" }, h("a", { href: lastSearchHash() }, `← ${t("backToSearch")}`)),
      errorBox(error, () => showDocument(view, id, params)));
    focusHeading(view);
    return;
  }
  const title = documentTitle(doc);
  document.title = `${title} – hoptac`;
  const similar = h("section", { class: "doc-similar", "aria-labelledby": "similar-heading" },
    h("h2", { id: "similar-heading" }, t("similar")), h("p", { class: "loading" }, t("loading")));
  render(
    view,
    h("p", { class: "breadcrumb" }, h("a", { href: lastSearchHash() }, `← ${t("backToSearch")}`)),
    h("h1", { id: "doc-title" }, title),
    h(
      "div",
      { class: "doc-layout" },
      h(
        "div",
        { class: "doc-main" },
        foundPassage(doc, params),
        metadataSection(doc),
        pagesSection(doc, params, config),
      ),
      h(
        "div",
        { class: "doc-side" },
        sectionsNav(doc),
        editSection(doc, view),
        deleteSection(doc, view),
        relationsSection(doc.id),
        similar,
      ),
    ),
  );
  focusHeading(view);
  scrollToTarget(view, doc, params);
  loadSimilar(similar, doc.id);
}

/** The passage a search result pointed at, so the reader sees it without hunting through pages. */
function foundPassage(doc, params) {
  const chunkId = Number(params?.get("chunk")) || null;
  const chunk = chunkId ? (doc.chunks || []).find((c) => c.id === chunkId) : null;
  if (!chunk) return null;
  const pages = chunk.page_start === chunk.page_end ? `${chunk.page_start}` : `${chunk.page_start}–${chunk.page_end}`;
  return h(
    "section",
    { class: "doc-found", "aria-labelledby": "found-heading" },
    h("h2", { id: "found-heading" }, t("foundPassage")),
    h("p", { class: "card-where" },
      chunk.section ? h("span", {}, h("span", { class: "meta-key" }, `${t("section")}: `), chunk.section) : null,
      h("a", {
        href: `#/documents/${doc.id}?page=${chunk.page_start}`,
        onclick: (event) => { event.preventDefault(); jumpToPage(chunk.page_start); },
      }, `${t("page")} ${pages}`)),
    h("div", { class: "page-text found-text" }, chunk.text),
    chunk.text_restored
      ? h("details", { class: "restored" }, h("summary", {}, t("showRestored")),
          h("p", { lang: "vi" }, chunk.text_restored))
      : null,
  );
}

function metadataSection(doc) {
  const section = h("section", { class: "doc-meta", "aria-labelledby": "meta-heading" },
    h("h2", { id: "meta-heading" }, t("docMetadata")));
  section.append(metadataList(doc));
  section.append(
    h("p", { class: "doc-actions" },
      h("a", { class: "button-link", href: doc.file_url, target: "_blank", rel: "noopener" },
        t("docOriginal", { name: doc.source_name }))),
  );
  return section;
}

function metadataList(doc) {
  const lang = getLang();
  const corrected = new Set(doc.corrected || []);
  const rows = SHOWN.map((field) => {
    let value = doc[field];
    if (field === "languages") value = (value || []).map(languageName).join(", ");
    if (field === "references") value = (value || []).join(", ");
    if (field === "issue_date") value = formatDate(value, lang);
    if (field === "doc_type") value = docTypeName(value);
    if (value === null || value === undefined || value === "") return null;
    return [
      h("dt", {}, t(`field_${field}`)),
      h("dd", { "data-field": field }, String(value),
        corrected.has(field) ? h("span", { class: "badge corrected-badge" }, t("corrected")) : null),
    ];
  });
  rows.push([
    h("dt", {}, t("classification")),
    h("dd", { "data-field": "classification" }, t(`classification_${doc.classification}`)),
  ]);
  return h("dl", { class: "meta-list", id: "meta-list" }, rows);
}

function sectionsNav(doc) {
  const sections = doc.sections || [];
  return h(
    "nav",
    { class: "doc-sections", "aria-labelledby": "sections-heading" },
    h("h2", { id: "sections-heading" }, t("docSections")),
    sections.length
      ? h("ol", {}, sections.map((s) =>
          h("li", {}, h("a", {
            href: `#/documents/${doc.id}?page=${s.page}`,
            onclick: (event) => { event.preventDefault(); jumpToPage(s.page); },
          }, s.section, h("span", { class: "count" }, `${t("page")} ${s.page}`)))))
      : h("p", { class: "hint" }, t("docNoSections")),
    doc.pages?.length > 1
      ? h("p", { class: "page-jump" }, `${t("pages")}: `,
          doc.pages.map((p) => h("a", {
            href: `#/documents/${doc.id}?page=${p.number}`,
            onclick: (event) => { event.preventDefault(); jumpToPage(p.number); },
          }, String(p.number))))
      : null,
  );
}

function jumpToPage(number) {
  const target = document.getElementById(`page-${number}`);
  if (!target) return;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

function pagesSection(doc, params, config) {
  const focusChunk = Number(params?.get("chunk")) || null;
  const chunk = focusChunk ? (doc.chunks || []).find((c) => c.id === focusChunk) : null;
  return h(
    "section",
    { class: "doc-pages", "aria-labelledby": "pages-heading" },
    h("h2", { id: "pages-heading" }, t("docPages")),
    (doc.pages || []).map((page) => {
      const isTarget = chunk && page.number >= chunk.page_start && page.number <= chunk.page_end;
      const notes = [t(`method_${page.method}`)];
      if (page.ocr_confidence !== null && page.ocr_confidence !== undefined) {
        notes.push(t("ocrConfidence", { pct: Math.round(page.ocr_confidence * 100) }));
      }
      if (page.stripped_score > config.stripped_threshold) notes.push(t("strippedNote"));
      return h(
        "section",
        { class: isTarget ? "page target" : "page", id: `page-${page.number}`, tabindex: "-1",
          "aria-labelledby": `page-heading-${page.number}`, "data-method": page.method },
        h("h3", { id: `page-heading-${page.number}` }, `${t("page")} ${page.number}`,
          h("span", { class: page.method === "ocr" ? "badge ocr-badge" : "badge" }, notes.join(" · "))),
        sourceNote(page),
        h("div", { class: "page-text" }, page.text),
      );
    }),
  );
}

/** Which reading of a PDF page won (its text layer or OCR of its image), and why. */
function sourceNote(page) {
  if (!page.source_reason) return null;
  const scores = [];
  if (page.text_layer_garbled !== null && page.text_layer_garbled !== undefined) {
    scores.push(t("layerGarbled", { pct: Math.round(page.text_layer_garbled * 100) }));
  }
  if (page.ocr_garbled !== null && page.ocr_garbled !== undefined) {
    scores.push(t("ocrGarbled", { pct: Math.round(page.ocr_garbled * 100) }));
  }
  return h("p", { class: "page-source", "data-source": page.method },
    h("strong", {}, t("pageSource", { method: t(`method_${page.method}`) })),
    scores.length ? ` (${scores.join("; ")})` : "",
    h("br"),
    h("span", { class: "hint", lang: "en" }, page.source_reason));
}

function scrollToTarget(view, doc, params) {
  const page = Number(params?.get("page")) || null;
  const target = page ? view.querySelector(`#page-${page}`) : null;
  if (target) target.scrollIntoView({ block: "start" });
}

async function loadSimilar(container, id) {
  try {
    const data = await api.similar(id, 20);
    render(container, h("h2", { id: "similar-heading" }, t("similar")), similarList(data, 5));
  } catch (error) {
    render(container, h("h2", { id: "similar-heading" }, t("similar")), errorBox(error, () => loadSimilar(container, id)));
  }
}

function editSection(doc, view) {
  const status = h("p", { class: "save-status", role: "status", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "edit-form", novalidate: true },
    EDITABLE.map((field) => {
      const inputId = `edit-${field}`;
      const isDate = field === "issue_date";
      return h(
        "div",
        { class: "field" },
        h("label", { for: inputId }, t(`field_${field}`)),
        h("input", {
          id: inputId, name: field, type: "text", value: doc[field] ?? "",
          pattern: isDate ? "\\d{4}-\\d{2}-\\d{2}" : null, inputmode: isDate ? "numeric" : null,
          "aria-describedby": isDate ? "edit-date-hint" : null,
        }),
        isDate ? h("p", { id: "edit-date-hint", class: "hint" }, t("editDateHint")) : null,
      );
    }),
    h("div", { class: "field" },
      h("label", { for: "edit-classification" }, t("classification")),
      h("select", { id: "edit-classification", name: "classification" },
        CLASSIFICATIONS.map((value) =>
          h("option", { value, selected: value === doc.classification }, t(`classification_${value}`))))),
    h("button", { type: "submit", class: "primary" }, t("editSave")),
    status,
  );
  let current = { ...doc };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    for (const field of EDITABLE) {
      const value = form.elements[field].value.trim();
      if (value !== (current[field] ?? "")) changes[field] = value || null;
    }
    const classification = form.elements.classification.value;
    if (classification !== current.classification) changes.classification = classification;
    if (!Object.keys(changes).length) {
      status.textContent = t("editNothing");
      return;
    }
    const dateInput = form.elements.issue_date;
    const badDate = dateInput.value.trim() && !/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value.trim());
    dateInput.setAttribute("aria-invalid", badDate ? "true" : "false");
    if (badDate) {
      status.className = "save-status failed";
      status.textContent = `${t("field_issue_date")}: ${t("editDateHint")}`;
      dateInput.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.className = "save-status";
    status.textContent = t("editSaving");
    try {
      current = await api.correct(doc.id, changes);
      for (const field of EDITABLE) form.elements[field].value = current[field] ?? "";
      view.querySelector("#meta-list").replaceWith(metadataList(current));
      const title = documentTitle(current);
      view.querySelector("#doc-title").textContent = title;
      document.title = `${title} – hoptac`;
      status.className = "save-status saved";
      status.textContent = t("editSaved", { time: new Date().toLocaleTimeString(getLang() === "en" ? "en-GB" : "vi-VN") });
    } catch (error) {
      status.className = "save-status failed";
      status.textContent = `${t("errorTitle")} ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return h(
    "section",
    { class: "doc-edit", "aria-labelledby": "edit-heading" },
    h("details", {},
      h("summary", {}, h("h2", { id: "edit-heading" }, t("editHeading"))),
      form),
  );
}

function deleteSection(doc, view) {
  const title = doc.title || doc.source_name;
  return h(
    "section",
    { class: "doc-delete" },
    h("button", {
      type: "button", class: "danger",
      onclick: async () => {
        if (!window.confirm(t("deleteConfirm", { title }))) return;
        try {
          await api.remove(doc.id);
        } catch (error) {
          render(view, errorBox(error));
          return;
        }
        render(view,
          h("h1", {}, t("deleted", { title })),
          h("p", {}, h("a", { href: lastSearchHash() }, `← ${t("backToSearch")}`)));
        announce(t("deleted", { title }));
        focusHeading(view);
      },
    }, t("deleteButton")),
  );
}
