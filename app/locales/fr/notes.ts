/** The notes namespace (fr). */
export default {
  title: "Notes",
};
