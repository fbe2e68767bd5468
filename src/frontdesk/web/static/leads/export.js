/* Export buttons: the spreadsheet of the filters shown, from GET /api/leads/export with the
 * staff token, saved under the server's file name. Without this script the links fetch the
 * same file from the page's own /app/leads/export. */

import { api, toast } from "./context.js";

function fileName(response, format) {
  const header = response.headers.get("content-disposition") || "";
  const match = /filename="?([^";]+)"?/.exec(header);
  return match ? match[1] : `leads.${format}`;
}

async function download(link) {
  const format = link.dataset.export;
  const query = link.dataset.query;
  const path = `/api/leads/export?format=${format}${query ? `&${query}` : ""}`;
  link.setAttribute("aria-busy", "true");
  try {
    const response = await api("GET", path, undefined, { raw: true });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const save = document.createElement("a");
    save.href = url;
    save.download = fileName(response, format);
    document.body.append(save);
    save.click();
    save.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 30000);
  } catch (error) {
    toast(error.message || "Couldn't export the leads.", "error");
  } finally {
    link.removeAttribute("aria-busy");
  }
}

export function initExports(scope = document) {
  for (const link of scope.querySelectorAll("[data-export]")) {
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      download(link);
    });
  }
}
