// Hash routes, so every view (with its query and filters) has a URL that reloads and shares.
//   #/?q=...&type=...   search        #/documents/12   a document
//   #/similar/12        similar docs  #/upload          upload and recent runs
//   #/audit             the audit log (admins)
//   #/partners[/3]      partners, one partner   #/agreements   the agreements table

/** The current route as {name, id, params}. */
export function currentRoute(hash = window.location.hash) {
  const raw = hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "documents" && parts[1]) return { name: "document", id: parts[1], params };
  if (parts[0] === "similar" && parts[1]) return { name: "similar", id: parts[1], params };
  if (parts[0] === "upload") return { name: "upload", params };
  if (parts[0] === "audit") return { name: "audit", params };
  if (parts[0] === "partners") return parts[1] ? { name: "partner", id: parts[1], params } : { name: "partners", params };
  if (parts[0] === "agreements") return { name: "agreements", params };
  return { name: "search", params };
}

/** The hash for a search with these parameters (empty values dropped, stable order). */
export function searchHash(params) {
  const query = new URLSearchParams();
  for (const key of ["q", "type", "lang", "issuer", "date_from", "date_to", "partner", "country", "area", "page"]) {
    const value = params[key];
    if (value !== undefined && value !== null && value !== "" && !(key === "page" && Number(value) <= 1)) {
      query.set(key, value);
    }
  }
  const text = query.toString();
  return text ? `#/?${text}` : "#/";
}

export function documentHash(id, chunkId) {
  return chunkId ? `#/documents/${id}?chunk=${chunkId}` : `#/documents/${id}`;
}

export function navigate(hash) {
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else window.location.hash = hash;
}
