/**
 * Coordinates of the resolution map (ResolutionMap.astro) in two shapes: `wide`, with the
 * authoritative servers in a column on the right, and `narrow`, for phones, with the device at
 * the top, the resolver in the middle and the servers in a row at the bottom. Pure data.
 */

export interface MapBox {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  subs: string[];
  cache?: boolean;
  /** Where the "cache" tag sits on the box's top edge (default: right). */
  pill?: 'left' | 'right';
  faded?: boolean;
}

export interface MapArrow {
  d: string;
  head: string;
  dashed: boolean;
  num: { x: number; y: number; n: number };
}

export interface MapText {
  x: number;
  y: number;
  text: string;
}

export interface MapLayout {
  width: number;
  height: number;
  device: { x: number; y: number; w: number; h: number };
  browser: MapBox;
  stub: MapBox;
  resolver: MapBox;
  root: MapBox;
  tld: MapBox;
  auth: MapBox;
  osArrow: { d: string; head: string };
  osLabel: { x: number; y: number; anchor: 'start' | 'middle'; text: string };
  arrows: MapArrow[];
  fadedNote?: { x: number; y: number };
  legend: { x: number; y: number; lines: MapText[] };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** A straight arrow from (ax, ay) to (bx, by), shifted sideways by `off`, numbered beside it. */
export function arrow(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  off: number,
  n: number,
  dashed: boolean,
  numSide: number,
  numAt = 0.45,
): MapArrow {
  const len = Math.hypot(bx - ax, by - ay);
  const ux = (bx - ax) / len;
  const uy = (by - ay) / len;
  const px = -uy;
  const py = ux;
  const sx = ax + px * off;
  const sy = ay + py * off;
  const ex = bx + px * off;
  const ey = by + py * off;
  const hl = 10;
  const hw = 5;
  const hx = ex - ux * hl;
  const hy = ey - uy * hl;
  return {
    d: `M${r1(sx)} ${r1(sy)}L${r1(hx)} ${r1(hy)}`,
    head: `${r1(ex)},${r1(ey)} ${r1(hx + px * hw)},${r1(hy + py * hw)} ${r1(hx - px * hw)},${r1(hy - py * hw)}`,
    dashed,
    num: { x: r1(sx + (ex - sx) * numAt + px * 15 * numSide), y: r1(sy + (ey - sy) * numAt + py * 15 * numSide), n },
  };
}

function resolverSubs(warm: boolean): string[] {
  return warm ? ['ISP, company or public', 'cache hit: answers at once'] : ['ISP, company or public', 'caches what it learns'];
}

function wide(warm: boolean): MapLayout {
  const browser: MapBox = { x: 40, y: 70, w: 188, h: 62, title: 'Browser', subs: ['its own host cache'], cache: true };
  const stub: MapBox = { x: 40, y: 228, w: 188, h: 62, title: 'Stub resolver', subs: ['in the OS: getaddrinfo()'], cache: true };
  const resolver: MapBox = { x: 338, y: 184, w: 188, h: 84, title: 'Recursive resolver', subs: resolverSubs(warm), cache: true };
  const root: MapBox = { x: 618, y: 34, w: 188, h: 62, title: 'Root servers', subs: ['a.root-servers.net …'], faded: warm };
  const tld: MapBox = { x: 618, y: 170, w: 188, h: 62, title: '.com servers', subs: ['a.gtld-servers.net …'], faded: warm };
  const auth: MapBox = { x: 618, y: 306, w: 188, h: 62, title: 'example.com servers', subs: ['ns1.example.com …'], faded: warm };
  const arrows: MapArrow[] = [
    arrow(stub.x + stub.w, 244, resolver.x, 244, 0, 1, false, -1, 0.5),
    arrow(resolver.x, 266, stub.x + stub.w, 266, 0, warm ? 2 : 8, true, -1, 0.5),
  ];
  if (!warm) {
    const right = resolver.x + resolver.w;
    for (const [b, fromY, n] of [
      [root, 200, 2],
      [tld, 226, 4],
      [auth, 252, 6],
    ] as const) {
      const by = b.y + b.h / 2;
      arrows.push(arrow(right, fromY, b.x, by, -5, n, false, -1));
      arrows.push(arrow(b.x, by, right, fromY, -5, n + 1, true, -1));
    }
  }
  const ax = 134;
  return {
    width: 820,
    height: 430,
    device: { x: 16, y: 34, w: 236, h: 282 },
    browser,
    stub,
    resolver,
    root,
    tld,
    auth,
    osArrow: { d: `M${ax} ${browser.y + browser.h}V${stub.y - 10}`, head: `${ax},${stub.y} ${ax - 5},${stub.y - 10} ${ax + 5},${stub.y - 10}` },
    osLabel: { x: 142, y: (browser.y + browser.h + stub.y) / 2 + 4, anchor: 'start', text: 'asks the OS' },
    arrows,
    ...(warm ? { fadedNote: { x: root.x + root.w / 2, y: root.y - 10 } } : {}),
    legend: {
      x: 30,
      y: 384,
      lines: warm
        ? [{ x: 262, y: 388, text: '1, 2: one recursive query (RD=1), answered from the resolver’s cache' }]
        : [
            { x: 262, y: 388, text: '1, 8: recursive query (RD=1): “find the answer for me”' },
            { x: 262, y: 410, text: '2–7: iterative queries: each server answers or refers the resolver closer' },
          ],
    },
  };
}

function narrow(warm: boolean): MapLayout {
  const browser: MapBox = { x: 18, y: 52, w: 124, h: 62, title: 'Browser', subs: ['host cache'], cache: true };
  const stub: MapBox = { x: 200, y: 52, w: 142, h: 62, title: 'Stub resolver', subs: ['in the OS'], cache: true };
  const resolver: MapBox = { x: 90, y: 196, w: 180, h: 84, title: 'Recursive resolver', subs: resolverSubs(warm), cache: true, pill: 'left' };
  const rowY = 380;
  const root: MapBox = { x: 8, y: rowY, w: 96, h: 62, title: 'Root', subs: ['servers'], faded: warm };
  const tld: MapBox = { x: 112, y: rowY, w: 96, h: 62, title: '.com', subs: ['servers'], faded: warm };
  const auth: MapBox = { x: 216, y: rowY, w: 136, h: 62, title: 'example.com', subs: ['servers'], faded: warm };
  const top = stub.y + stub.h;
  const arrows: MapArrow[] = [
    arrow(222, top, 222, resolver.y, 0, 1, false, 1, 0.5),
    arrow(252, resolver.y, 252, top, 0, warm ? 2 : 8, true, 1, 0.5),
  ];
  if (!warm) {
    const bottom = resolver.y + resolver.h;
    for (const [b, fromX, n] of [
      [root, 120, 2],
      [tld, 180, 4],
      [auth, 240, 6],
    ] as const) {
      const bx = b.x + b.w / 2;
      arrows.push(arrow(fromX, bottom, bx, b.y, -5, n, false, -1));
      arrows.push(arrow(bx, b.y, fromX, bottom, -5, n + 1, true, -1));
    }
  }
  const midY = browser.y + browser.h / 2;
  const gapL = browser.x + browser.w;
  const gapR = stub.x;
  return {
    width: 360,
    height: warm ? 520 : 540,
    device: { x: 8, y: 12, w: 344, h: 116 },
    browser,
    stub,
    resolver,
    root,
    tld,
    auth,
    osArrow: { d: `M${gapL} ${midY}H${gapR - 10}`, head: `${gapR},${midY} ${gapR - 10},${midY - 5} ${gapR - 10},${midY + 5}` },
    osLabel: { x: (gapL + gapR) / 2, y: midY - 9, anchor: 'middle', text: 'asks' },
    arrows,
    ...(warm ? { fadedNote: { x: 180, y: rowY - 14 } } : {}),
    legend: {
      x: 14,
      y: 470,
      lines: warm
        ? [
            { x: 14, y: 496, text: '1, 2: one recursive query (RD=1),' },
            { x: 14, y: 513, text: 'answered from the resolver’s cache' },
          ]
        : [
            { x: 14, y: 496, text: '1, 8: recursive query (RD=1)' },
            { x: 14, y: 513, text: '2–7: iterative queries: each server' },
            { x: 14, y: 530, text: 'answers or refers the resolver closer' },
          ],
    },
  };
}

export function mapLayout(variant: 'wide' | 'narrow', warm: boolean): MapLayout {
  return variant === 'wide' ? wide(warm) : narrow(warm);
}
