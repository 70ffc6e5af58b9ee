/** The offline namespace (fr). */
export default {
  title: "Hors ligne",
};
