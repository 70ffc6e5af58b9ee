/**
 * Where an imported session came from when it was brought back from a field laptop (docs/field.md):
 * which registered key signed it, when it was signed and when it was imported. Shown on the session
 * page, beside its recommendations, and on the published summary.
 */
import { useTranslation } from "react-i18next";
import type { FieldProvenance } from "~/models/field.server";
import { formatDateTime } from "~/utils/time";

export type FieldProvenanceView = FieldProvenance;

/** Dates in UTC unless the page knows the session's zone. */
export function FieldProvenanceLines({ imports, timeZone }: { imports: FieldProvenanceView[]; timeZone: string }) {
  const { t, i18n } = useTranslation("field");
  const when = (ms: number) => formatDateTime(ms, i18n.language, timeZone);
  return (
    <>
      {imports.map((p) => (
        <p key={p.publicationNumber} className="text-sm" dir="auto">
          {t("provenance.line", {
            number: p.publicationNumber,
            instance: p.sourceInstanceName,
            signedAt: when(p.signedAt),
            fingerprint: p.keyFingerprint,
            label: p.keyLabel ?? t("provenance.noLabel"),
            importedAt: when(p.importedAt),
          })}{" "}
          {p.keyRevoked ? t("provenance.revoked") : null}
        </p>
      ))}
    </>
  );
}

/** One short line (lists: a recommendation, a published version). */
export function FieldProvenanceShort({ provenance, timeZone }: { provenance: FieldProvenanceView; timeZone: string }) {
  const { t, i18n } = useTranslation("field");
  const when = (ms: number) => formatDateTime(ms, i18n.language, timeZone);
  return (
    <span className="text-sm text-ink-soft" data-field-provenance="">
      {t("provenance.short", { fingerprint: provenance.keyFingerprint, signedAt: when(provenance.signedAt), importedAt: when(provenance.importedAt) })}
    </span>
  );
}
