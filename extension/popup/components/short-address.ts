/** "5Grwva…GKutQY": enough of an address to recognise it, in the width of a chip. */
export const shortAddress = (a: string) => `${a.slice(0, 6)}…${a.slice(-6)}`;
