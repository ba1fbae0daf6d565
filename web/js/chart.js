/* chart.js - line charts people can read: a value axis with labels, months
 * spaced by time (not by count), a legend, the same in print. */
import { fmtMonth, fmtNumber } from "./fmt.js";
import { clear } from "./ui.js";

const NS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}
const monthIndex = (ym) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;

/* series: [{cls, label, points: [["YYYY-MM", value in minor units], ...]}] */
export function lineChart(svg, series, ariaLabel) {
  clear(svg);
  const W = 640, H = 260, left = 70, right = 12, top = 28, bottom = 30;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  const all = series.flatMap((s) => s.points.map((p) => p[1]));
  const months = series.flatMap((s) => s.points.map((p) => monthIndex(p[0])));
  const max = Math.max(1, ...all), min = Math.min(0, ...all);
  const m0 = Math.min(...months), m1 = Math.max(m0 + 1, ...months);
  const x = (ym) => left + (W - left - right) * ((monthIndex(ym) - m0) / (m1 - m0));
  const y = (v) => H - bottom - (H - top - bottom) * ((v - min) / (max - min || 1));
  /* value axis: four steps, in whole units of money */
  for (let i = 0; i <= 4; i++) {
    const v = min + ((max - min) * i) / 4;
    svg.appendChild(svgEl("line", { x1: left, x2: W - right, y1: y(v), y2: y(v), class: "grid" }));
    svg.appendChild(svgEl("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, fmtNumber(Math.round(v / 100))));
  }
  /* time axis: the first and last month, and the years between */
  const ticks = new Set();
  ticks.add(m0); ticks.add(m1);
  for (let m = m0 + 1; m < m1; m++) if (m % 12 === 0 && (m - m0) > 3 && (m1 - m) > 3) ticks.add(m);
  for (const m of ticks) {
    const ym = Math.floor(m / 12) + "-" + String((m % 12) + 1).padStart(2, "0");
    const anchor = m === m0 ? "start" : m === m1 ? "end" : "middle";
    svg.appendChild(svgEl("text", { x: x(ym), y: H - 8, "text-anchor": anchor }, fmtMonth(ym)));
  }
  let lx = left;
  for (const s of series) {
    const pts = s.points.length === 1 ? [s.points[0], s.points[0]] : s.points;
    svg.appendChild(svgEl("polyline", { class: s.cls, points: pts.map((p) => x(p[0]) + "," + y(p[1])).join(" ") }));
    /* legend, above the plot */
    svg.appendChild(svgEl("rect", { x: lx, y: 8, width: 14, height: 4, class: "key " + s.cls }));
    const tx = svgEl("text", { x: lx + 18, y: 14, class: "legend" }, s.label);
    svg.appendChild(tx);
    lx += 30 + s.label.length * 7;
  }
  svg.setAttribute("aria-label", ariaLabel);
}
