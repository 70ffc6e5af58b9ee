/**
 * The capture screen's keyboard shortcuts, pure: a key press in, an action out. Letters are read from
 * the key typed where it is a plain letter (so AZERTY and QWERTY both work), else from the physical key
 * (macOS turns Alt+letter into other characters); digits from the physical key (AZERTY types "&" for
 * the 1 key without Shift).
 */

export type KeyPress = { key: string; code: string; altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; isComposing?: boolean };

export type CaptureAction =
  | { type: "send" }
  | { type: "newline" }
  | { type: "kind"; index: number }
  | { type: "focusThemes" }
  | { type: "toggleTheme"; index: number }
  | { type: "nextItem" }
  | { type: "previousItem" }
  | { type: "neutral" }
  | { type: "clear" };

/** 0-based digit of a digit key (1..9), or null. */
function digitOf(code: string): number | null {
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return m ? Number(m[1]) - 1 : null;
}

function letterOf(press: KeyPress): string | null {
  if (/^[a-z]$/i.test(press.key)) return press.key.toLowerCase();
  const m = /^Key([A-Z])$/.exec(press.code);
  return m ? m[1].toLowerCase() : null;
}

/**
 * The action for a key press, or null to let the browser handle it. `inText`: the press happened in
 * the note's text box (Enter sends there; elsewhere Enter keeps its usual meaning).
 */
export function captureAction(press: KeyPress, inText: boolean): CaptureAction | null {
  // Typing with an input method (Chinese, Japanese...): Enter confirms the composition.
  if (press.isComposing) return null;
  if (press.ctrlKey || press.metaKey) {
    return press.key === "Enter" && inText ? { type: "send" } : null;
  }
  if (press.key === "Escape") return { type: "clear" };
  if (press.key === "Enter" && inText && !press.altKey) return press.shiftKey ? { type: "newline" } : { type: "send" };
  if (!press.altKey) return null;
  const digit = digitOf(press.code);
  if (digit !== null) return press.shiftKey ? { type: "toggleTheme", index: digit } : digit < 4 ? { type: "kind", index: digit } : null;
  if (press.shiftKey) return null;
  switch (letterOf(press)) {
    case "t":
      return { type: "focusThemes" };
    case "n":
      return { type: "nextItem" };
    case "p":
      return { type: "previousItem" };
    case "w":
      return { type: "neutral" };
    default:
      return null;
  }
}
