// Vite's `?raw` suffix imports a file's text (golden logs in test/fixtures/); it works in all three
// projects.
declare module "*?raw" {
  const text: string;
  export default text;
}
