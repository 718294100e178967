// The admin model page's pull progress: polls the pulls' JSON while any is under way and updates each row; when one
// ends, the page is loaded again so the installed list shows the model. Loaded from this server (CSP script-src 'self').
"use strict";
(() => {
  const table = document.querySelector("table.pulls[data-progress]");
  if (!table) {
    return;
  }
  const unfinished = () => [...table.querySelectorAll("tr[data-pull]")].filter(row => !["done", "failed"].includes(row.dataset.phase));
  const size = bytes => bytes < 1048576 ? `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KiB` : `${(bytes / 1048576).toFixed(1).replace(/\.0$/, "")} MiB`;

  async function poll() {
    let answer;
    try {
      const response = await fetch(table.dataset.progress, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok || !(response.headers.get("content-type") || "").startsWith("application/json")) {
        return; // signed out, or the server is going away: stop polling
      }
      answer = await response.json();
    } catch {
      return;
    }
    let ended = false;
    for (const pull of answer.pulls) {
      const row = table.querySelector(`tr[data-pull="${CSS.escape(pull.id)}"]`);
      if (!row) {
        continue;
      }
      if (pull.finished && !["done", "failed"].includes(row.dataset.phase)) {
        ended = true;
      }
      row.dataset.phase = pull.phase;
      row.querySelector(".phase").textContent = pull.problem ? `${pull.phase}: ${pull.problem}` : pull.phase;
      const bar = row.querySelector("progress");
      bar.max = pull.total ?? 0;
      bar.value = pull.done;
      bar.textContent = String(pull.done);
      row.querySelector(".bytes").textContent = size(pull.done) + (pull.total == null ? "" : ` of ${size(pull.total)}`);
    }
    if (ended) {
      location.replace(location.pathname); // the installed list and the known list change with the pull's end
      return;
    }
    if (unfinished().length > 0) {
      setTimeout(poll, 1000);
    }
  }

  if (unfinished().length > 0) {
    setTimeout(poll, 500);
  }
})();
