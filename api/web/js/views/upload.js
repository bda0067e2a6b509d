// The upload page: drop or pick many files; each is sent on its own (two at a time) so it shows
// its own progress; the server queues it for the ingest worker, and the page polls the file's job
// until its outcome is known; below, the recent ingest runs.

import { api, uploadFile } from "../api.js";
import { announce, focusHeading, h, render } from "../dom.js";
import { getLang, t } from "../i18n.js";
import { documentHash } from "../router.js";
import { errorBox } from "./states.js";

const PARALLEL = 2;
// Polling a job: first soon (a small file is done in a second), then less often.
const POLL_FIRST_MS = 500;
const POLL_MAX_MS = 3000;

// States of a file on its way: being sent, waiting in the server's queue, being ingested.
const BUSY = ["uploading", "waiting", "ingesting"];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ACCEPT = ".pdf,.docx,.html,.htm,.txt,.md,.jpg,.jpeg,.png,.tif,.tiff";

export async function showUpload(view) {
  view.dataset.view = "upload";
  document.title = `${t("uploadHeading")} – hoptac`;
  const input = h("input", { id: "file-input", type: "file", multiple: true, accept: ACCEPT, class: "visually-hidden" });
  const queue = h("ol", { class: "upload-queue", id: "upload-queue", "aria-label": t("uploadQueue") });
  const summary = h("p", { class: "upload-summary", id: "upload-summary", role: "status", "aria-live": "polite" });
  const runs = h("section", { class: "runs", "aria-labelledby": "runs-heading" },
    h("h2", { id: "runs-heading" }, t("recentRuns")));
  const drop = h(
    "div",
    { class: "drop-zone", id: "drop-zone" },
    h("p", { class: "drop-title" }, t("dropHere")),
    h("p", {}, t("orPick")),
    h("label", { for: "file-input", class: "button-link primary" }, t("pickFiles")),
    input,
  );
  const classification = h("select", { id: "upload-classification", name: "classification" },
    ["internal", "public", "confidential"].map((value) =>
      h("option", { value }, t(`classification_${value}`))));
  const uploader = new Uploader(queue, summary, () => loadRuns(runs));
  input.addEventListener("change", () => {
    uploader.add([...input.files]);
    input.value = "";
  });
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("dragging");
    });
  }
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("dragging");
    uploader.add([...(event.dataTransfer?.files || [])]);
  });
  render(
    view,
    h("h1", {}, t("uploadHeading")),
    h("p", { class: "hint" }, t("uploadIntro")),
    h("p", {}, h("label", { for: "upload-classification" }, t("classification")), " ", classification),
    drop,
    summary,
    queue,
    runs,
  );
  focusHeading(view);
  await loadRuns(runs);
}

/** Sends queued files PARALLEL at a time and keeps each file's row up to date. */
class Uploader {
  constructor(list, summary, onIdle) {
    this.list = list;
    this.summary = summary;
    this.onIdle = onIdle;
    this.items = [];
    this.active = 0;
    this.runId = null; // one ingest run per batch of files
  }

  async add(files) {
    if (!files.length) return;
    if (this.runId === null && this.active === 0) {
      this.runId = await api.startRun().then((run) => run.run_id, () => null);
    }
    for (const file of files) {
      const item = { file, state: "queued", pct: 0, report: null, reason: "" };
      item.row = h("li", { class: "upload-item", "data-name": file.name });
      this.items.push(item);
      this.list.append(item.row);
      this.draw(item);
    }
    this.pump();
  }

  pump() {
    while (this.active < PARALLEL) {
      const next = this.items.find((item) => item.state === "queued");
      if (!next) break;
      this.active += 1;
      this.send(next).finally(() => {
        this.active -= 1;
        this.pump();
        if (this.active === 0 && !this.items.some((item) => item.state === "queued")) this.finish();
      });
    }
  }

  async send(item) {
    item.state = "uploading";
    this.draw(item);
    try {
      const job = await uploadFile(item.file, {
        runId: this.runId,
        classification: document.getElementById("upload-classification")?.value,
        onProgress: (fraction) => {
          item.pct = Math.round(fraction * 100);
          this.draw(item);
        },
        onUploaded: () => {
          item.state = "waiting";
          this.draw(item);
        },
      });
      item.report = await this.follow(item, job);
      item.state = item.report.status;
      item.reason = item.report.reason || "";
    } catch (error) {
      item.state = "failed";
      item.reason = error.status === 0 ? t("errorNetwork") : error.message;
    }
    this.draw(item);
  }

  /** Poll the file's job until the worker has ingested it (or given up); its report. */
  async follow(item, job) {
    let delay = POLL_FIRST_MS;
    while (job.status === "queued" || job.status === "running") {
      const state = job.status === "running" ? "ingesting" : "waiting";
      if (item.state !== state) {
        item.state = state;
        this.draw(item);
      }
      await sleep(delay);
      delay = Math.min(delay * 1.5, POLL_MAX_MS);
      job = await api.job(job.id);
    }
    return job.report || { status: "failed", reason: job.status };
  }

  finish() {
    this.runId = null;
    const done = this.items.filter((i) => !BUSY.includes(i.state) && i.state !== "queued").length;
    const failed = this.items.filter((i) => i.state === "failed").length;
    const text = t("uploadSummary", { done, total: this.items.length, failed });
    this.summary.textContent = text;
    announce(text);
    this.onIdle();
  }

  draw(item) {
    const { state } = item;
    const label =
      state === "uploading" ? t("state_uploading", { pct: item.pct })
        : state === "failed" ? t("state_failed", { reason: item.reason })
          : t(`state_${state}`);
    const busy = BUSY.includes(state);
    render(
      item.row,
      h("span", { class: "file-name" },
        item.report?.document_id && state !== "failed"
          ? h("a", { href: documentHash(item.report.document_id) }, item.file.name)
          : item.file.name),
      h("span", { class: `file-state state-${state}`, "data-state": state }, label),
      busy
        ? h("progress", {
            max: "100", value: state === "uploading" ? String(item.pct) : null,
            "aria-label": `${item.file.name}: ${label}`,
          })
        : null,
    );
    item.row.dataset.state = state;
    item.row.setAttribute("aria-busy", busy ? "true" : "false");
  }
}

async function loadRuns(container) {
  const heading = h("h2", { id: "runs-heading" }, t("recentRuns"));
  let data;
  try {
    data = await api.runs(10);
  } catch (error) {
    render(container, heading, errorBox(error, () => loadRuns(container)));
    return;
  }
  if (!data.runs.length) {
    render(container, heading, h("p", { class: "hint" }, t("noRuns")));
    return;
  }
  const locale = getLang() === "en" ? "en-GB" : "vi-VN";
  render(
    container,
    heading,
    data.runs.map((run) =>
      h(
        "details",
        { class: "run", open: run === data.runs[0] },
        h("summary", {},
          h("time", { datetime: run.started_at }, new Date(run.started_at).toLocaleString(locale)),
          ` · ${run.files.length} ${t("runFiles").toLowerCase()}`,
          run.files.some((f) => f.status === "failed")
            ? h("span", { class: "badge state-failed" },
                `${run.files.filter((f) => f.status === "failed").length} ${t("failedCount")}`)
            : null,
          run.status === "interrupted"
            ? h("span", { class: "badge state-failed" }, t("runInterrupted"))
            : null),
        h("div", { class: "table-wrap" },
          h(
            "table",
            {},
            h("thead", {}, h("tr", {},
              h("th", { scope: "col" }, t("runFiles")),
              h("th", { scope: "col" }, t("status")),
              h("th", { scope: "col" }, t("seconds")))),
            h("tbody", {}, run.files.map((file) =>
              h("tr", {},
                h("td", {}, file.document_id && file.status !== "failed"
                  ? h("a", { href: documentHash(file.document_id) }, file.path)
                  : file.path),
                h("td", { class: `state-${file.status}` },
                  file.status === "failed" ? t("state_failed", { reason: file.reason || "" }) : t(`state_${file.status}`)),
                h("td", {}, file.seconds != null ? file.seconds.toFixed(1) : "")))),
          )),
      )),
  );
}
