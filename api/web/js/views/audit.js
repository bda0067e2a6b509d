// The audit log, for admins: who signed in (or failed to), uploaded, edited, reclassified, deleted,
// downloaded a confidential original.

import { api } from "../api.js";
import { focusHeading, h, render } from "../dom.js";
import { t } from "../i18n.js";
import { documentHash } from "../router.js";
import { errorBox } from "./states.js";

export async function showAudit(view) {
  view.dataset.view = "audit";
  document.title = `${t("auditHeading")} – hoptac`;
  try {
    const { entries } = await api.audit();
    const rows = entries.map((e) =>
      h("tr", {},
        h("td", {}, e.at),
        h("td", {}, e.actor),
        h("td", {}, e.action),
        h("td", {}, e.document_id ? h("a", { href: documentHash(e.document_id) }, String(e.document_id)) : ""),
        h("td", {}, e.detail || "")));
    render(
      view,
      h("h1", {}, t("auditHeading")),
      h("table", { class: "audit-table", id: "audit-table" },
        h("thead", {}, h("tr", {}, ["auditAt", "auditWho", "auditAction", "auditDocument", "auditDetail"]
          .map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, rows)),
    );
  } catch (error) {
    render(view, h("h1", {}, t("auditHeading")), errorBox(error, () => showAudit(view)));
  }
  focusHeading(view);
}
