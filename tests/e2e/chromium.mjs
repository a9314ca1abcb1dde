// The Chromium the browser tests and the demo bench drive (Debian's, or $CHROMIUM), and the
// flags every launch takes: no sandbox (containers), no GPU, and nothing that reaches the network
// on its own (QUIC, background networking, component updates, sync).
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
