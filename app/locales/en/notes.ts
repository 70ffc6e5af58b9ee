/** The notes namespace (en). */
export default {
  title: "Notes",
};
