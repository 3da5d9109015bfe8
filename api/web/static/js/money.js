// Money on the page: amounts are parsed to whole fen (BigInt) and never to floating point,
// as on the server (DOMAIN.md §1: yuan with exactly two decimals; more decimals are rejected).

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const FULL_WIDTH = /[０-９．，]/g;

/** Typed text → the string the API receives: spaces and thousands separators dropped, full-width digits made plain. */
export function normaliseAmount(text) {
  return String(text ?? "")
    .replace(FULL_WIDTH, (c) => (c === "．" ? "." : c === "，" ? "," : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/[\s,]/g, "");
}

/** Typed text → {empty} | {fen: BigInt} | {invalid}: at most 12 integer digits and 2 decimals, positive. */
export function parseAmount(text) {
  const plain = normaliseAmount(text);
  if (plain === "") return { empty: true };
  if (!AMOUNT.test(plain)) return { invalid: true };
  const [yuan, decimals = ""] = plain.split(".");
  return { fen: BigInt(yuan) * 100n + BigInt((decimals + "00").slice(0, 2)), text: plain };
}

/** An API amount string ("-1234.50") → fen. */
export function fenOf(amount) {
  const text = String(amount ?? "0");
  const negative = text.startsWith("-");
  const [yuan, decimals = ""] = text.replace("-", "").split(".");
  const fen = BigInt(yuan || "0") * 100n + BigInt((decimals + "00").slice(0, 2));
  return negative ? -fen : fen;
}

/** fen → "1234.50" (the API's form). */
export function plain(fen) {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  const text = `${magnitude / 100n}.${String(magnitude % 100n).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** fen (or an API amount string) → "1,234.50" for display. */
export function formatAmount(value) {
  const fen = typeof value === "bigint" ? value : fenOf(value);
  const [yuan, decimals] = plain(fen).split(".");
  return `${yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${decimals}`;
}

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const PLACE_UNITS = ["", "拾", "佰", "仟"];
const GROUP_UNITS = ["", "万", "亿"];

function uppercaseInteger(yuan) {
  if (yuan >= 10n ** 12n) {
    const high = yuan / 10n ** 8n;
    const low = yuan % 10n ** 8n;
    let text = uppercaseInteger(high) + "亿";
    if (low) text += (low < 10n ** 7n ? "零" : "") + uppercaseInteger(low);
    return text;
  }
  const digits = yuan.toString();
  const out = [];
  let zeroPending = false;
  let groupHasDigit = false;
  for (let index = 0; index < digits.length; index += 1) {
    const place = digits.length - 1 - index;
    const digit = digits.charCodeAt(index) - 48;
    if (place % 4 === 3 || index === 0) groupHasDigit = false;
    if (digit === 0) {
      zeroPending = true;
    } else {
      if (zeroPending && out.length) out.push("零");
      zeroPending = false;
      groupHasDigit = true;
      out.push(DIGITS[digit] + PLACE_UNITS[place % 4]);
    }
    if (place % 4 === 0 && place > 0 && groupHasDigit) {
      out.push(GROUP_UNITS[place / 4]);
      zeroPending = false; // zeros trailing a group are absorbed by its unit (107000 → 壹拾万柒仟)
    }
  }
  return out.join("");
}

/**
 * The uppercase amount (大写金额) of 会计基础工作规范 Art. 52, as DOMAIN.md §1 states it:
 * digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, 元角分; ending at 元 or 角 → 整; a zero inside → 零,
 * a run of zeros → one 零; 角 = 0 with 分 ≠ 0 → 零 after 元; ten is 壹拾; negative (red) → 负….
 * The same rule as ledger.money.uppercase_amount; tests/web compare the two on DOMAIN's vectors.
 */
export function uppercaseAmount(value) {
  const fen = typeof value === "bigint" ? value : fenOf(value);
  const sign = fen < 0n ? "负" : "";
  const magnitude = fen < 0n ? -fen : fen;
  const yuan = magnitude / 100n;
  const cents = magnitude % 100n;
  const jiao = cents / 10n;
  const fenDigit = cents % 10n;
  if (yuan === 0n && cents === 0n) return "零元整";
  const parts = [];
  if (yuan) parts.push(uppercaseInteger(yuan) + "元");
  if (jiao) {
    if (yuan && yuan % 10n === 0n) parts.push("零");
    parts.push(DIGITS[Number(jiao)] + "角");
  } else if (fenDigit && yuan) {
    parts.push("零");
  }
  parts.push(fenDigit ? DIGITS[Number(fenDigit)] + "分" : "整");
  return sign + parts.join("");
}
