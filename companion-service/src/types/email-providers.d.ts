/** The email-providers package ships no types: its default export is checked where it is read. */
declare module 'email-providers' {
  const domains: unknown;
  export default domains;
}
