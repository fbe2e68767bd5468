/* Line icons drawn with the DOM (no inline SVG strings, no innerHTML): svgIcon("copy", 16). */

const SVG_NS = "http://www.w3.org/2000/svg";
export const ICONS = {
  copy: [["rect", { x: 9, y: 9, width: 13, height: 13, rx: 2 }],
    ["path", { d: "M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" }]],
  check: [["path", { d: "M20 6 9 17l-5-5" }]],
  alert: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M12 8v4.5M12 16h.01" }]],
  ban: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "m5.7 5.7 12.6 12.6" }]],
  x: [["path", { d: "M18 6 6 18M6 6l12 12" }]],
  file: [["path", { d: "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" }],
    ["path", { d: "M14 3v5h5" }]],
  pdf: [["path", { d: "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" }],
    ["path", { d: "M14 3v5h5M9 13h6M9 17h4" }]],
  image: [["rect", { x: 3, y: 3, width: 18, height: 18, rx: 3 }], ["circle", { cx: 9, cy: 9, r: 2 }],
    ["path", { d: "m21 15-5-5L5 21" }]],
  audio: [["path", { d: "M9 18V5l11-2v13" }], ["circle", { cx: 6, cy: 18, r: 3 }],
    ["circle", { cx: 17, cy: 16, r: 3 }]],
  download: [["path", { d: "M12 3v12M7 10l5 5 5-5M5 21h14" }]],
  retry: [["path", { d: "M3 12a9 9 0 1 0 3-6.7L3 8" }], ["path", { d: "M3 3v5h5" }]],
};

export function svgIcon(name, size = 16, stroke = 2) {
  const svg = document.createElementNS(SVG_NS, "svg");
  for (const [k, v] of Object.entries({
    width: size, height: size, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
    "stroke-width": stroke, "stroke-linecap": "round", "stroke-linejoin": "round",
    "aria-hidden": "true", focusable: "false",
  })) svg.setAttribute(k, String(v));
  for (const [tag, attrs] of ICONS[name] || []) {
    const part = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) part.setAttribute(k, String(v));
    svg.appendChild(part);
  }
  return svg;
}
