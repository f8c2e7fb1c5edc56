/**
 * Expected texts come from Go's own tables (src/strconv/quote_test.go, src/encoding/json/encode_test.go)
 * and from the rules of strconv.Quote, unicode.IsPrint and time.quote.
 */
import { describe, expect, it } from "vitest";
import {
  compareGoStrings,
  goAggregateText,
  goErrorText,
  goJsonString,
  goMap,
  goQuote,
  goQuoteSlice,
  goStringSlice,
  goTimeQuote,
  goPathEscape,
  goPathUnescape,
} from ".";

describe("goQuote (strconv.Quote, %q)", () => {
  it.each([
    // strconv/quote_test.go quotetests
    ["\u0007\b\f\r\n\t\v", String.raw`"\a\b\f\r\n\t\v"`],
    ["\\", String.raw`"\\"`],
    ["\u263a", '"☺"'],
    ["\u{10ffff}", String.raw`"\U0010ffff"`],
    ["\u0004", String.raw`"\x04"`],
    ["!\u00a0!\u2000!\u3000!", String.raw`"!\u00a0!\u2000!\u3000!"`],
    // strconv/quote_test.go quoterunetests, as strings
    ["a", '"a"'],
    ["\u00ff", '"ÿ"'],
    ["\ufffd", '"\ufffd"'],
    // control characters, DEL and C1 controls
    ["\u0000", String.raw`"\x00"`],
    ["\u001b[31m", String.raw`"\x1b[31m"`],
    ["\u007f", String.raw`"\x7f"`],
    ["\u0085", String.raw`"\u0085"`],
    ['say "hi"', String.raw`"say \"hi\""`],
    // separators and format characters are not printable
    ["\u2028", String.raw`"\u2028"`],
    ["\u2029", String.raw`"\u2029"`],
    ["\u00ad", String.raw`"\u00ad"`],
    ["\u200b", String.raw`"\u200b"`],
    ["\ufeffabc", String.raw`"\ufeffabc"`],
    ["\u{e0001}", String.raw`"\U000e0001"`],
    ["\ue000", String.raw`"\ue000"`],
    // marks, symbols and emoji are printable; a zero-width joiner is not
    ["e\u0301", '"e\u0301"'],
    ["😀", '"😀"'],
    ["👍🏽", '"👍🏽"'],
    ["👩\u200d💻", String.raw`"👩\u200d💻"`],
    ["<>&", '"<>&"'],
    // a lone surrogate is the U+FFFD Go's decoders hand over in its place
    ["a\ud800b", '"a\ufffdb"'],
    ["\udc00", '"\ufffd"'],
  ])("quotes %j", (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  it("quotes each element of a slice", () => {
    expect(goQuoteSlice(["a b", "\n"])).toBe(String.raw`["a b" "\n"]`);
    expect(goQuoteSlice([])).toBe("[]");
  });
});

describe("goJsonString (encoding/json, HTML-safe)", () => {
  it.each([
    // encoding/json encode_test.go encodeStringTests
    ["\u0000", String.raw`"\u0000"`],
    ["\u0007", String.raw`"\u0007"`],
    ["\b", String.raw`"\b"`],
    ["\u000b", String.raw`"\u000b"`],
    ["\f", String.raw`"\f"`],
    ["\u001f", String.raw`"\u001f"`],
    // TestHTMLEscape
    ["<html>foo &\u2028 \u2029</html>", String.raw`"\u003chtml\u003efoo \u0026\u2028 \u2029\u003c/html\u003e"`],
    // DEL and printable or not, non-ASCII stays as is
    ["\u007f", '"\u007f"'],
    ["\u00a0😀\u200d", '"\u00a0😀\u200d"'],
    ["a\ud800", '"a\ufffd"'],
  ])("encodes %j", (input, expected) => {
    expect(goJsonString(input)).toBe(expected);
  });
});

describe("goTimeQuote (time.ParseDuration's quote)", () => {
  it.each([
    ["5x", '"5x"'],
    ['1"\\', String.raw`"1\"\\"`],
    ["\u0000", String.raw`"\x00"`],
    ["é", String.raw`"\xc3\xa9"`],
    ["😀", String.raw`"\xf0\x9f\x98\x80"`],
    ["\u007f", '"\u007f"'],
  ])("quotes %j", (input, expected) => {
    expect(goTimeQuote(input)).toBe(expected);
  });
});

describe("fmt %v", () => {
  it("prints string slices raw", () => {
    expect(goStringSlice(["a", "b c", ""])).toBe("[a b c ]");
    expect(goStringSlice([])).toBe("[]");
  });

  it("prints maps in Go's key order (UTF-8 bytes, not UTF-16 units)", () => {
    expect(goMap({ b: ["2"], a: ["1", "x"] }, goStringSlice)).toBe("map[a:[1 x] b:[2]]");
    // U+FF61 sorts after U+1F600 in UTF-16 but before it in UTF-8.
    expect(goMap({ "😀": "e", "\uff61": "h" }, (value) => value)).toBe("map[\uff61:h 😀:e]");
    expect(["😀", "\uff61"].sort(compareGoStrings)).toEqual(["\uff61", "😀"]);
  });
});

describe("utilerrors aggregate text", () => {
  it("matches aggregate.Error()", () => {
    expect(goAggregateText([])).toBe("");
    expect(goAggregateText(["a"])).toBe("a");
    expect(goAggregateText(["a", "a"])).toBe("a");
    expect(goAggregateText(["a", "b", "a"])).toBe("[a, b]");
    expect(goErrorText({ aggregate: [{ aggregate: ["a", "b"] }] })).toBe("[a, b]");
    expect(goErrorText({ aggregate: ["a", { aggregate: ["b", "a"] }] })).toBe("[a, b]");
    expect(goErrorText("plain")).toBe("plain");
  });
});

describe("net/url path escaping", () => {
  it.each([
    ["system:node:worker-1", "system:node:worker-1"],
    ["a b", "a%20b"],
    ["it's(*)!", "it%27s%28%2A%29%21"],
    ["$&+,;=@~", "$&+,;=@~"],
    ["é", "%C3%A9"],
    ["100%", "100%25"],
  ])("EscapedPath(%j) = %j, and back", (raw, escaped) => {
    expect(goPathEscape(raw)).toBe(escaped);
    expect(goPathUnescape(escaped)).toBe(raw);
  });

  it("a malformed escape is an error; %2F decodes to a slash as Go's URL.Path does", () => {
    expect(goPathUnescape("/api/v1/pods/%zz")).toBeUndefined();
    expect(goPathUnescape("/api/v1/pods/50%")).toBeUndefined();
    expect(goPathUnescape("/api/v1/namespaces%2Fdefault")).toBe("/api/v1/namespaces/default");
  });
});
