/* fmt.js - numbers, money and dates in the interface language. Written out by
 * hand (no Intl for numbers; Intl only for en/tr/ru month names): Kazakh must
 * work where the browser has no Kazakh locale data. Group separators are
 * no-break spaces or points, so a number never wraps inside. */
import { getLang, t } from "./i18n.js";

const SEP = { en: [",", "."], tr: [".", ","], ru: ["\u00a0", ","], kk: ["\u00a0", ","] };
const KK_MONTHS = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"];
const LOCALE = { en: "en-GB", tr: "tr-TR", ru: "ru-RU" };

function group(digits, sep) {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

export function fmtNumber(n) {
  if (n == null || n === "") return "";
  const [g] = SEP[getLang()] || SEP.en;
  const neg = Number(n) < 0;
  return (neg ? "−" : "") + group(String(Math.trunc(Math.abs(Number(n)))), g);
}

/* minor units (integers, as the API sends them) to "1.234,56 TRY" without floating point */
export function fmtMoney(minor, cur) {
  if (minor == null) return t("person.none");
  const [g, d] = SEP[getLang()] || SEP.en;
  let v = BigInt(minor);
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = (v / 100n).toString(), frac = (v % 100n).toString().padStart(2, "0");
  return (neg ? "−" : "") + group(whole, g) + d + frac + (cur ? "\u00a0" + cur : "");
}

/* a decimal number as text ("1234.56", as the server writes amounts) in the
 * interface language ("1 234,56"), digits kept as written: no floating point */
export function fmtDecimal(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
  if (!m) return String(text);
  const [g, d] = SEP[getLang()] || SEP.en;
  return (m[1] ? "−" : "") + group(m[2], g) + (m[3] ? d + m[3] : "");
}

/* "2026-12-05" (or a timestamp's date part) as a long date */
export function fmtDate(iso) {
  if (!iso) return t("person.none");
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const l = getLang();
  if (l === "kk") return y + "\u00a0ж. " + d + "\u00a0" + KK_MONTHS[mo - 1];
  return new Intl.DateTimeFormat(LOCALE[l] || "en-GB", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, mo - 1, d)));
}

export function fmtMonth(ym) {
  const m = /^(\d{4})-(\d{2})/.exec(ym || "");
  if (!m) return ym || "";
  const l = getLang();
  if (l === "kk") return m[1] + "\u00a0ж. " + KK_MONTHS[Number(m[2]) - 1];
  return new Intl.DateTimeFormat(LOCALE[l] || "en-GB", { year: "numeric", month: "short", timeZone: "UTC" })
    .format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/* a UTC timestamp shown in a time zone (the organization's): "date HH:MM" */
export function fmtTime(ts, zone) {
  if (!ts) return "";
  const local = utcToLocalInput(ts, zone);
  return fmtDate(local.slice(0, 10)) + " " + local.slice(11, 16);
}

/* the wall-clock parts of instant ms in zone, as "YYYY-MM-DDTHH:MM" */
function wall(ms, zone) {
  const p = {};
  for (const x of new Intl.DateTimeFormat("en-CA", { timeZone: zone || "UTC", hourCycle: "h23", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
export function utcToLocalInput(ts, zone) {
  const ms = Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(ts) ? ts : ts + "Z");
  return isNaN(ms) ? ts : wall(ms, zone);
}
/* a datetime-local value typed in zone, as UTC "YYYY-MM-DDTHH:MM:SSZ" */
export function localInputToUtc(v, zone) {
  if (!v) return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v);
  if (!m) return v;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  /* the zone's offset at that moment (two passes cover a change of offset) */
  let ms = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wall(ms, zone);
    const back = Date.UTC(+w.slice(0, 4), +w.slice(5, 7) - 1, +w.slice(8, 10), +w.slice(11, 13), +w.slice(14, 16));
    ms += asUtc - back;
  }
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}
