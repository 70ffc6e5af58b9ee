import { captureAction, type KeyPress } from "../../app/notes/capture-keys";

const press = (over: Partial<KeyPress>): KeyPress => ({ key: "", code: "", altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...over });

describe("rapporteur mode shortcuts", () => {
  it("sends on Enter in the text, and leaves Shift+Enter to make a new line", () => {
    expect(captureAction(press({ key: "Enter", code: "Enter" }), true)).toEqual({ type: "send" });
    expect(captureAction(press({ key: "Enter", code: "Enter", ctrlKey: true }), true)).toEqual({ type: "send" });
    expect(captureAction(press({ key: "Enter", code: "Enter", shiftKey: true }), true)).toEqual({ type: "newline" });
  });

  it("leaves Enter alone outside the text (buttons and checkboxes keep their meaning) and while an input method composes", () => {
    expect(captureAction(press({ key: "Enter", code: "Enter" }), false)).toBeNull();
    expect(captureAction(press({ key: "Enter", code: "Enter", isComposing: true }), true)).toBeNull();
  });

  it("chooses the kind with Alt+1..4 from the physical key, AZERTY included", () => {
    expect(captureAction(press({ key: "1", code: "Digit1", altKey: true }), true)).toEqual({ type: "kind", index: 0 });
    expect(captureAction(press({ key: "&", code: "Digit1", altKey: true }), true)).toEqual({ type: "kind", index: 0 });
    expect(captureAction(press({ key: "'", code: "Digit4", altKey: true }), false)).toEqual({ type: "kind", index: 3 });
    expect(captureAction(press({ key: "(", code: "Digit5", altKey: true }), true)).toBeNull();
    expect(captureAction(press({ key: "2", code: "Numpad2", altKey: true }), true)).toEqual({ type: "kind", index: 1 });
  });

  it("toggles themes 1..9 with Alt+Shift and goes to the themes with Alt+T", () => {
    expect(captureAction(press({ key: "!", code: "Digit1", altKey: true, shiftKey: true }), true)).toEqual({ type: "toggleTheme", index: 0 });
    expect(captureAction(press({ key: "9", code: "Digit9", altKey: true, shiftKey: true }), true)).toEqual({ type: "toggleTheme", index: 8 });
    expect(captureAction(press({ key: "t", code: "KeyT", altKey: true }), true)).toEqual({ type: "focusThemes" });
  });

  it("moves between items with Alt+N / Alt+P, read from the letter typed, or the key where the system changes the letter", () => {
    expect(captureAction(press({ key: "n", code: "KeyN", altKey: true }), true)).toEqual({ type: "nextItem" });
    expect(captureAction(press({ key: "p", code: "KeyP", altKey: true }), true)).toEqual({ type: "previousItem" });
    // macOS: Alt+N types a dead tilde.
    expect(captureAction(press({ key: "Dead", code: "KeyN", altKey: true }), true)).toEqual({ type: "nextItem" });
    // AZERTY: the key in QWERTY's W place types "z"; the letter wins.
    expect(captureAction(press({ key: "z", code: "KeyW", altKey: true }), true)).toBeNull();
    expect(captureAction(press({ key: "w", code: "KeyZ", altKey: true }), true)).toEqual({ type: "neutral" });
  });

  it("clears with Escape, and ignores plain typing and browser shortcuts", () => {
    expect(captureAction(press({ key: "Escape", code: "Escape" }), true)).toEqual({ type: "clear" });
    expect(captureAction(press({ key: "n", code: "KeyN" }), true)).toBeNull();
    expect(captureAction(press({ key: "t", code: "KeyT", ctrlKey: true }), true)).toBeNull();
    expect(captureAction(press({ key: "N", code: "KeyN", altKey: true, shiftKey: true }), true)).toBeNull();
  });
});
