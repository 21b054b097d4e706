/**
 * The labs that have a live run, as plain data: the workbench offers a "Live run" button for
 * these in WebContainer mode without bundling the runs themselves into the page.
 * (runs.ts holds the runs; a unit test keeps the two lists equal.)
 */
export const LIVE_LAB_IDS: readonly string[] = ['rtmp/handshake'];
