import enAgenda from "./en/agenda";
import enAuth from "./en/auth";
import enCommon from "./en/common";
import enErrors from "./en/errors";
import enLive from "./en/live";
import enProgrammes from "./en/programmes";
import enSessions from "./en/sessions";
import frAgenda from "./fr/agenda";
import frAuth from "./fr/auth";
import frCommon from "./fr/common";
import frErrors from "./fr/errors";
import frLive from "./fr/live";
import frProgrammes from "./fr/programmes";
import frSessions from "./fr/sessions";

export const resources = {
  en: { common: enCommon, errors: enErrors, auth: enAuth, programmes: enProgrammes, sessions: enSessions, agenda: enAgenda, live: enLive },
  fr: { common: frCommon, errors: frErrors, auth: frAuth, programmes: frProgrammes, sessions: frSessions, agenda: frAgenda, live: frLive },
} as const;
