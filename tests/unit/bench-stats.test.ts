import { scanBatch } from "../../scripts/bench/load";
import { percentile, ratio, summarize, ValueLog } from "../../scripts/bench/stats";

describe("bench percentiles", () => {
  it("uses the nearest rank", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 10)).toBe(1);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it("answers null for no values and the value itself for one", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 99)).toBe(7);
    expect(summarize([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });

  it("summarizes unsorted values numerically, not as strings", () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1000 .. 1
    values.push(5, 10000);
    const s = summarize(values);
    expect(s.count).toBe(1002);
    expect(s.p50).toBe(500);
    expect(s.p99).toBe(991); // rank ceil(0.99 * 1002) = 992; the extra 5 shifts everything above it by one
    expect(s.max).toBe(10000);
  });

  it("rounds to a tenth", () => {
    expect(summarize([1.234, 1.26]).max).toBe(1.3);
  });

  it("keeps every pushed value in a growable log", () => {
    const log = new ValueLog(16);
    for (let i = 0; i < 100; i++) log.push(i);
    expect(log.length).toBe(100);
    expect(Array.from(log.values().slice(95))).toEqual([95, 96, 97, 98, 99]);
    expect(summarize(log.values()).p50).toBe(49);
  });

  it("gives ratios only when both sides exist", () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(2, 0)).toBeNull();
  });
});

describe("bench batch scanner", () => {
  const scan = (text: string) => {
    const seen: number[] = [];
    const matched = scanBatch(Buffer.from(text), (seq) => seen.push(seq));
    return { matched, seen };
  };

  it("finds every note's number in a raw notes:batch packet", () => {
    const packet = `42["notes:batch",${JSON.stringify({ sessionId: "s", upsert: [{ id: "a", text: "Point 7: the roads are unsafe." }, { id: "b", text: "Point 12345: the water points." }], remove: [] })},"offset-1"]`;
    expect(scan(packet)).toEqual({ matched: true, seen: [7, 12345] });
  });

  it("leaves other packets to the decoder and ignores texts that are not numbered points", () => {
    expect(scan(`42["room:batch",{"text":"Point 3: x"}]`)).toEqual({ matched: false, seen: [] });
    expect(scan(`43["notes:batch"]`)).toEqual({ matched: false, seen: [] });
    expect(scan(`42["notes:batch",{"upsert":[{"text":"Point one: x"},{"text":"Point 4 x"}]}]`)).toEqual({ matched: true, seen: [] });
  });
});
