import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        ink: { DEFAULT: "#1c2430", soft: "#4a5566" },
        brand: { DEFAULT: "#1f5f8b", dark: "#174a6d", light: "#e6f0f7" },
        warn: { DEFAULT: "#8a4b00", light: "#fff4e0" },
        danger: { DEFAULT: "#a4262c", light: "#fde8e8" },
        ok: { DEFAULT: "#1e6b3a", light: "#e5f4ea" },
      },
    },
  },
  plugins: [],
} satisfies Config;
