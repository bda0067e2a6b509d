// Error and empty states that say what happened and what the reader can do next.

import { h } from "../dom.js";
import { t } from "../i18n.js";

/** A visible, announced error: the server's own message, and a retry button when it may help. */
export function errorBox(error, retry) {
  const offline = error?.status === 0;
  const notFound = error?.status === 404;
  const message = offline ? t("errorNetwork") : notFound ? `${t("notFound")} (${error.message})` : error?.message;
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("h2", {}, t("errorTitle")),
    h("p", { class: "error-message" }, message || String(error)),
    notFound
      ? h("p", {}, h("a", { href: "#/" }, t("backToSearch")))
      : retry
        ? h("button", { type: "button", onclick: retry }, t("retry"))
        : null,
  );
}
