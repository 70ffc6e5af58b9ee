import type { Finding } from "../../app/models/guard";
import type { NoteView } from "../../app/models/notes";
import { applyNotesChange, arrangeFeed, segmentsOf, startedItems, stepItem } from "../../app/notes/feed";

function note(id: string, over: Partial<NoteView> = {}): NoteView {
  return { id, itemId: "i1", kind: "point", themeIds: [], text: id, status: "visible", highlighted: false, attributionMode: "chatham_house", author: null, minute: 0, edited: false, mergedIntoId: null, ...over };
}

describe("applying the server's notes changes", () => {
  it("adds new notes first, replaces changed ones in place and removes taken ones", () => {
    const list = [note("a"), note("b"), note("c")];
    const next = applyNotesChange(list, { upsert: [note("b", { text: "B" }), note("d")], remove: ["c"] });
    expect(next.map((n) => n.id)).toEqual(["d", "a", "b"]);
    expect(next[2].text).toBe("B");
  });

  it("keeps a note that is both removed and upserted in one change (the upsert is the latest state)", () => {
    expect(applyNotesChange([note("a")], { upsert: [note("a", { status: "hidden" })], remove: ["a"] })).toEqual([note("a", { status: "hidden" })]);
  });

  it("returns the same list when nothing changed", () => {
    const list = [note("a")];
    expect(applyNotesChange(list, { upsert: [], remove: [] })).toBe(list);
  });
});

describe("arranging the feed", () => {
  it("puts the current item first, then earlier items most recent first, newest notes first, and marks one's own", () => {
    const feed = [note("a", { itemId: "i1", minute: 1 }), note("b", { itemId: "i2", minute: 2 }), note("c", { itemId: "i3", minute: 3 }), note("d", { itemId: "i2", minute: 5 })];
    const mine = [note("b", { itemId: "i2", minute: 2 }), note("e", { itemId: "i2", minute: 4, status: "flagged" })];
    const groups = arrangeFeed(feed, mine, ["i1", "i2", "i3"], "i3");
    expect(groups.map((g) => [g.itemId, g.current, g.notes.map((n) => `${n.id}${n.mine ? "*" : ""}`)])).toEqual([
      ["i3", true, ["c"]],
      ["i2", false, ["d", "e*", "b*"]],
      ["i1", false, ["a"]],
    ]);
  });

  it("shows one's own held note, which the room's feed does not carry", () => {
    const groups = arrangeFeed([], [note("x", { status: "flagged" })], ["i1"], null);
    expect(groups[0].notes[0]).toMatchObject({ id: "x", status: "flagged", mine: true });
  });
});

describe("marking what the guard found", () => {
  const text = "Selon Amadou, la MINUSMA doit partir.";
  const f = (start: number, end: number): Finding => ({ start, end, kind: "name", text: text.slice(start, end), suggestion: "un participant" });

  it("splits the text into plain and found parts, in order, ignoring overlaps and bad spans", () => {
    const segments = segmentsOf(text, [f(6, 12), f(0, 12), f(100, 120)]);
    expect(segments.map((s) => [s.text, !!s.finding])).toEqual([
      ["Selon Amadou", true],
      [", la MINUSMA doit partir.", false],
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("leaves a text without findings whole", () => {
    expect(segmentsOf(text, [])).toEqual([{ text, finding: null }]);
  });
});

describe("moving a note between started items", () => {
  const items = [
    { id: "a", state: "done" },
    { id: "b", state: "skipped" },
    { id: "c", state: "paused" },
    { id: "d", state: "running" },
    { id: "e", state: "pending" },
  ];
  const started = startedItems(items);

  it("offers only items that have started", () => {
    expect(started.map((i) => i.id)).toEqual(["a", "c", "d"]);
  });

  it("steps forward and back, staying put at either end", () => {
    expect(stepItem(started, "d", -1)).toBe("c");
    expect(stepItem(started, "c", -1)).toBe("a");
    expect(stepItem(started, "a", -1)).toBe("a");
    expect(stepItem(started, "a", 1)).toBe("c");
    expect(stepItem(started, "d", 1)).toBe("d");
    expect(stepItem(started, null, 1)).toBe("a");
    expect(stepItem([], "a", 1)).toBeNull();
  });
});
