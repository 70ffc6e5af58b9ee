import enAuth from "./en/auth";
import enCommon from "./en/common";
import enErrors from "./en/errors";
import enProgrammes from "./en/programmes";
import enSessions from "./en/sessions";
import frAuth from "./fr/auth";
import frCommon from "./fr/common";
import frErrors from "./fr/errors";
import frProgrammes from "./fr/programmes";
import frSessions from "./fr/sessions";

export const resources = {
  en: { common: enCommon, errors: enErrors, auth: enAuth, programmes: enProgrammes, sessions: enSessions },
  fr: { common: frCommon, errors: frErrors, auth: frAuth, programmes: frProgrammes, sessions: frSessions },
} as const;
