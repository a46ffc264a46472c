import { describe, expect, it } from "vitest";
import { MAX_IDENTIFIER, mysqlName, suffixed, workTableName } from "./mysql-names.js";

describe("MySQL names", () => {
  it("keeps what MySQL takes, replaces what it refuses", () => {
    expect(mysqlName("Mixed Case ☃ ünïcode")).toBe("Mixed Case ☃ ünïcode");
    expect(mysqlName("price 💶")).toBe("price _");
    expect(mysqlName("trailing  ")).toBe("trailing");
    expect(mysqlName("")).toBe("_");
    expect(mysqlName("a`b")).toBe("a`b");
  });

  it("shortens long names with a hash, so different long names stay different", () => {
    const a = mysqlName("x".repeat(100));
    const b = mysqlName(`${"x".repeat(99)}y`);
    expect([...a]).toHaveLength(MAX_IDENTIFIER);
    expect(a).not.toBe(b);
    expect([...suffixed("y".repeat(64), "_2")]).toHaveLength(MAX_IDENTIFIER);
    expect(workTableName("tmp", "orders")).toBe("_weir_tmp_orders");
    expect([...workTableName("old", "z".repeat(64))]).toHaveLength(59);
  });
});
