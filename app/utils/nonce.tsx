import { createContext, useContext } from "react";

/**
 * The per-request CSP nonce, created in Express and passed through getLoadContext to entry.server.
 * Browsers hide nonce attributes from scripts, so on the client it reads as "" (and React must not
 * see a mismatch): entry.client provides "".
 */
export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
