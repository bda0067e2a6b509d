// Start-up: static text in the chosen language, the language switch, and the hash router.

import { api, signInFirst } from "./api.js";
import { enableFocusMoves } from "./dom.js";
import { applyStaticText, getLang, setLang, t } from "./i18n.js";
import { currentRoute } from "./router.js";
import { showAudit } from "./views/audit.js";
import { showAgreements, showPartner, showPartners } from "./views/kb.js";
import { showDocument } from "./views/document.js";
import { showSearch, showSimilar } from "./views/search.js";
import { showUpload } from "./views/upload.js";

const view = document.getElementById("view");
let lastRouteName = null;

function applyText() {
  applyStaticText();
  // The switch is written in the other language, so screen readers pronounce it right.
  document.getElementById("lang-switch").lang = getLang() === "vi" ? "en" : "vi";
}

function markCurrentNav(name) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  const current = currentRoute();
  const changedView = current.name !== lastRouteName;
  lastRouteName = current.name;
  const kbNav = { partners: "partners", partner: "partners", agreements: "agreements" }[current.name];
  markCurrentNav(kbNav || (["upload", "audit"].includes(current.name) ? current.name : "search"));
  if (current.name === "search") sessionStorage.setItem("hoptac.lastSearch", window.location.hash || "#/");
  const root = viewRoot(current.name === "search" && !changedView);
  if (current.name === "document") await showDocument(root, current.id, current.params);
  else if (current.name === "similar") await showSimilar(root, current.id);
  else if (current.name === "upload") await showUpload(root);
  else if (current.name === "audit") await showAudit(root);
  else if (current.name === "partners") await showPartners(root, current.params);
  else if (current.name === "partner") await showPartner(root, current.id);
  else if (current.name === "agreements") await showAgreements(root, current.params);
  else await showSearch(root, current.params, { changedView });
}

/**
 * The element a view renders into: a fresh one per route, so a slow view that finishes after the
 * reader has moved on writes into a detached element instead of over the new page. Searches that
 * only change the query keep theirs (the search box keeps focus).
 */
function viewRoot(keep) {
  const existing = view.firstElementChild;
  if (keep && existing?.classList.contains("view-root")) return existing;
  const root = document.createElement("div");
  root.className = "view-root";
  view.replaceChildren(root);
  return root;
}

document.getElementById("lang-switch").addEventListener("click", () => {
  setLang(getLang() === "vi" ? "en" : "vi");
  applyText();
  lastRouteName = null;
  route();
});

// "#view" would be taken for a route; move focus to the main content instead.
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  view.focus();
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await api.signOut().catch(() => null);
  window.location.assign("/sign-in.html");
});

/** Who is signed in, beside the sign-out button (a 401 goes to the sign-in page). */
async function showWho() {
  const me = await api.me().catch((error) => {
    if (error.status === 401) signInFirst();
    return null;
  });
  if (!me) return;
  document.getElementById("who").textContent = t("signedInAs", { name: me.name, role: me.role });
  document.getElementById("nav-audit").hidden = me.role !== "admin";
}

window.addEventListener("hashchange", route);
applyText();
showWho();
route().finally(enableFocusMoves);
