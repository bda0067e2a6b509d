// Small DOM helpers: build elements from data without ever parsing untrusted text as HTML.

/**
 * Create an element. `attrs` keys: "class", "text", "html" (only for server-escaped snippets),
 * "on<event>" handlers, booleans (true sets the attribute, false/null skips it), anything else as
 * an attribute. Children may be strings, nodes, or null (skipped) and arrays of those.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "html") el.innerHTML = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything inside `el` with `children`. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Say `message` to screen readers (and show it in the status line). */
export function announce(message) {
  const region = document.getElementById("status");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing makes screen readers read repeated messages again.
  window.setTimeout(() => { region.textContent = message; }, 30);
}

/** An ISO date (YYYY-MM-DD...) as a local date; other strings are shown unchanged. */
export function formatDate(value, lang) {
  if (!value) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const [, y, m, d] = match;
  return lang === "en" ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
}

let moveFocus = false;

/** Called once the first view is shown: from then on, view changes move focus to their heading. */
export function enableFocusMoves() {
  moveFocus = true;
}

/**
 * Move keyboard focus to the page's main heading after a view change, for screen readers.
 * Not on first load: there the reader starts at the top (skip link first), as on any page.
 */
export function focusHeading(root) {
  if (!moveFocus) return;
  const heading = root.querySelector("h1, h2");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
}
