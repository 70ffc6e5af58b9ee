/** Programme lists (themes, addressees) carry English and French labels: show the page's language, else the other. */
import { useTranslation } from "react-i18next";

export type Bilingual = { labelEn: string; labelFr: string };

export function useBilingualLabel() {
  const { i18n } = useTranslation();
  const fr = i18n.language === "fr";
  return (entry: Bilingual | undefined) => (entry ? (fr ? entry.labelFr || entry.labelEn : entry.labelEn || entry.labelFr) : "");
}
