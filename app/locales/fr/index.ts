/** The fr catalogues, one namespace per file. The browser loads only the active language's bundle. */
import agenda from "./agenda";
import auth from "./auth";
import capture from "./capture";
import common from "./common";
import consensus from "./consensus";
import consolidation from "./consolidation";
import errors from "./errors";
import linking from "./linking";
import field from "./field";
import live from "./live";
import notes from "./notes";
import offline from "./offline";
import programmes from "./programmes";
import recommendations from "./recommendations";
import sessions from "./sessions";
import summaries from "./summaries";

export default { common, errors, auth, programmes, sessions, agenda, live, notes, offline, consensus, recommendations, summaries, capture, consolidation, linking, field };
