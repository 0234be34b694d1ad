/** Product version, reported by `kt --version`, `/health` and decision events. */
export const VERSION = '0.1.0';
