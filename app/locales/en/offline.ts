/** The offline namespace (en). */
export default {
  title: "Offline",
};
