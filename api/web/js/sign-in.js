// The sign-in page: name and password to POST /api/session, then back to where the reader was.

import { ApiError, api } from "./api.js";
import { applyStaticText, getLang, setLang, t } from "./i18n.js";

const form = document.getElementById("sign-in");
const error = document.getElementById("sign-in-error");

function applyText() {
  applyStaticText();
  document.title = `${t("signInHeading")} – hoptac`;
  document.getElementById("lang-switch").lang = getLang() === "vi" ? "en" : "vi";
}

/** Only a hash inside this app: never a link to another site. */
function nextHash() {
  const next = new URLSearchParams(window.location.search).get("next") || "#/";
  return next.startsWith("#/") ? next : "#/";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  try {
    await api.signIn(form.elements.name.value.trim(), form.elements.password.value);
    window.location.assign(`/${nextHash()}`);
  } catch (failure) {
    const status = failure instanceof ApiError ? failure.status : 0;
    error.textContent = status === 401 ? t("signInWrong")
      : status === 429 ? t("signInTooMany")
      : t("signInFailed", { message: failure.message });
    error.hidden = false;
    form.elements.password.select();
  }
});

document.getElementById("lang-switch").addEventListener("click", () => {
  setLang(getLang() === "vi" ? "en" : "vi");
  applyText();
});

applyText();
form.elements.name.focus();
