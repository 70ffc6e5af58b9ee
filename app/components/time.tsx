import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/time";

/**
 * A time in the session's time zone; after hydration, the viewer's own time is added where their
 * zone differs (the server cannot know it, so the first render is the same on both sides).
 */
export function LocalTime({ epoch, timeZone }: { epoch: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const [viewerZone, setViewerZone] = useState<string | null>(null);
  useEffect(() => {
    setViewerZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  const text = t("timeInZone", { time: formatDateTime(epoch, i18n.language, timeZone), zone: timeZone });
  return (
    <time dateTime={new Date(epoch).toISOString()}>
      {text}
      {viewerZone && viewerZone !== timeZone && formatDateTime(epoch, i18n.language, viewerZone) !== formatDateTime(epoch, i18n.language, timeZone) ? (
        <span className="text-ink-soft"> — {t("yourTime", { time: formatDateTime(epoch, i18n.language, viewerZone) })}</span>
      ) : null}
    </time>
  );
}
