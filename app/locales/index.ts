/** Both languages' catalogues, for the server (which renders either) and the catalogue tests. */
import en from "./en";
import fr from "./fr";

export const resources = { en, fr } as const;
export const NAMESPACES = Object.keys(en) as (keyof typeof en)[];
