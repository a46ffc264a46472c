import { describe, expect, it } from "vitest";
import {
  NULLED_SERIALIZATION as BAD,
  base64Encoder,
  booleanEncoder,
  dateEncoder,
  dateTimeEncoder,
  decimalEncoder,
  doubleEncoder,
  INTEGER_RANGES,
  integerEncoder,
  jsonTextEncoder,
  NULLED_SIZE as TOO_BIG,
  textEncoder,
  timeEncoder,
} from "./value-encoders.js";

describe("value encoders", () => {
  it("integers: exact digits within the column's range", () => {
    const bigint = integerEncoder(INTEGER_RANGES.bigint);
    const unsigned = integerEncoder(INTEGER_RANGES["bigint unsigned"]);
    expect(bigint(42)).toBe("42");
    expect(bigint("-9223372036854775808")).toBe("-9223372036854775808");
    expect(bigint("9223372036854775808")).toBe(TOO_BIG);
    expect(unsigned("18446744073709551615")).toBe("18446744073709551615");
    expect(unsigned("18446744073709551616")).toBe(TOO_BIG);
    expect(unsigned(-1)).toBe(TOO_BIG);
    expect(bigint(2 ** 60)).toBe("1152921504606846976");
    expect(bigint(1.5)).toBe(BAD);
    expect(bigint("12.0")).toBe("12");
    expect(bigint("twelve")).toBe(BAD);
    expect(bigint(true)).toBe(BAD);
    expect(integerEncoder(INTEGER_RANGES.tinyint)(128)).toBe(TOO_BIG);
  });

  it("decimals: exact, nulled rather than rounded when they do not fit", () => {
    const wide = decimalEncoder(65, 30);
    const text = "12345678901234567890123456789012345.123456789012345678901234567890";
    expect(wide(text)).toBe("12345678901234567890123456789012345.12345678901234567890123456789");
    expect(wide(0.1)).toBe("0.1");
    expect(wide(1e-30)).toBe("0.000000000000000000000000000001");
    const money = decimalEncoder(10, 2);
    expect(money("1234.50")).toBe("1234.5");
    expect(money("1234.567")).toBe(TOO_BIG);
    expect(money(123456789)).toBe(TOO_BIG);
    expect(money("1,5")).toBe(BAD);
    expect(money(Number.POSITIVE_INFINITY)).toBe(TOO_BIG);
  });

  it("doubles and booleans", () => {
    expect(doubleEncoder(0.1)).toBe("0.1");
    expect(doubleEncoder("2.5")).toBe("2.5");
    expect(doubleEncoder("")).toBe(BAD);
    expect(doubleEncoder("1e400")).toBe(TOO_BIG);
    expect(booleanEncoder(true)).toBe("1");
    expect(booleanEncoder("true")).toBe(BAD);
    expect(booleanEncoder(1)).toBe(BAD);
  });

  it("dates and times: checked, instants to UTC, wall-clock times kept", () => {
    expect(dateEncoder("2024-02-29")).toBe("2024-02-29");
    expect(dateEncoder("2023-02-29")).toBe(BAD);
    expect(dateEncoder("2024-01-01 BC")).toBe(BAD);
    expect(dateEncoder(1704067200000)).toBe(BAD);
    const utc = dateTimeEncoder(true);
    const local = dateTimeEncoder(false);
    expect(utc("2024-01-01T01:00:00.123456+02:00")).toBe("2023-12-31 23:00:00.123456");
    expect(utc("2024-01-01T01:00:00Z")).toBe("2024-01-01 01:00:00");
    expect(utc("2024-06-01 10:00:00")).toBe("2024-06-01 10:00:00");
    expect(local("2024-01-01T01:00:00.5+02:00")).toBe("2024-01-01 01:00:00.5");
    expect(local("2024-01-01T01:00:00.123456789")).toBe("2024-01-01 01:00:00.123456");
    expect(utc("2024-13-01T00:00:00Z")).toBe(BAD);
    expect(utc("0001-01-01T00:30:00+01:00")).toBe(TOO_BIG);
    expect(timeEncoder(false)("13:14:15.5")).toBe("13:14:15.5");
    expect(timeEncoder(true)("01:00:00-02:30")).toBe("03:30:00");
    expect(timeEncoder(true)("00:30:00+01:00")).toBe("23:30:00");
    expect(timeEncoder(false)("25:00:00")).toBe(BAD);
  });

  it("text, JSON text and base64", () => {
    expect(textEncoder()({ a: 1 })).toBe('{"a":1}');
    expect(textEncoder(3)("🎉🎉🎉")).toBe("🎉🎉🎉");
    expect(textEncoder(3)("abcd")).toBe(TOO_BIG);
    expect(jsonTextEncoder('{"n": 12345678901234567890}')).toBe('{"n": 12345678901234567890}');
    expect(jsonTextEncoder("{nope")).toBe(BAD);
    expect(jsonTextEncoder([1, 2])).toBe("[1,2]");
    expect(base64Encoder("AP8=")).toBe("AP8=");
    expect(base64Encoder("not base64!")).toBe(BAD);
  });
});
