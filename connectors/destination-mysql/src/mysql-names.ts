import { createHash } from "node:crypto";

/** MySQL and MariaDB cut identifiers at 64 characters. */
export const MAX_IDENTIFIER = 64;

const shortHash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 8);

/**
 * A stream, field or namespace name as a MySQL identifier: characters outside the Basic
 * Multilingual Plane (emoji; identifiers are utf8mb3) become `_`, NUL becomes `_`, trailing
 * spaces go (MySQL refuses them), and names past 64 characters keep 55 and a hash of the whole.
 * Example: `mysqlName("price 💶") // "price _"`.
 */
export function mysqlName(name: string): string {
  let out = "";
  for (const ch of name) out += ch.length > 1 || ch === "\0" ? "_" : ch;
  out = out.replace(/ +$/, "");
  if (out === "") out = "_";
  if ([...out].length > MAX_IDENTIFIER) out = `${[...out].slice(0, 55).join("")}_${shortHash(name)}`;
  return out;
}

/** `base` with a suffix that keeps it within 64 characters, e.g. `id_2`. */
export function suffixed(base: string, suffix: string): string {
  const chars = [...base];
  const room = MAX_IDENTIFIER - suffix.length;
  return `${chars.length > room ? chars.slice(0, room).join("") : base}${suffix}`;
}

/**
 * The name of a work table for `table`: `_weir_tmp_orders`, or with a hash for long names.
 * Example: `workTableName("tmp", "orders") // "_weir_tmp_orders"`.
 */
export function workTableName(role: "tmp" | "old", table: string): string {
  const prefix = `_weir_${role}_`;
  const full = `${prefix}${table}`;
  if ([...full].length <= MAX_IDENTIFIER) return full;
  return `${prefix}${[...table].slice(0, 40).join("")}_${shortHash(table)}`;
}
